"""The request journal: every API request, newest last, bounded so a long load test cannot exhaust memory.

Entries keep the decoded parameters with secrets redacted (wire/redact.py), the HTTP status (None when
a fault broke the connection), the answer as data, the fault applied and the integration warnings.
Queries match an action and a parameter subset (matching.py); a failed verification lists the
closest recorded requests, so a test failure shows what was sent instead.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..store.models import action_key
from ..wire.api import SPECIAL_PARAMS
from ..wire.redact import REDACTED, SECRET_PARAMS, redact_params
from .matching import mismatches, params_match

DEFAULT_JOURNAL_SIZE = 10_000
# Entries also go, oldest first, once the memory the requests and answers they hold is estimated to
# pass this many bytes (``held_bytes``): a fuzzer posting megabyte bodies, or bodies that decode to
# deep PHP arrays, must not fill the memory 10,000 entries at a time.
DEFAULT_JOURNAL_BYTES = 32 * 1024 * 1024
# What Python holds per decoded PHP array (a dict of one item is 184 bytes on 3.11; each further item
# about 100), and per byte of text on the wire (the string objects for keys and values, the answer as
# data next to its rendered size).
_ARRAY_BYTES, _ITEM_BYTES, _WIRE_FACTOR = 200, 100, 3
NEAR_MISSES = 3
_SHOWN_CHARS = 200


def held_bytes(params: Mapping[str, Any], wire_size: int) -> int:
    """An upper estimate of the memory an entry holds: ``wire_size`` (the request and its answer on the
    wire) scaled for the objects that text becomes, plus the PHP arrays the request decoded to.

    Arrays count apart because they amplify: ``x[][]…[]=1``, 63 levels deep, is 130 bytes on the wire
    and 63 dicts (11 KB) once decoded. A flat request costs one pass over its top-level values.
    """
    held = _WIRE_FACTOR * wire_size
    pending = [value for value in params.values() if isinstance(value, (dict, list))]
    while pending:
        value = pending.pop()
        held += _ARRAY_BYTES + _ITEM_BYTES * len(value)
        items = value.values() if isinstance(value, dict) else value
        pending.extend(item for item in items if isinstance(item, (dict, list)))
    return held


def plain(value: Any, secret: bool = False) -> Any:
    """JSON-ready data: string keys, lists for tuples, and every non-empty value under a secret key
    masked, at any depth (answers can hold secrets too, e.g. a service's password)."""
    if isinstance(value, Mapping):
        return {str(key): plain(item, secret or str(key).lower() in SECRET_PARAMS)
                for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item, secret) for item in value]
    return REDACTED if secret and value not in ("", None) else value


@dataclass(slots=True)
class JournalEntry:
    seq: int
    received: float  # Unix time the request arrived
    method: str
    path: str
    action: str
    params: dict[str, Any]
    status: int | None
    response: Any
    fault: dict[str, Any] | None
    warnings: list[str]
    duration_ms: float
    key: str = field(init=False)  # the action as WHMCS matches names
    size: int = 0  # the memory the entry holds (held_bytes), counted against the journal's byte bound
    # Where an answer came from when the engine did not give it: {"upstream": url} for a recorded
    # exchange, {"replayed": file} for a replayed one. Shown as extra keys of the entry.
    note: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        self.key = action_key(self.action)

    def matches(self, key: str | None, params: Mapping[str, Any]) -> bool:
        return (key is None or key == self.key) and params_match(params, self.params)

    def to_json(self) -> dict[str, Any]:
        received = datetime.fromtimestamp(self.received, timezone.utc)
        return {
            "seq": self.seq,
            "time": received.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "method": self.method,
            "path": self.path,
            "action": self.action,
            "params": plain(self.params),
            "status": self.status,
            "response": plain(self.response),
            "fault": plain(self.fault),
            "warnings": list(self.warnings),
            "duration_ms": round(self.duration_ms, 3),
            **(self.note or {}),
        }

    def describe(self, key: str | None, params: Mapping[str, Any]) -> str:
        """One line for a failure message, saying how the entry differs from what was looked for."""
        shown = json.dumps(plain({k: v for k, v in self.params.items() if k not in SPECIAL_PARAMS}))
        if len(shown) > _SHOWN_CHARS:
            shown = shown[:_SHOWN_CHARS] + "…"
        differences = [f"action {self.action}"] if key is not None and key != self.key else []
        differences += [
            f"{name}={json.dumps(plain(self.params[name]))}" if name in self.params else f"no {name}"
            for name in mismatches(params, self.params)
        ]
        answer = f"HTTP {self.status}" if self.status is not None else "connection broken"
        line = f"#{self.seq} {self.action or '(no action)'} {shown} -> {answer}"
        return line + (f" (differs: {', '.join(differences)})" if differences else "")


