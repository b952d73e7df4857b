"""The Flask application: WHMCS's API endpoint and the control API, with the engine they serve."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from flask import Flask, Response
from werkzeug.exceptions import RequestEntityTooLarge

from . import actions  # noqa: F401  (registers every action)
from .actions.registry import Action, find_action
from .control import routes
from .control.engine import ENGINE, Engine, engine_of
from .control.faults import SOCKET_FAULTS, ConnectionFault, FaultRule
from .control.guard import guard_control_plane
from .control.journal import DEFAULT_JOURNAL_SIZE
from .control.warnings import WARNING_HEADER, as_header, integration_warnings
from .store.scenario import Scenario, load_scenario
from .store.store import Store
from .ui import front
from .ui import ui as dashboard
from .wire.api import (
    DEFAULT_MAX_BODY,
    ApiRequest,
    HttpAnswer,
    answer,
    content_length,
    decode_environ,
    internal_error,
    too_large_message,
)

__all__ = ["Engine", "create_app", "engine_of"]

API_PATH = "/includes/api.php"
Headers = list[tuple[str, str]]
API_V1_PREFIX = "/api/v1/"


def create_app(
    scenario: str | os.PathLike[str] | Scenario = "default",
    *,
    max_body: int = DEFAULT_MAX_BODY,
    journal_size: int = DEFAULT_JOURNAL_SIZE,
    control_token: str | None = None,
) -> Flask:
    """A WSGI app answering like a WHMCS 8.12 loaded with ``scenario`` (a bundled name or a path).

    ``max_body`` bounds request bodies (bytes); ``journal_size`` bounds the request journal: the
    oldest entries go first. The control plane under /_mock/ answers loopback callers, and others
    only with ``control_token`` (control/guard.py). The WHMCS API itself is answered in front of
    Flask (see ``ApiEndpoint``); Flask serves the control API under /_mock/.
    """
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max_body
    engine = Engine.for_scenario(loaded, journal_size)
    app.extensions[ENGINE] = engine
    app.wsgi_app = ApiEndpoint(engine, app.wsgi_app, max_body)  # type: ignore[method-assign]
    guard_control_plane(app, control_token)
    routes.register(app)
    app.register_blueprint(dashboard)
    app.register_blueprint(front)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_: RequestEntityTooLarge) -> Response:
        return Response(too_large_message(max_body), status=413, content_type=TEXT)

    return app


TEXT = "text/plain; charset=utf-8"


class ApiEndpoint:
    """WSGI middleware answering ``/includes/api.php`` and ``/api/v1/<action>`` itself.

    The API is the hot path that every test and load run goes through, so it skips Flask's routing,
    request context and response objects; everything else passes on to Flask. The socket server
    (server.py) calls ``begin`` and ``finish`` directly, waiting out a fault's delay on its event
    loop instead of in a thread: one implementation of the request's steps for both ways in.
    """

    def __init__(self, engine: Engine, fallback: Any, max_body: int) -> None:
        self.engine = engine
        self.fallback = fallback
        self.max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path_action = api_route(environ)
        if path_action is NOT_API:
            return self.fallback(environ, start_response)
        step = self.begin(environ, path_action)
        if isinstance(step, Pending):
            if step.delay:
                time.sleep(step.delay)
            step = self.finish(step)
        if step.connection is not None:
            # Only mockwhmcs's own server can break a connection (server.py); elsewhere, an exception.
            raise ConnectionFault(step.connection)
        http_answer = step.answer
        start_response(f"{http_answer.status} {REASONS.get(http_answer.status, 'Unknown')}",
                       [("Content-Type", http_answer.content_type),
                        ("Content-Length", str(len(http_answer.body))), *step.headers])
        return [http_answer.body]

    def begin(self, environ: dict[str, Any], path_action: str | None) -> Reply | Pending:
        """The first half of an API request: decode it, note its warnings and pick a fault. Returns the
        answer at once when there is nothing left to do (a refusal), else what ``finish`` completes
        once the fault's ``delay`` has passed."""
        if environ.get("REQUEST_METHOD") not in ("GET", "POST"):
            return Reply(HttpAnswer(405, TEXT, b"Method Not Allowed\n"), [("Allow", "GET, POST")])
        try:
            received, started = time.time(), time.perf_counter()
            store = self.engine.store  # one store for the whole request, even if a scenario load swaps it
            req = decode_environ(environ, self.max_body)
            name = path_action if path_action is not None else req.special("action") or ""
            entry = find_action(name)
            warnings = integration_warnings(req, entry, store.catalog)
            # Faults come before access control: a simulated outage must not depend on the credentials.
            fault = self.engine.faults.pick(name, req.params)
        except RequestEntityTooLarge:
            return Reply(HttpAnswer(413, TEXT, too_large_message(self.max_body).encode()), [])
        except Exception as exc:  # a client gets a WHMCS envelope, never a traceback or a 500
            return Reply(internal_error(exc).encode(), [])
        return Pending(received, started, store, req, path_action, name, entry, warnings, fault,
                       _request_size(environ))

    def finish(self, pending: Pending) -> Reply:
        """The second half: an injected fault or WHMCS's answer, then the journal entry."""
        try:
            return self._finish(pending)
        except Exception as exc:
            return Reply(internal_error(exc).encode(), [])

    def _finish(self, p: Pending) -> Reply:
        fault, connection, note = p.fault, None, None
        status: int | None
        replay = self.engine.replay
        if fault is not None and fault.outcome is not None:
            version = p.store.catalog.settings.whmcs_version
            http_answer, logged = fault.respond(p.req, p.entry, p.name, version)
            status = http_answer.status
            if fault.outcome in SOCKET_FAULTS:
                connection, status = fault.outcome, None
        elif replay is not None and (replayed := replay.answer(p.req, p.name, p.entry)) is not None:
            http_answer, logged, note = replayed
            status = http_answer.status
        else:
            try:
                result = answer(p.store, p.req, p.path_action)
            except Exception as exc:
                result = internal_error(exc, p.req)
            http_answer, logged, status = result.encode(), result.data, result.status
        self.engine.journal.record(
            received=p.received, method=p.req.method, path=p.req.path,
            action=p.entry.name if p.entry else p.name, params=p.req.params, status=status, response=logged,
            fault=fault.definition if fault is not None else None, warnings=p.warnings,
            duration_ms=(time.perf_counter() - p.started) * 1000, size=p.size + len(http_answer.body),
            note=note,
        )
        headers = [(WARNING_HEADER, as_header(warning)) for warning in p.warnings]
        return Reply(http_answer, headers, connection)


