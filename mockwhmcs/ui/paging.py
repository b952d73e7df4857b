"""One page of a newest-first list: the store's record tables, a client's orders, the journal.

A page reads only its own rows. Skipping the newer pages is islice's loop over the table's dict, which
reads no row; the rows shown are the only ones a page turns into cells. So a page costs the same with
ten orders or a hundred thousand, and the store lock is held for that page alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Generic, TypeVar

from flask import abort, request, url_for

Item = TypeVar("Item")
Shown = TypeVar("Shown")

# Rows on a page: enough to scan by eye, few enough that a page renders in a blink.
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Page(Generic[Shown]):
    items: list[Shown]
    number: int  # from 1, the newest rows
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return page_count(self.total, self.size)

    @property
    def first(self) -> int:
        """The position of the page's first row in the whole list, from 1 (0 for an empty list)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * self.size + len(self.items)

    def link(self, number: int) -> str | None:
        """This page's address at page ``number``, keeping its other query arguments; None if there is
        no such page."""
        if not 1 <= number <= self.pages:
            return None
        args = {**request.args.to_dict(), "page": str(number)}
        if number == 1:
            del args["page"]
        return url_for(request.endpoint or "", **(request.view_args or {}), **args)


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    """Pages ``total`` rows fill: an empty list still has its first page, saying there is nothing."""
    return max(1, -(-total // size))


def requested_page() -> int:
    """The ``page`` query argument: 1 when absent, a 404 when it names no page there can be."""
    text = request.args.get("page", "1")
    if not text.isdigit() or int(text) < 1:
        abort(404, f"There is no page {text!r}: pages are numbered from 1.")
    return int(text)


def page_of(newest_first: Iterable[Item], total: int, number: int, show: Callable[[Item], Shown],
            size: int = PAGE_SIZE) -> Page[Shown]:
    """Page ``number`` of ``total`` items given newest first; ``show`` turns each of its items, and only
    those, into what the page displays. A page past the end is a 404 (the first page always exists)."""
    pages = page_count(total, size)
    if number > pages:
        abort(404, f"There is no page {number}: there {'is' if pages == 1 else 'are'} {pages}.")
    start = (number - 1) * size
    return Page([show(item) for item in islice(newest_first, start, start + size)], number, total, size)
