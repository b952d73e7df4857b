"""WHMCS API actions, one function per action, registered by name on import."""

from . import addorder, billing, catalog, clients, domains, modules, orders, support  # noqa: F401
