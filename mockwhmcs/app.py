"""The Flask application: WHMCS's API endpoint and the control API, with the engine they serve."""

from __future__ import annotations

import os
import time
from http import HTTPStatus
from typing import Any

from flask import Flask, Response
from werkzeug.exceptions import RequestEntityTooLarge

from . import actions  # noqa: F401  (registers every action)
from .actions.registry import find_action
from .control import routes
from .control.engine import ENGINE, Engine, engine_of
from .control.faults import BREAKS_CONNECTIONS, CONNECTION_FAULT, SOCKET_FAULTS, ConnectionFault
from .control.guard import guard_control_plane
from .control.journal import DEFAULT_JOURNAL_SIZE
from .control.warnings import WARNING_HEADER, as_header, integration_warnings
from .store.scenario import Scenario, load_scenario
from .ui import front
from .ui import ui as dashboard
from .wire.api import (
    DEFAULT_MAX_BODY,
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
    request context and response objects; everything else passes on to Flask.
    """

    def __init__(self, engine: Engine, fallback: Any, max_body: int) -> None:
        self.engine = engine
        self.fallback = fallback
        self.max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("//"):
            # At least one Go client posts to //includes/api.php; WHMCS's web server serves it anyway.
            path = environ["PATH_INFO"] = "/" + path.lstrip("/")
        if path == API_PATH:
            path_action = None
        elif path.startswith(API_V1_PREFIX) and "/" not in path[len(API_V1_PREFIX):]:
            path_action = path[len(API_V1_PREFIX):]
        else:
            return self.fallback(environ, start_response)
        if environ.get("REQUEST_METHOD") not in ("GET", "POST"):
            refusal = HttpAnswer(405, TEXT, b"Method Not Allowed\n")
            return _send(start_response, refusal, [("Allow", "GET, POST")])
        try:
            http_answer, headers = self.call(environ, path_action)
        except RequestEntityTooLarge:
            http_answer, headers = HttpAnswer(413, TEXT, too_large_message(self.max_body).encode()), []
        except ConnectionFault:
            raise
        except Exception as exc:  # a client gets a WHMCS envelope, never a traceback or a 500
            http_answer, headers = internal_error(exc).encode(), []
        return _send(start_response, http_answer, headers)

    def call(self, environ: dict[str, Any], path_action: str | None) -> tuple[HttpAnswer, Headers]:
        """One API request: warnings, then an injected fault or WHMCS's answer, then the journal."""
        received, started = time.time(), time.perf_counter()
        engine = self.engine
        store = engine.store  # one store for the whole request, even if a scenario load swaps it meanwhile
        req = decode_environ(environ, self.max_body)
        name = path_action if path_action is not None else req.special("action") or ""
        entry = find_action(name)
        warnings = integration_warnings(req, entry, store.catalog)
        # Faults come before access control: a simulated outage must not depend on the credentials sent.
        fault = engine.faults.pick(name, req.params)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        status: int | None
        if fault is not None and fault.outcome is not None:
            http_answer, logged = fault.respond(req, entry, name, store.catalog.settings.whmcs_version)
            status = http_answer.status
            if fault.outcome in SOCKET_FAULTS:
                environ[CONNECTION_FAULT] = fault.outcome
                status = None
        else:
            try:
                result = answer(store, req, path_action)
            except Exception as exc:
                result = internal_error(exc, req)
            http_answer, logged, status = result.encode(), result.data, result.status
        engine.journal.record(
            received=received, method=req.method, path=req.path, action=entry.name if entry else name,
            params=req.params, status=status, response=logged,
            fault=fault.definition if fault is not None else None, warnings=warnings,
            duration_ms=(time.perf_counter() - started) * 1000,
            size=_request_size(environ) + len(http_answer.body),
        )
        if status is None and not environ.get(BREAKS_CONNECTIONS):
            # Only mockwhmcs's own server can break a connection (server.py); elsewhere, an exception.
            raise ConnectionFault(fault.outcome)  # type: ignore[union-attr]
        return http_answer, [(WARNING_HEADER, as_header(warning)) for warning in warnings]


def _request_size(environ: dict[str, Any]) -> int:
    return len(environ.get("QUERY_STRING", "")) + (content_length(environ) or 0)


_REASONS = {status.value: status.phrase for status in HTTPStatus}


def _send(start_response: Any, http_answer: HttpAnswer, headers: Headers) -> list[bytes]:
    length = str(len(http_answer.body))
    start_response(
        f"{http_answer.status} {_REASONS.get(http_answer.status, 'Unknown')}",
        [("Content-Type", http_answer.content_type), ("Content-Length", length), *headers],
    )
    return [http_answer.body]
