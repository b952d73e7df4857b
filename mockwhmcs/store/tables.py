"""An in-memory table: rows by id, an id sequence, and secondary indexes on fields changed only through it."""

from __future__ import annotations

import bisect
import copy
import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import Any, Generic, TypeVar

Row = TypeVar("Row")
# An index maps a value to the id of its one row, or to a list of ids once it has several: most keys
# (an order number, an order's services) have one row, and a list for each costs 64 bytes a row.
Ids = int | list[int]
# Equal amounts share one Decimal object (104 bytes each): a store of 100k orders holds a few dozen
# distinct prices. Amounts only leave the store through money(), so 5.0 and 5.00 may share one.
_SHARED_AMOUNTS: dict[Decimal, Decimal] = {}
_MAX_SHARED_AMOUNTS = 10_000


class Table(Generic[Row]):
    """Rows keyed by ``id`` in insertion (so id) order, with list indexes on fields that change only
    through ``change`` (a domain renamed).

    Ids are never reused, even after a delete: WHMCS's auto-increment columns behave that way and
    integrations sometimes rely on it.
    """

    __slots__ = ("_indexes", "next_id", "rows")

    def __init__(self, indexed: tuple[str, ...] = ()) -> None:
        self.rows: dict[int, Row] = {}
        self.next_id = 1
        self._indexes: dict[str, dict[Any, Ids]] = {name: {} for name in indexed}

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows.values())

    def __reversed__(self) -> Iterator[Row]:
        return reversed(self.rows.values())

    def new_id(self) -> int:
        row_id = self.next_id
        self.next_id += 1
        return row_id

    def add(self, row: Row) -> Row:
        row_id: int = row.id  # type: ignore[attr-defined]
        self.rows[row_id] = row
        if row_id >= self.next_id:
            self.next_id = row_id + 1
        for name, index in self._indexes.items():
            _index(index, getattr(row, name), row_id)
        for name in _amount_fields(type(row)):
            amount = getattr(row, name)
            shared = _SHARED_AMOUNTS.get(amount)
            if shared is None:
                if len(_SHARED_AMOUNTS) < _MAX_SHARED_AMOUNTS:
                    _SHARED_AMOUNTS[amount] = amount
            elif shared is not amount:
                setattr(row, name, shared)
        return row

    def get(self, row_id: int) -> Row | None:
        return self.rows.get(row_id)

    def where(self, name: str, value: Any) -> list[Row]:
        """Rows whose indexed field ``name`` equals ``value``, in id order."""
        ids = self._indexes[name].get(value)
        if ids is None:
            return []
        if isinstance(ids, int):
            return [self.rows[ids]]
        return [self.rows[row_id] for row_id in ids]

    def count(self, name: str, value: Any) -> int:
        """How many rows ``where(name, value)`` would give, without reading them."""
        ids = self._indexes[name].get(value)
        return 0 if ids is None else 1 if isinstance(ids, int) else len(ids)

    def newest_where(self, name: str, value: Any) -> Iterator[Row]:
        """The rows of ``where(name, value)`` newest first, read one at a time: a page of a client's
        50,000 orders reads only that page."""
        ids = self._indexes[name].get(value)
        if ids is None:
            return iter(())
        return (self.rows[row_id] for row_id in reversed([ids] if isinstance(ids, int) else ids))

    def remove(self, row_id: int) -> None:
        row = self.rows.pop(row_id)
        for name, index in self._indexes.items():
            _unindex(index, getattr(row, name), row_id)

    def change(self, row: Row, name: str, value: Any) -> None:
        """Set an indexed field of a row, keeping the row where it is and its index right."""
        row_id: int = row.id  # type: ignore[attr-defined]
        index = self._indexes[name]
        _unindex(index, getattr(row, name), row_id)
        setattr(row, name, value)
        _index(index, value, row_id)

    def clone(self) -> Table[Row]:
        """A snapshot: rows hold no mutable parts that actions change in place (see models)."""
        twin: Table[Row] = Table.__new__(Table)
        twin.rows = {row_id: copy.copy(row) for row_id, row in self.rows.items()}
        twin.next_id = self.next_id
        twin._indexes = {name: {key: ids if isinstance(ids, int) else ids[:] for key, ids in index.items()}
                         for name, index in self._indexes.items()}
        return twin


def _index(index: dict[Any, Ids], key: Any, row_id: int) -> None:
    ids = index.get(key)
    if ids is None:
        index[key] = row_id
    elif isinstance(ids, int):
        index[key] = sorted((ids, row_id))
    else:
        # In id order, as where() promises; a row re-indexed by change() may be older than the rest.
        bisect.insort(ids, row_id)


def _unindex(index: dict[Any, Ids], key: Any, row_id: int) -> None:
    ids = index[key]
    if isinstance(ids, int) or len(ids) == 1:
        del index[key]
    else:
        ids.remove(row_id)


@cache
def _amount_fields(row_type: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(row_type) if field.type in ("Decimal", Decimal))
