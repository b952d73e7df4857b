"""The Flask application: WHMCS's API endpoint and the control API, with the engine they serve."""

from __future__ import annotations

import os
import time
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from . import actions  # noqa: F401  (registers every action)
from .actions.registry import find_action
from .control import routes
from .control.engine import ENGINE, Engine, engine_of
from .control.faults import SOCKET_FAULTS, ConnectionFault
from .control.journal import DEFAULT_JOURNAL_SIZE
from .control.warnings import WARNING_HEADER, as_header, integration_warnings
from .server import BREAKS_CONNECTIONS, CONNECTION_FAULT
from .store.scenario import Scenario, load_scenario
from .wire.api import answer, decode_request, internal_error

__all__ = ["Engine", "create_app", "engine_of"]

# PHP's post_max_size default.
DEFAULT_MAX_BODY = 8 * 1024 * 1024


def create_app(
    scenario: str | os.PathLike[str] | Scenario = "default",
    *,
    max_body: int = DEFAULT_MAX_BODY,
    journal_size: int = DEFAULT_JOURNAL_SIZE,
) -> Flask:
    """A WSGI app answering like a WHMCS 8.12 loaded with ``scenario`` (a bundled name or a path).

    ``journal_size`` bounds the request journal: the oldest entries go first.
    """
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max_body
    app.extensions[ENGINE] = Engine.for_scenario(loaded, journal_size)
    app.wsgi_app = _collapse_leading_slashes(_connection_faults(app.wsgi_app))  # type: ignore[method-assign]
    routes.register(app)

    @app.route("/includes/api.php", methods=["GET", "POST"])
    def api() -> Response:
        return _api_call(app, None)

    @app.route("/api/v1/<path_action>", methods=["GET", "POST"])
    def api_v1(path_action: str) -> Response:
        return _api_call(app, path_action)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_: RequestEntityTooLarge) -> Response:
        return Response(
            f"Request body larger than the {max_body} bytes allowed (like PHP's post_max_size)\n",
            status=413, content_type="text/plain; charset=utf-8",
        )

    return app


def _api_call(app: Flask, path_action: str | None) -> Response:
    """One API request: warnings, then an injected fault or WHMCS's answer, then the journal."""
    received, started = time.time(), time.perf_counter()
    engine = engine_of(app)
    store = engine.store  # one store for the whole request, even if a scenario load swaps it meanwhile
    req = decode_request(request)
    name = path_action if path_action is not None else req.special("action") or ""
    entry = find_action(name)
    warnings = integration_warnings(req, entry, store.catalog)
    # Faults come before access control: a simulated outage must not depend on the credentials sent.
    fault = engine.faults.pick(name, req.params)
    if fault is not None and fault.delay:
        time.sleep(fault.delay)
    if fault is not None and fault.outcome is not None:
        response, logged = fault.respond(req, entry, name, store.catalog.settings.whmcs_version)
        status: int | None = response.status_code
        if fault.outcome in SOCKET_FAULTS:
            request.environ[CONNECTION_FAULT] = fault.outcome
            status = None
    else:
        try:
            result = answer(store, req, path_action)
        except Exception as exc:
            result = internal_error(req, exc)
        response, logged, status = result.to_response(), result.data, result.status
    for warning in warnings:
        response.headers.add(WARNING_HEADER, as_header(warning))
    engine.journal.record(
        received=received, method=req.method, path=req.path, action=entry.name if entry else name,
        params=req.params, status=status, response=logged,
        fault=fault.definition if fault is not None else None, warnings=warnings,
        duration_ms=(time.perf_counter() - started) * 1000,
    )
    return response


def _connection_faults(wsgi_app: Any) -> Any:
    """Where the server cannot break the connection (see server.py), the fault is an exception."""

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        response = wsgi_app(environ, start_response)
        fault = environ.get(CONNECTION_FAULT)
        if fault and not environ.get(BREAKS_CONNECTIONS):
            raise ConnectionFault(fault)
        return response

    return middleware


def _collapse_leading_slashes(wsgi_app: Any) -> Any:
    """At least one Go client posts to ``//includes/api.php``; WHMCS's web server serves it anyway."""

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("//"):
            environ["PATH_INFO"] = "/" + path.lstrip("/")
        return wsgi_app(environ, start_response)

    return middleware
