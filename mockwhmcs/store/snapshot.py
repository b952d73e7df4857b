"""The store's records as JSON-ready data: what ``GET /_mock/state`` and ``MockWhmcs.state`` show.

Money is a decimal string with two places ("8.00"), as WHMCS returns it; secret fields are masked.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator
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


# Rows copied for each hold of the store's lock while streaming: an API call waits at most for this many
# rows to be copied (about a millisecond), however large the store.
CHUNK_ROWS = 1000


def stream_snapshot(store: Store) -> Iterator[str]:
    """The same data as ``snapshot``, as JSON text, a chunk of rows at a time.

    Each chunk is copied under the store's lock and rendered after releasing it, so reading a store of
    100,000 orders never holds up the API for long. Each chunk is consistent; a change made between two
    chunks shows in the later ones (a row deleted meanwhile is left out).
    """
    with store.lock:
        head = json.dumps({"scenario": store.scenario.name, "now": store.now()})[:-1]
        names = list(store.tables())
    yield head  # never while holding the lock: the reader decides when the next chunk is read
    for name in names:
        yield f", {json.dumps(_SHOWN_AS.get(name, name))}: ["
        with store.lock:
            ids = list(store.tables()[name].rows)
        separator = ""
        for start in range(0, len(ids), CHUNK_ROWS):
            with store.lock:
                table = store.tables()[name]
                rows = [copy.copy(row) for row in map(table.get, ids[start:start + CHUNK_ROWS])
                        if row is not None]
            if rows:
                yield separator + json.dumps([_row(row) for row in rows])[1:-1]
                separator = ", "
        yield "]"
    yield "}"


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
