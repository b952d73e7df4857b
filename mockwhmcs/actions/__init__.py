"""WHMCS API actions, one function per action, registered by name on import."""

from . import (  # noqa: F401
    addorder,
    billing,
    catalog,
    client_details,
    clients,
    contacts,
    domains,
    modules,
    orders,
    support,
    users,
)