def _key(action: str | None) -> str | None:
    """None (or "*") matches every action."""
    return None if action in (None, "*") else action_key(action)


class Journal:
    """A bounded, thread-safe log of API requests, numbered from 1 since it was last emptied (so a
    test that starts with a reset sees the same numbers every run)."""

    def __init__(self, size: int = DEFAULT_JOURNAL_SIZE, max_bytes: int = DEFAULT_JOURNAL_BYTES) -> None:
        if size < 1:
            raise ValueError("a journal holds at least one entry")
        self._entries: deque[JournalEntry] = deque()
        self._size = size
        self._max_bytes = max_bytes
        self._bytes = 0
        self._lock = threading.Lock()
        self._seq = 0

    def record(self, *, received: float, method: str, path: str, action: str, params: dict[str, Any],
               status: int | None, response: Any, fault: dict[str, Any] | None, warnings: list[str],
               duration_ms: float, size: int = 0, note: dict[str, Any] | None = None) -> JournalEntry:
        """Keep one request; ``size`` is what it and its answer weighed on the wire, in bytes."""
        redacted = redact_params(params)
        size = held_bytes(redacted, size)
        with self._lock:
            self._seq += 1
            entry = JournalEntry(self._seq, received, method, path, action, redacted, status, response,
                                 fault, warnings, duration_ms, size, note)
            self._entries.append(entry)
            self._bytes += size
            # The newest entry stays, however big: a test can always see the request it just sent.
            entries = self._entries
            while len(entries) > self._size or (self._bytes > self._max_bytes and len(entries) > 1):
                self._bytes -= entries.popleft().size
        return entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._seq = 0

    def entries(
        self, action: str | None = None, params: Mapping[str, Any] | None = None
    ) -> list[JournalEntry]:
        """The recorded requests for ``action`` (None or "*": any) holding ``params``, oldest first."""
        key = _key(action)
        with self._lock:
            recorded = list(self._entries)
        return [entry for entry in recorded if entry.matches(key, params or {})]

    def near_misses(self, action: str | None, params: Mapping[str, Any]) -> list[JournalEntry]:
        """The recorded requests that do not match but come closest: same action first, then the most
        matching parameters, then the most recent."""
        key = _key(action)
        with self._lock:
            recorded = list(self._entries)
        misses = [entry for entry in recorded if not entry.matches(key, params)]
        misses.sort(reverse=True, key=lambda entry: (
            key in (None, entry.key), len(params) - len(mismatches(params, entry.params)), entry.seq,
        ))
        return misses[:NEAR_MISSES]

    def verify(self, action: str | None, params: Mapping[str, Any], times: int | None = None) -> int:
        """The number of matching requests; AssertionError, listing near misses, unless it is ``times``
        (or at least one when ``times`` is None)."""
        count = len(self.entries(action, params))
        if (count >= 1) if times is None else (count == times):
            return count
        wanted = "at least once" if times is None else _times(times)
        looked_for = action or "any action"
        if params:
            looked_for += f" with {json.dumps(plain(params), default=str)}"
        lines = [f"expected {looked_for} {wanted}, but it was called {_times(count)}"]
        misses = self.near_misses(action, params)
        if misses:
            key = _key(action)
            lines += ["closest recorded requests:", *(f"  {miss.describe(key, params)}" for miss in misses)]
        else:
            lines.append("no other requests recorded")
        raise AssertionError("\n".join(lines))


def _times(count: int) -> str:
    return f"{count} time{'' if count == 1 else 's'}"
