"""The store's records as JSON-ready data: what ``GET /_mock/state`` and ``MockWhmcs.state`` show.

Money is a decimal string with two places ("8.00"), as WHMCS returns it; secret fields are masked.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from .pricing import money
from .store import Store

# Record fields that hold a secret (client and service passwords, an order's domain transfer codes);
# shown only as set or not.
SECRET_FIELDS = frozenset({"password", "transfersecret", "eppcode"})
REDACTED = "***"
# Tables shown under the names integrations know them by.
_SHOWN_AS = {"service_addons": "addons", "emails": "notifications"}


def snapshot(store: Store) -> dict[str, Any]:
    """The scenario's name, the mock's current time and every record table, rows in id order."""
    with store.lock:
        state: dict[str, Any] = {"scenario": store.scenario.name, "now": store.now()}
        for name, table in store.tables().items():
            state[_SHOWN_AS.get(name, name)] = [_row(row) for row in table]
    return state


def _row(row: Any) -> dict[str, Any]:
    return {field.name: _value(field.name, getattr(row, field.name)) for field in dataclasses.fields(row)}


def _value(name: str, value: Any) -> Any:
    if name in SECRET_FIELDS:
        return REDACTED if value else ""
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, dict):
        return {str(key): item for key, item in value.items()}
    return value
