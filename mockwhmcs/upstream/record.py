"""``mockwhmcs record``: every API request forwarded to another WHMCS, its answer returned unchanged.

``Recorder`` is WSGI middleware in front of the mock's app. It is deliberately not an ``ApiEndpoint``:
the socket server answers an ``ApiEndpoint``'s API requests on its event loop, and forwarding blocks
for as long as the other WHMCS takes, so the server runs the Recorder in its WSGI thread pool instead
(server.py). The control API and dashboard pass through to the app; the journal gets both sides of
every exchange, secrets masked, and ``--save`` writes each one as a fixture file (recordings.py).
"""

from __future__ import annotations

import copy
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.exceptions import RequestEntityTooLarge

from ..app import API_PATH, NOT_API, REASONS, TEXT, api_route, create_app, engine_of
from ..control.journal import Journal
from ..wire.api import DEFAULT_MAX_BODY, ApiRequest, decode_environ, read_body, too_large_message
from ..wire.redact import REDACTED
from .client import API_PATH as UPSTREAM_API_PATH
from .client import Exchange, Upstream, UpstreamError
from .recordings import CREDENTIALS, FixtureWriter, logged

Report = Callable[[str], None]


def recording_app(upstream: Upstream, *, save: Path | None = None, report: Report | None = None) -> Flask:
    """The mock's app (control API, dashboard, journal) with every API request forwarded to
    ``upstream``; each exchange saved in ``save`` if given. ``report`` gets one line per problem
    (default: stderr).
    RecordingError when ``save`` cannot be written to."""
    app = create_app("empty")
    writer = FixtureWriter(save) if save is not None else None
    app.wsgi_app = Recorder(upstream, engine_of(app).journal, app.wsgi_app,  # type: ignore[method-assign]
                            writer=writer, report=report or _to_stderr)
    return app


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


class Recorder:
    """Forwards the API to ``upstream``; hands everything else to ``fallback``."""

    def __init__(self, upstream: Upstream, journal: Journal, fallback: Any, *, writer: FixtureWriter | None,
                 report: Report, max_body: int = DEFAULT_MAX_BODY) -> None:
        self.upstream = upstream
        self.journal = journal
        self.fallback = fallback
        self.writer = writer
        self.report = report
        self.max_body = max_body
        # /api/v1/<action> goes to the same place under the other WHMCS's root.
        url = upstream.url
        self.root = url[: -len(UPSTREAM_API_PATH)] if url.endswith("/" + UPSTREAM_API_PATH) else (
            url.rsplit("/", 1)[0] + "/")

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path_action = api_route(environ)
        if path_action is NOT_API or environ.get("REQUEST_METHOD") not in ("GET", "POST"):
            return self.fallback(environ, start_response)  # the mock's own answer, 405 for other methods
        try:
            exchange = self._forward(environ, path_action)
        except RequestEntityTooLarge:
            exchange = Exchange(413, TEXT, too_large_message(self.max_body).encode())
        headers = [("Content-Length", str(len(exchange.body)))]
        if exchange.content_type:
            headers.insert(0, ("Content-Type", exchange.content_type))
        if exchange.location:  # a redirect goes back as it came, for the client to follow or not
            headers.append(("Location", exchange.location))
        start_response(f"{exchange.status} {REASONS.get(exchange.status, 'Unknown')}", headers)
        return [exchange.body]

    def _forward(self, environ: dict[str, Any], path_action: str | None) -> Exchange:
        received, started = time.time(), time.perf_counter()
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        body = read_body(environ, self.max_body) if method == "POST" else b""
        # Decoded for the journal and the fixture from a copy of the body: the bytes go on unchanged.
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        try:
            req = decode_environ(environ, self.max_body)
        except Exception:  # a body the mock cannot decode still goes to the other WHMCS, as it is
            req = ApiRequest(method, path, "", {}, {})
        name = path_action if path_action is not None else req.special("action") or ""
        note: dict[str, Any] = {"upstream": self.upstream.url}
        try:
            exchange = self._endpoint(path).post(body, query=environ.get("QUERY_STRING", ""),
                                                 content_type=environ.get("CONTENT_TYPE", ""), method=method)
        except UpstreamError as error:
            line = f"mockwhmcs record: {error}"
            self.report(line)
            exchange = Exchange(502, TEXT, f"{line}\n".encode())
        else:
            if self.writer is not None:
                note["saved"] = self._save(self.writer, method, path, name, req, exchange)
        # The journal masks secrets; the identifier too here, since these credentials are the real WHMCS's.
        params = {key: REDACTED if key in CREDENTIALS else value for key, value in req.params.items()}
        self.journal.record(
            received=received, method=method, path=path, action=name, params=params,
            status=exchange.status, response=logged(exchange.body), fault=None, warnings=[],
            duration_ms=(time.perf_counter() - started) * 1000, size=len(body) + len(exchange.body),
            note=note,
        )
        return exchange

    def _endpoint(self, path: str) -> Upstream:
        if path == API_PATH:
            return self.upstream
        endpoint = copy.copy(self.upstream)
        endpoint.url = self.root + path.lstrip("/")
        return endpoint

    def _save(self, writer: FixtureWriter, method: str, path: str, name: str, req: ApiRequest,
              exchange: Exchange) -> str | None:
        try:
            return writer.write(method, path, name, req.params, exchange)
        except OSError as error:  # the answer still goes back; only the fixture is missing
            self.report(f"mockwhmcs record: cannot save {name or 'the exchange'} in {writer.directory}: "
                        f"{error.strerror or error}")
            return None
