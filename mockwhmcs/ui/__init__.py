"""The dashboard at ``/_mock/ui``: the mock's records, request journal and fault rules in a browser."""

from .views import ui

__all__ = ["ui"]
