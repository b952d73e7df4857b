"""Setting and advancing the mock's clock, for ``POST /_mock/clock`` and ``MockWhmcs.clock``."""

from __future__ import annotations

from datetime import datetime, timedelta

from .engine import Engine


def parse_moment(text: str) -> datetime:
    """``YYYY-MM-DD HH:MM:SS`` (or ``YYYY-MM-DD``, or ISO 8601 with a ``T``) as WHMCS's local time."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        raise ValueError(f"{text!r} has a time zone; WHMCS keeps local times without one")
    return moment.replace(microsecond=0)


class ClockControl:
    """The clock of whatever scenario the engine serves (a scenario load replaces the store)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def now(self) -> datetime:
        return self._engine.store.clock.now()

    def set(self, moment: datetime | str) -> datetime:
        """Freeze the clock at ``moment``."""
        if isinstance(moment, str):
            moment = parse_moment(moment)
        store = self._engine.store
        with store.lock:
            store.clock.set(moment)
            store.clock_changed()
            return store.clock.now()

    def advance(self, seconds: float) -> datetime:
        """Move the clock on by ``seconds`` (back, if negative), frozen or not.

        OverflowError, changing nothing, if that leaves the dates datetime can hold.
        """
        store = self._engine.store
        with store.lock:
            moved = store.clock.now() + timedelta(seconds=seconds)
            store.clock.advance(seconds)
            store.clock_changed()
            return moved
