"""WHMCS API actions, one function per action, registered by name on import."""

from . import catalog  # noqa: F401
