"""``MockWhmcs``: a mock WHMCS on a real socket, driven from Python.

    with MockWhmcs() as whmcs:
        whmcs.inject("AddOrder", error="Client ID Not Found", times=1)
        my_integration.checkout(url=whmcs.url, identifier=whmcs.identifier, secret=whmcs.secret)
        whmcs.assert_called("AddOrder", clientid=1)

The control methods act on the engine in-process; they mirror the HTTP control API under /_mock/.
``MockWhmcs(inprocess=True)`` opens no socket: ``call`` goes through Flask's test client, and code
under test can reach ``app`` through a WSGI transport.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from .app import create_app
from .client import WhmcsClient
from .control.clock import ClockControl
from .control.engine import Engine, engine_of
from .control.journal import DEFAULT_JOURNAL_SIZE
from .server import BackgroundServer
from .store.scenario import Scenario, load_scenario
from .store.snapshot import snapshot

# Where Flask's test client says requests go; no socket listens there.
INPROCESS_BASE_URL = "http://localhost"


class MockWhmcs:
    """A WHMCS 8.12 loaded with ``scenario`` (a bundled name, a path or a Scenario), served by a
    socket server on ``host``:``port`` (0 picks a free port) between start() and stop(), or with
    ``inprocess`` by no server at all."""

    def __init__(self, scenario: str | os.PathLike[str] | Scenario = "default", host: str = "127.0.0.1",
                 port: int = 0, *, journal_size: int = DEFAULT_JOURNAL_SIZE, inprocess: bool = False) -> None:
        self.app = create_app(scenario, journal_size=journal_size)
        self.server = BackgroundServer(self.app, host, port)
        self.inprocess = inprocess

    # --- serving ---------------------------------------------------------------------------------

    def start(self) -> MockWhmcs:
        if not self.inprocess:
            self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> MockWhmcs:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://host:port``; the port is known once started."""
        return INPROCESS_BASE_URL if self.inprocess else self.server.base_url

    @property
    def url(self) -> str:
        """The API endpoint, as integrations are configured with it."""
        return self.base_url + "/includes/api.php"

    @property
    def engine(self) -> Engine:
        return engine_of(self.app)

    @property
    def identifier(self) -> str | None:
        """The scenario's first API credential (None if it has none)."""
        credentials = self.engine.scenario.data["api_credentials"]
        return credentials[0]["identifier"] if credentials else None

    @property
    def secret(self) -> str | None:
        credentials = self.engine.scenario.data["api_credentials"]
        return str(credentials[0]["secret"]) if credentials else None

    def call(self, action: str, **params: Any) -> dict[str, Any]:
        """Call ``action`` over HTTP as a JSON client would, with the first API credential.

        Lists are sent as ``key[i]`` and dicts as ``key[name]``, like PHP's http_build_query.
        In-process, an injected reset, empty or hang fault raises ConnectionFault.
        """
        if self.identifier is None or self.secret is None:
            raise RuntimeError(f"scenario {self.engine.scenario.name!r} has no api_credentials to call with")
        client = (_TestClient(self.app, self.url, self.identifier, self.secret) if self.inprocess
                  else WhmcsClient(self.url, self.identifier, self.secret))
        return client.call(action, **params)

    # --- control ---------------------------------------------------------------------------------

    def reset(self) -> None:
        """Records, clock, random sequences and faults back to the scenario; the journal emptied."""
        self.engine.reset()

    def load_scenario(self, ref: str | os.PathLike[str] | Scenario) -> None:
        """Serve another scenario from its initial state; ScenarioError (changing nothing) if bad."""
        self.engine.load(ref if isinstance(ref, Scenario) else load_scenario(ref))

    def replay(self, directory: str | os.PathLike[str] | None, *, strict: bool = False) -> int:
        """Answer the requests that match a recording in ``directory`` (``mockwhmcs record --save``)
        with the recorded answer; the engine answers the rest, or, ``strict``, an error says no
        recording matched. None stops replaying. Returns the number of recordings; RecordingError
        (one line, naming the file) if the directory cannot be replayed."""
        from .upstream.replay import Replay

        replay = None if directory is None else Replay.load(Path(directory), strict=strict)
        self.engine.replay = replay
        return len(replay) if replay is not None else 0

    def inject(self, action: str, **rule: Any) -> int:
        """Add a fault rule (see control/faults.py) after those in force; returns its id.

        ``inject("AcceptOrder", when={"orderid": 5}, status=503)``; FaultRuleError if the rule is bad.
        """
        return self.engine.faults.add({"action": action, **rule}).id

    def remove_fault(self, rule_id: int) -> bool:
        return self.engine.faults.remove(rule_id)

    def clear_faults(self) -> None:
        self.engine.faults.clear()

    @property
    def faults(self) -> list[dict[str, Any]]:
        return self.engine.faults.to_json()

    def requests(self, action: str | None = None, **params: Any) -> list[dict[str, Any]]:
        """Journal entries for ``action`` (None: any) holding ``params``, oldest first."""
        return [entry.to_json() for entry in self.engine.journal.entries(action, params)]

    def clear_requests(self) -> None:
        self.engine.journal.clear()

    def assert_called(self, action: str | None, times: int | None = None, **params: Any) -> None:
        """AssertionError, showing the closest recorded requests, unless ``action`` was called with
        ``params`` exactly ``times`` times (at least once when ``times`` is None)."""
        __tracebackhide__ = True
        try:
            self.engine.journal.verify(action, params, times)
        except AssertionError as failure:
            # Raised afresh so that pytest's traceback ends at the test's line, not inside the journal.
            raise AssertionError(str(failure)) from None

    @property
    def state(self) -> dict[str, Any]:
        """Every record table as JSON-ready data (what ``GET /_mock/state`` answers)."""
        return snapshot(self.engine.store)

    @property
    def clock(self) -> ClockControl:
        """``clock.set("2026-02-01 00:00:00")``, ``clock.advance(86400)``, ``clock.now()``."""
        return ClockControl(self.engine)


class _TestClient(WhmcsClient):
    """A WhmcsClient that posts through Flask's test client: the same requests and answers, no socket."""

    def __init__(self, app: Flask, url: str, identifier: str, secret: str) -> None:
        super().__init__(url, identifier, secret)
        self._client = app.test_client()

    def post(self, body: str) -> tuple[int, bytes]:
        response = self._client.post(self.url, data=body, content_type="application/x-www-form-urlencoded")
        return response.status_code, response.get_data()