@dataclass(slots=True)
class Reply:
    """An API answer ready to send; ``connection`` names a socket fault to act out instead."""

    answer: HttpAnswer
    headers: Headers
    connection: str | None = None


@dataclass(slots=True)
class Pending:
    """An API request between ``ApiEndpoint.begin`` and ``finish``: decoded, its fault picked."""

    received: float
    started: float
    store: Store
    req: ApiRequest
    path_action: str | None
    name: str
    entry: Action | None
    warnings: list[str]
    fault: FaultRule | None
    size: int

    @property
    def delay(self) -> float:
        return self.fault.delay if self.fault is not None else 0.0


# What ``api_route`` answers for a path that is not the API's.
NOT_API = "\0not the API"


def api_route(environ: dict[str, Any]) -> str | None:
    """The action an API path names (``/api/v1/<action>``), None for ``/includes/api.php``, else
    ``NOT_API``. At least one Go client posts to //includes/api.php; WHMCS's web server serves it
    anyway, so leading slashes are folded (in PATH_INFO too, for what is recorded)."""
    path = environ.get("PATH_INFO", "")
    if path.startswith("//"):
        path = environ["PATH_INFO"] = "/" + path.lstrip("/")
    if path == API_PATH:
        return None
    if path.startswith(API_V1_PREFIX) and "/" not in path[len(API_V1_PREFIX):]:
        return path[len(API_V1_PREFIX):]
    return NOT_API


def _request_size(environ: dict[str, Any]) -> int:
    return len(environ.get("QUERY_STRING", "")) + (content_length(environ) or 0)


REASONS = {status.value: status.phrase for status in HTTPStatus}
