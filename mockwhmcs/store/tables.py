"""An in-memory table: rows by id, an id sequence, and secondary indexes on fields that never change."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

Row = TypeVar("Row")


class Table(Generic[Row]):
    """Rows keyed by ``id`` in insertion (so id) order, with list indexes on immutable fields.

    Ids are never reused, even after a delete: WHMCS's auto-increment columns behave that way and
    integrations sometimes rely on it.
    """

    __slots__ = ("_indexes", "next_id", "rows")

    def __init__(self, indexed: tuple[str, ...] = ()) -> None:
        self.rows: dict[int, Row] = {}
        self.next_id = 1
        self._indexes: dict[str, dict[Any, list[int]]] = {name: {} for name in indexed}

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
            key = getattr(row, name)
            ids = index.get(key)
            if ids is None:
                index[key] = [row_id]
            else:
                ids.append(row_id)
        return row

    def get(self, row_id: int) -> Row | None:
        return self.rows.get(row_id)

    def where(self, name: str, value: Any) -> list[Row]:
        """Rows whose indexed field ``name`` equals ``value``, in id order."""
        return [self.rows[row_id] for row_id in self._indexes[name].get(value, ())]

    def remove(self, row_id: int) -> None:
        row = self.rows.pop(row_id)
        for name, index in self._indexes.items():
            index[getattr(row, name)].remove(row_id)

    def clone(self) -> Table[Row]:
        """A snapshot: rows hold no mutable parts that actions change in place (see models)."""
        twin: Table[Row] = Table.__new__(Table)
        twin.rows = {row_id: copy.copy(row) for row_id, row in self.rows.items()}
        twin.next_id = self.next_id
        twin._indexes = {name: {key: ids[:] for key, ids in index.items()}
                         for name, index in self._indexes.items()}
        return twin
