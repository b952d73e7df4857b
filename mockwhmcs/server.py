"""Serve a WSGI app on a real socket from a background thread (tests, the pytest plugin, embedding)."""

from __future__ import annotations

import threading
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .wire.redact import redact_query


class RedactingRequestHandler(WSGIRequestHandler):
    """Werkzeug's access log, minus secrets that clients put in the query string."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.requestline = redact_query(self.requestline)
        super().log_request(code, size)


class BackgroundServer:
    """A threaded HTTP server in a daemon thread; port 0 picks a free ephemeral port."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True) -> None:
        self.app = app
        self.quiet = quiet
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._server is not None:
            return
        # make_server binds before returning, so the port is accepting as soon as start() returns.
        handler = _SilentHandler if self.quiet else RedactingRequestHandler
        self._server = make_server(self.host, self.port, self.app, threaded=True, request_handler=handler)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name="mockwhmcs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def __enter__(self) -> BackgroundServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _SilentHandler(WSGIRequestHandler):
    """No access log: an embedded server should not write to the test runner's output."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass
