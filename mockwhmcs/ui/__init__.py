"""The dashboard at ``/_mock/ui``: the mock's records, request journal and fault rules in a browser;
and the front page at ``/`` that points to it."""

from .views import front, ui

__all__ = ["front", "ui"]
