"""The Flask application: WHMCS's API endpoint, with the engine it serves."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from . import actions  # noqa: F401  (registers every action)
from .store.scenario import Scenario, load_scenario
from .store.store import Store
from .wire.api import answer, decode_request, internal_error

# PHP's post_max_size default.
DEFAULT_MAX_BODY = 8 * 1024 * 1024
ENGINE = "mockwhmcs"


@dataclass(slots=True)
class Engine:
    """Everything one mock WHMCS holds; shared by the HTTP app, the CLI and the pytest plugin."""

    store: Store


def engine_of(app: Flask) -> Engine:
    return app.extensions[ENGINE]


def create_app(
    scenario: str | os.PathLike[str] | Scenario = "default", *, max_body: int = DEFAULT_MAX_BODY
) -> Flask:
    """A WSGI app answering like a WHMCS 8.12 loaded with ``scenario`` (a bundled name or a path)."""
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = max_body
    app.extensions[ENGINE] = Engine(store=Store(loaded))
    app.wsgi_app = _collapse_leading_slashes(app.wsgi_app)  # type: ignore[method-assign]

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
    req = decode_request(request)
    try:
        result = answer(engine_of(app).store, req, path_action)
    except Exception as exc:
        result = internal_error(req, exc)
    return result.to_response()


def _collapse_leading_slashes(wsgi_app: Any) -> Any:
    """At least one Go client posts to ``//includes/api.php``; WHMCS's web server serves it anyway."""

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("//"):
            environ["PATH_INFO"] = "/" + path.lstrip("/")
        return wsgi_app(environ, start_response)

    return middleware
