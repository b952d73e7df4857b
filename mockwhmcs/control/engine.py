"""The engine: everything one mock WHMCS holds, shared by the HTTP app, the CLI and the pytest plugin.

It lives here rather than in app.py because the control routes need it and app.py needs them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask

from .. import actions  # noqa: F401  (registers every action, which replaying a state file runs)
from ..actions.registry import Call, find_action, run
from ..collector import after_reset
from ..errors import ApiError
from ..store.persistence import ClockChange, Command, StateFile, StateFileError
from ..store.scenario import Scenario
from ..store.store import Store
from .faults import FaultSet
from .journal import DEFAULT_JOURNAL_SIZE, Journal

if TYPE_CHECKING:
    from ..upstream.replay import Replay

ENGINE = "mockwhmcs"


@dataclass(slots=True)
class Engine:
    store: Store
    journal: Journal
    faults: FaultSet
    # Recorded answers served before the engine's (``mockwhmcs replay``); None the rest of the time.
    replay: Replay | None = None

    @classmethod
    def for_scenario(cls, scenario: Scenario, journal_size: int = DEFAULT_JOURNAL_SIZE) -> Engine:
        store = Store(scenario)
        faults = FaultSet(scenario.data["faults"], store.catalog.settings.seed)
        return cls(store, Journal(journal_size), faults)

    @property
    def scenario(self) -> Scenario:
        return self.store.scenario

    def reset(self) -> None:
        """Back to the loaded scenario: records, clock, random sequences, faults; an empty journal; a
        replay back to each request's first recorded answer."""
        with self.store.lock:
            self.store.reset()
            self._reset_control()
        after_reset()

    def load(self, scenario: Scenario) -> None:
        """Serve ``scenario`` from now on, from its initial state.

        The new store is built before the swap, so every request sees one whole store or the other.
        """
        store = Store(scenario)
        with self.store.lock:
            log = self.store.log
            if log is not None:
                log.restart(scenario)
            # A request still holding the old store must not write to the file the new one continues.
            store.log, self.store.log = log, None
            self.store = store
            self._reset_control()
        after_reset()

    def keep_state(self, path: str | os.PathLike[str]) -> list[str]:
        """Continue the state file at ``path`` (created if missing) and write every change to it.

        Its calls are replayed through the actions, each at the instant it first ran. Returns
        warnings worth showing; StateFileError, changing nothing on disk, if it cannot be continued.
        """
        opened = StateFile.open(path, self.scenario)
        store = self.store
        try:
            with store.lock:
                for record in opened.records:
                    if isinstance(record, ClockChange):
                        store.clock.restore(record.frozen, record.offset)
                    else:
                        opened.warnings.extend(_replay(store, record, opened.state_file))
                store.log = opened.state_file
        except BaseException:
            opened.state_file.close()
            raise
        return opened.warnings

    def _reset_control(self) -> None:
        self.faults.load(self.scenario.data["faults"], self.store.catalog.settings.seed)
        self.journal.clear()
        if self.replay is not None:
            self.replay.rewind()


def _replay(store: Store, command: Command, state_file: StateFile) -> list[str]:
    where = f"{state_file.path}:{command.line}"
    entry = find_action(command.action)
    if entry is None or not entry.mutates:
        raise StateFileError(f"{where}: {command.action!r} is not an API action that changes the store")
    with store.clock.held(command.now):
        try:
            run(entry, Call(command.params, store, ip=command.ip, admin=command.admin))
        except ApiError:
            pass  # it answered this error when it first ran, too
        except Exception as error:  # a bug in an action: the first run failed the same way, and went on
            return [f"{where}: replaying {command.action} raised {type(error).__name__}: {error}"]
    return []


def engine_of(app: Flask) -> Engine:
    return app.extensions[ENGINE]
