"""Serve a WSGI app on a real socket from a background thread (tests, the pytest plugin, embedding).

This is also the one place where injected connection faults happen on the TCP connection. The app
cannot break a connection through WSGI, so it marks the environ instead (``CONNECTION_FAULT``) and
returns a placeholder answer; ``MockRequestHandler`` sees the mark before writing a byte of it and:

- ``reset``: closes the socket with SO_LINGER 0, so the client gets a TCP RST (connection reset);
- ``empty``: closes the connection without a byte of response;
- ``hang``: answers nothing until the client disconnects or the server stops listening, polling so
  that stopping the server is never held up.

The handler flags the environ it builds (``BREAKS_CONNECTIONS``); without that flag (Flask's test
client, another WSGI server) the app raises ``ConnectionFault`` instead. Moving to another server
means porting this class.
"""

from __future__ import annotations

import select
import socket
import struct
import threading
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .control.faults import BREAKS_CONNECTIONS, CONNECTION_FAULT, HANG_POLL_SECONDS


class _Abort(ConnectionAbortedError):
    """Stops werkzeug before it writes the answer; werkzeug treats it as a dropped connection."""


class MockRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler, plus the connection faults the app asks for (see the module docstring)."""

    def make_environ(self) -> dict[str, Any]:
        environ = super().make_environ()
        environ[BREAKS_CONNECTIONS] = True
        return environ

    def send_response(self, code: int, message: str | None = None) -> None:
        # werkzeug calls this as it starts writing the app's answer, so nothing has been sent yet.
        if getattr(self, "environ", {}).get(CONNECTION_FAULT):
            raise _Abort
        super().send_response(code, message)

    def run_wsgi(self) -> None:
        super().run_wsgi()
        fault = self.environ.get(CONNECTION_FAULT)
        if not fault:
            return
        self.close_connection = True
        self.log_request(fault)
        if fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            # The socket only really closes (and so sends the RST) once its reader is closed too.
            self.rfile.close()
            self.connection.close()
        elif fault == "hang":
            self._hang()
        # "empty": the usual close that follows sends no byte, since none was written.

    def _hang(self) -> None:
        while self.server.socket.fileno() != -1:
            readable, _, _ = select.select([self.connection], [], [], HANG_POLL_SECONDS)
            if readable:
                try:
                    if not self.connection.recv(65536):
                        return  # the client gave up
                except OSError:
                    return


class BackgroundServer:
    """A threaded HTTP server in a daemon thread; port 0 picks a free ephemeral port."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._server is not None:
            return
        # make_server binds before returning, so the port is accepting as soon as start() returns.
        self._server = make_server(self.host, self.port, self.app, threaded=True,
                                   request_handler=_SilentHandler)
        self.port = self._server.server_port
        # A short poll interval: stop() waits up to one interval, once per test session.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="mockwhmcs",
                                        daemon=True)
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


class _SilentHandler(MockRequestHandler):
    """No access log: an embedded server should not write to the test runner's output."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass
