"""The engine: everything one mock WHMCS holds, shared by the HTTP app, the CLI and the pytest plugin.

It lives here rather than in app.py because the control routes need it and app.py needs them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from ..store.scenario import Scenario
from ..store.store import Store
from .faults import FaultSet
from .journal import DEFAULT_JOURNAL_SIZE, Journal

ENGINE = "mockwhmcs"


@dataclass(slots=True)
class Engine:
    store: Store
    journal: Journal
    faults: FaultSet

    @classmethod
    def for_scenario(cls, scenario: Scenario, journal_size: int = DEFAULT_JOURNAL_SIZE) -> Engine:
        store = Store(scenario)
        faults = FaultSet(scenario.data["faults"], store.catalog.settings.seed)
        return cls(store, Journal(journal_size), faults)

    @property
    def scenario(self) -> Scenario:
        return self.store.scenario

    def reset(self) -> None:
        """Back to the loaded scenario: records, clock, random sequences, faults; an empty journal."""
        with self.store.lock:
            self.store.reset()
            self._reset_control()

    def load(self, scenario: Scenario) -> None:
        """Serve ``scenario`` from now on, from its initial state.

        The new store is built before the swap, so every request sees one whole store or the other.
        """
        store = Store(scenario)
        with self.store.lock:
            self.store = store
            self._reset_control()

    def _reset_control(self) -> None:
        self.faults.load(self.scenario.data["faults"], self.store.catalog.settings.seed)
        self.journal.clear()


def engine_of(app: Flask) -> Engine:
    return app.extensions[ENGINE]
