"""The production server behind ``mockwhmcs serve``: waitress, one process, several threads.

Waitress was chosen by measurement (see the README's benchmark): it serves our API 2-3 times faster
than werkzeug's development server, and unlike granian (faster on a bare endpoint) it lets a task
decide what reaches the socket, which is what the injected connection faults need. State stays in
one process, so every thread sees the same store.

Connection faults follow the protocol in control/faults.py: the app marks the environ with
``CONNECTION_FAULT`` and returns a placeholder. ``FaultTask`` sees the mark before any byte is
written, writes nothing, and ends the request the way the fault says:

- ``reset``: SO_LINGER 0, so the close that waitress's loop performs sends a TCP RST;
- ``empty``: the connection closes with no response;
- ``hang``: nothing is sent until the client disconnects.
"""

from __future__ import annotations

import logging
import select
import socket
import struct
from collections.abc import Callable
from typing import Any

from waitress.channel import ClientDisconnected, HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import RequestEntityTooLarge

from .collector import settle_for_serving
from .control.faults import BREAKS_CONNECTIONS, CONNECTION_FAULT, HANG_POLL_SECONDS
from .wire.api import DEFAULT_MAX_BODY, too_large_message

DEFAULT_THREADS = 8


class FaultTask(WSGITask):
    def get_environment(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environment()
        environ[BREAKS_CONNECTIONS] = True
        return environ

    def write(self, data: bytes) -> None:
        fault = self.environ.get(CONNECTION_FAULT) if self.environ else None
        if fault is None:
            super().write(data)
            return
        self.close_on_finish = True
        if fault == "reset":
            self.channel.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif fault == "hang":
            self._hang()
        # What waitress does when a client goes away mid-request: close, write nothing, log nothing.
        raise ClientDisconnected(fault)

    def _hang(self) -> None:
        # While a request is being served, waitress's loop does not read this socket, so peeking at
        # it here is safe; an empty peek means the client closed its side.
        sock = self.channel.socket
        while self.channel.connected:
            readable, _, _ = select.select([sock], [], [], HANG_POLL_SECONDS)
            if readable:
                try:
                    if not sock.recv(1, socket.MSG_PEEK):
                        return
                except OSError:
                    return


class DrainingParser(HTTPRequestParser):
    """Reads a body declared too large to its end, keeping none of it, before the 413 is sent.

    Waitress refuses such a request as soon as it has the headers, then closes the connection with
    the body unread, and closing a socket with unread data sends a TCP reset: the client, still
    sending, gets "connection reset" and never sees the 413. A client that sent ``Expect:
    100-continue`` is answered at once instead: it is waiting, and sends no body. (A chunked body
    found too large on the way is not drained.)
    """

    _discarding = 0

    def received(self, data: bytes) -> int:
        if self._discarding:
            taken = min(len(data), self._discarding)
            self._discarding -= taken
            self.completed = not self._discarding
            return taken
        consumed: int = super().received(data)
        if isinstance(self.error, RequestEntityTooLarge) and self.content_length:
            if self.expect_continue:
                self.expect_continue = False  # or waitress would send "100 Continue" all the same
            else:
                self._discarding = self.content_length
                self.completed = False
        return consumed


class TooLargeTask(ErrorTask):
    """Waitress refuses an oversized body itself, keeping none of it (nothing spools to disk); the
    client reads the same 413 message the app sends."""

    def execute(self) -> None:
        if not isinstance(self.request.error, RequestEntityTooLarge):
            super().execute()
            return
        body = too_large_message(self.channel.server.adj.max_request_body_size - 1).encode()
        self.status = "413 Request Entity Too Large"
        self.response_headers.append(("Content-Type", "text/plain; charset=utf-8"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    task_class = FaultTask
    error_task_class = TooLargeTask
    parser_class = DrainingParser


class _Server(TcpWSGIServer):
    channel_class = _Channel


def serve_forever(app: Any, host: str, port: int, *, threads: int = DEFAULT_THREADS,
                  max_body: int = DEFAULT_MAX_BODY, on_ready: Callable[[int], None] | None = None) -> None:
    """Serve ``app`` until KeyboardInterrupt; ``on_ready`` gets the bound port (useful with port 0).

    ``max_body`` is the app's own limit on request bodies (waitress counts a body of exactly its
    limit as too large, the app only a longer one, hence the + 1 below).

    The process is the server's from here on, so the garbage collector is tuned for it (collector.py).
    """
    settle_for_serving()
    # Waitress warns whenever requests wait for a free thread: normal under a load test, and noise
    # in the output of a test double.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = _Server(app, host=host, port=port, threads=threads, ident="mockwhmcs",
                     max_request_body_size=max_body + 1,
                     # Clients get WHMCS's envelope or nothing: no waitress error pages with tracebacks.
                     expose_tracebacks=False)
    if on_ready is not None:
        on_ready(server.effective_port)
    server.run()
