"""mockwhmcs's HTTP/1.1 server: one asyncio event loop (uvloop when importable) parsing with httptools.

One thread runs the loop, and every connection is a small object on it: thousands of open
connections cost memory, never threads. The loop thread answers the WHMCS API itself, calling the
engine directly (``ApiEndpoint.begin``/``finish`` in app.py): an API request never waits for a thread,
which is where a threaded server spends most of its time on a request this short. Everything else
(the control API under /_mock/, the dashboard) is Flask, run through WSGI in a small thread pool.

HTTP as clients use it: keep-alive and pipelining (answers go out in request order), Content-Length
and chunked bodies, ``Expect: 100-continue``, HEAD. A body over the limit is refused with 413 as soon
as the server knows (the declared length, or the chunks so far), and the rest of it is read and
dropped so that the client, still sending, gets the answer instead of a TCP reset. A request must
arrive whole within ``Limits.request_timeout`` of its first byte (408 otherwise) and an idle
keep-alive connection is closed after ``Limits.idle_timeout``.

Injected faults hold no thread either (see control/faults.py): a ``delay`` is an asyncio sleep, a
``hang`` leaves the connection unanswered until its client leaves or the server stops, ``reset``
closes with SO_LINGER 0 (a TCP RST), ``empty`` closes without a byte. Stopping is graceful: no new
connections, answers in progress are finished and sent (for up to ``Limits.shutdown_grace``), idle
and hanging connections are closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import signal
import socket
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any
from urllib.parse import unquote_to_bytes

import httptools

from .app import NOT_API, REASONS, ApiEndpoint, Pending, Reply, api_route
from .collector import settle_for_serving
from .wire.api import DEFAULT_MAX_BODY, too_large_message

try:
    import uvloop
except ImportError:  # pragma: no cover - uvloop is a dependency, but has no wheel for every platform
    uvloop = None

DEFAULT_THREADS = 8
log = logging.getLogger("mockwhmcs")
# More digits than any body mockwhmcs accepts: int() refuses a hostile run of thousands of them.
_LENGTH_DIGITS = 18
# The lengths of the header names the server reads: Content-Type, Expect, Content-Length.
_READ_LENGTHS = frozenset({12, 6, 14})
Headers = list[tuple[str, str]]
TEXT = "text/plain; charset=utf-8"
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
# Headers the server frames itself; an app's own would contradict them.
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length"})


@dataclass(frozen=True)
class Limits:
    """What one client may take of the server."""

    max_body: int = DEFAULT_MAX_BODY
    # The request line and headers together; Apache's default limits are of this order.
    max_head: int = 64 * 1024
    # From a request's first byte to its last: a slow or silent client is answered 408 and dropped.
    request_timeout: float = 20.0
    # A keep-alive connection with nothing in progress; nginx closes at 75 s, Apache at 5 s.
    idle_timeout: float = 60.0
    # How long a stop waits for answers in progress.
    shutdown_grace: float = 5.0
    # Requests read ahead on one connection before reading pauses until they are answered.
    max_pipeline: int = 32


def new_event_loop() -> asyncio.AbstractEventLoop:
    return uvloop.new_event_loop() if uvloop is not None else asyncio.new_event_loop()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; raises OSError when the address cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=4096)
    sock.setblocking(False)
    return sock


class HttpServer:
    """Serves ``app`` (a WSGI app; a mockwhmcs app's API is answered on the loop) on one event loop."""

    def __init__(self, app: Any, *, limits: Limits | None = None, threads: int = DEFAULT_THREADS) -> None:
        self.app = app
        wsgi_app = getattr(app, "wsgi_app", None)
        self.endpoint: ApiEndpoint | None = wsgi_app if isinstance(wsgi_app, ApiEndpoint) else None
        if limits is None:
            limits = Limits(max_body=self.endpoint.max_body if self.endpoint else DEFAULT_MAX_BODY)
        self.limits = limits
        self.threads = threads
        self.connections: set[Connection] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.host, self.port = "", 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._stop_asked = threading.Event()
        self.executor: ThreadPoolExecutor | None = None

    async def run(self, sock: socket.socket, on_ready: Callable[[], None] | None = None) -> None:
        """Serve on ``sock`` until ``stop()``, then shut down gracefully."""
        self._loop = loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self.host, self.port = sock.getsockname()[:2]
        self.executor = ThreadPoolExecutor(self.threads, thread_name_prefix="mockwhmcs-wsgi")
        server = await loop.create_server(lambda: Connection(self), sock=sock)
        if on_ready is not None:
            on_ready()
        if not self._stop_asked.is_set():
            await self._stop.wait()
        await self._shutdown(server)

    def stop(self) -> None:
        """Ask the server to stop; safe from any thread and from a signal handler."""
        self._stop_asked.set()
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)

    async def _shutdown(self, server: asyncio.AbstractServer) -> None:
        server.close()
        for connection in list(self.connections):
            connection.shut_down()
        deadline = time.monotonic() + self.limits.shutdown_grace
        while self.connections and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        for connection in list(self.connections):
            connection.abort()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        assert self.executor is not None
        self.executor.shutdown(wait=False, cancel_futures=True)


@dataclass(slots=True)
class Request:
    method: str
    url: bytes
    headers: list[tuple[bytes, bytes]]
    content_type: str
    body: bytes
    keep_alive: bool
    version: str
    # An answer decided while reading (413, 400), sent in its turn without running anything.
    refusal: tuple[int, bytes] | None = None


class Connection(asyncio.Protocol):
    """One client connection: parses requests and answers them in order."""

    def __init__(self, server: HttpServer) -> None:
        self.server = server
        self.limits = server.limits
        self.loop = server._loop
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.peer = ("", 0)
        self.queue: deque[Request] = deque()
        self.busy = False  # an answer is on its way (a delay, a WSGI thread) or hanging
        self.hung = False
        self.closed = False
        self.stopping = False
        self.reading = True
        self.write_paused = False
        self.timer: asyncio.TimerHandle | None = None
        # The request being read.
        self.in_message = False
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.head_size = 0
        self.content_type = ""
        self.declared = 0
        self.body: list[bytes] = []
        self.body_size = 0
        self.discarding = False  # refused as too large: the rest of its body is read and dropped
        self.close_after_body = False
        self.expect_continue = False
        self.done_reading = False  # nothing more is read on this connection

    # --- asyncio.Protocol --------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        peer = transport.get_extra_info("peername")
        self.peer = (peer[0], peer[1]) if peer else ("", 0)
        self.server.connections.add(self)
        self._arm(self.limits.idle_timeout)
        if self.server._stop_asked.is_set():
            self.shut_down()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._disarm()
        self.server.connections.discard(self)

    def data_received(self, data: bytes) -> None:
        if self.closed or self.hung:
            return  # a hanging connection reads on only to see its client leave
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            # No protocol upgrades here: the request is answered over HTTP/1.1, then the connection ends.
            self.stopping = True
            self.in_message = False
            self._stop_reading(for_good=True)
            self._pump()
        except httptools.HttpParserCallbackError as error:
            cause = error.__context__
            if isinstance(cause, _Refusal):
                self._refuse_now(cause.status, cause.message)
            else:
                log.error("unexpected error while serving a request", exc_info=cause)
                self._refuse_now(500, b"Internal Server Error\n")
        except httptools.HttpParserError:
            self._refuse_now(400, b"Bad Request\n")

    def eof_received(self) -> bool:
        # The client has sent all it will. Answers still owed go out before the close; a hanging
        # connection whose client gives up is released.
        if self.hung or not (self.busy or self.queue):
            return False
        self.stopping = True
        self.in_message = False  # a request begun will never be finished
        return True

    def pause_writing(self) -> None:
        # The client is not reading its answers: stop reading its requests until it does.
        self.write_paused = True
        self._stop_reading()

    def resume_writing(self) -> None:
        self.write_paused = False
        self._pump()

    # --- httptools callbacks -----------------------------------------------------------------------

    def on_message_begin(self) -> None:
        self.in_message = True
        self.url = b""
        self.headers = []
        self.head_size = 0
        self.content_type = ""
        self.declared = 0
        self.body = []
        self.body_size = 0
        self.discarding = self.close_after_body = self.expect_continue = False
        self._arm(self.limits.request_timeout)

    def on_url(self, url: bytes) -> None:
        self.url += url
        self.head_size += len(url)
        if self.head_size > self.limits.max_head:
            raise _Refusal(414, b"URI Too Long\n")

    def on_header(self, name: bytes, value: bytes) -> None:
        self.head_size += len(name) + len(value) + 4
        if self.head_size > self.limits.max_head:
            raise _Refusal(431, b"Request Header Fields Too Large\n")
        self.headers.append((name, value))
        if len(name) not in _READ_LENGTHS:
            return  # not lowercased: 6.5 -> 3.9 µs for five usual headers (timeit, best of 7)
        lowered = name.lower()
        if lowered == b"content-type":
            self.content_type = value.decode("latin-1")
        elif lowered == b"expect" and value.lower() == b"100-continue":
            self.expect_continue = True
        elif lowered == b"content-length" and value.isdigit():
            self.declared = int(value) if len(value) <= _LENGTH_DIGITS else 10**_LENGTH_DIGITS

    def on_headers_complete(self) -> None:
        if self.declared > self.limits.max_body:
            self._too_large()  # before a byte of the body is read
        elif self.expect_continue and self.parser.get_http_version() == "1.1":
            if self.busy or self.queue:
                # The 100 would come before earlier answers; the client sends its body after a pause.
                return
            self.transport.write(_CONTINUE)

    def on_body(self, body: bytes) -> None:
        if self.discarding:
            return
        self.body_size += len(body)
        if self.body_size > self.limits.max_body:  # a chunked body, found too large on the way
            self.body = []
            self._too_large()
            return
        self.body.append(body)

    def on_message_complete(self) -> None:
        self.in_message = False
        self._disarm()
        if self.hung:
            return  # requests read behind a hanging one are never answered either
        if self.discarding:
            if self.close_after_body:
                self.closed = True
                self.transport.close()
            return
        parser = self.parser
        self.queue.append(Request(
            parser.get_method().decode("latin-1"), self.url, self.headers, self.content_type,
            b"".join(self.body), parser.should_keep_alive(), parser.get_http_version(),
        ))
        if len(self.queue) >= self.limits.max_pipeline:
            self._stop_reading()
        self._pump()

    # --- answering ---------------------------------------------------------------------------------

    def _too_large(self) -> None:
        self.discarding = True
        refusal = (413, too_large_message(self.limits.max_body).encode())
        self.queue.append(Request("POST", self.url, self.headers, "", b"", False, "1.1", refusal))
        self._pump()

    def _refuse_now(self, status: int, message: bytes) -> None:
        """A request the parser cannot go on with: answered in its turn, then the connection ends."""
        self._stop_reading(for_good=True)
        self.in_message = False
        self.queue.append(Request("GET", b"", [], "", b"", False, "1.1", (status, message)))
        self._pump()

    def _pump(self) -> None:
        """Answer queued requests in order until one has to wait."""
        while self.queue and not self.busy and not self.closed:
            request = self.queue.popleft()
            if request.refusal is not None:
                status, message = request.refusal
                self._send(request, status, TEXT, message, [])
                continue
            self._answer(request)
        if self.closed or self.busy:
            return
        if self.stopping and not self.queue:
            if not self.in_message:
                self.transport.close()
            return
        if (not self.reading and not self.done_reading and not self.write_paused
                and len(self.queue) < self.limits.max_pipeline):
            self.reading = True
            self.transport.resume_reading()
        if not self.in_message and not self.queue:
            self._arm(self.limits.idle_timeout)

    def _answer(self, request: Request) -> None:
        environ = self._environ(request)
        endpoint = self.server.endpoint
        path_action = api_route(environ) if endpoint is not None else NOT_API
        if path_action is NOT_API:
            self._run_wsgi(request, environ)
            return
        assert endpoint is not None
        step = endpoint.begin(environ, path_action)
        if isinstance(step, Pending):
            if step.delay:
                self._after_delay(request, step)
                return
            step = endpoint.finish(step)
        self._reply(request, step)

    def _after_delay(self, request: Request, pending: Pending) -> None:
        self.busy = True

        async def delayed() -> None:
            await asyncio.sleep(pending.delay)
            assert self.server.endpoint is not None
            self.busy = False
            self._reply(request, self.server.endpoint.finish(pending))
            self._pump()

        self._track(delayed())

    def _reply(self, request: Request, reply: Reply) -> None:
        if self.closed:
            return  # the client left while the answer was delayed; the journal has it all the same
        if reply.connection is None:
            answer = reply.answer
            self._send(request, answer.status, answer.content_type, answer.body, reply.headers)
        elif reply.connection == "hang":
            # Nothing is ever sent; the connection ends when its client leaves or the server stops.
            self.busy = self.hung = True
            self._disarm()
            if not self.reading:  # paused by pipelining: reading on is how the client's leaving shows
                self.reading = True
                self.transport.resume_reading()
        elif reply.connection == "reset":
            sock = self.transport.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.abort()
        else:  # "empty": answers before this one still go out, then the close, with no byte of this one
            self.closed = True
            self.transport.close()

    def _send(self, request: Request, status: int, content_type: str, body: bytes, headers: Headers) -> None:
        head = [f"HTTP/1.1 {status} {REASONS.get(status, 'Unknown')}\r\nDate: {_http_date()}\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"]
        head += [f"{name}: {value}\r\n" for name, value in headers]
        self._finish_head(request, head, body)

    def _finish_head(self, request: Request, head: list[str], body: bytes) -> None:
        keep_alive = request.keep_alive and not self.stopping
        if not keep_alive:
            head.append("Connection: close\r\n")
        elif request.version == "1.0":
            head.append("Connection: keep-alive\r\n")
        head.append("\r\n")
        data = "".join(head).encode("latin-1")
        if request.method == "HEAD":
            self.transport.write(data)
        else:
            self.transport.writelines((data, body))
        if not keep_alive:
            if self.discarding and self.in_message and not self.expect_continue:
                # A client still sending a body refused as too large reads the answer once it has sent
                # it all: closing a socket with unread data would reset the connection, and the client
                # might never see the 413. A client that asked for 100-continue sends no body.
                self.close_after_body = True
                return
            self.closed = True
            self._stop_reading(for_good=True)
            self.transport.close()

    # --- WSGI (control plane, dashboard) -----------------------------------------------------------

    def _environ(self, request: Request) -> dict[str, Any]:
        url = request.url
        if url[:1] != b"/":
            url = _origin_form(url)
        path, _, query = url.partition(b"?")
        if b"%" in path:
            path = unquote_to_bytes(path)
        body = request.body
        return {
            "REQUEST_METHOD": request.method,
            "PATH_INFO": path.decode("latin-1"),
            "QUERY_STRING": query.decode("latin-1"),
            "CONTENT_TYPE": request.content_type,
            "CONTENT_LENGTH": str(len(body)) if body else "",
            "REMOTE_ADDR": self.peer[0],
            "wsgi.input": io.BytesIO(body),
            "wsgi.input_terminated": True,
        }

    def _run_wsgi(self, request: Request, environ: dict[str, Any]) -> None:
        server = self.server
        environ.update({
            "SCRIPT_NAME": "", "SERVER_NAME": server.host, "SERVER_PORT": str(server.port),
            "SERVER_PROTOCOL": f"HTTP/{request.version}", "REMOTE_PORT": str(self.peer[1]),
            "REQUEST_URI": request.url.decode("latin-1"), "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        })
        for raw_name, raw_value in request.headers:
            name = raw_name.decode("latin-1").upper()
            if "_" in name:
                continue  # X_Forwarded_For would pass for X-Forwarded-For: CGI drops such headers
            key = name.replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = "HTTP_" + key
                value = raw_value.decode("latin-1")
                environ[key] = f"{environ[key]},{value}" if key in environ else value
        self.busy = True
        assert server.executor is not None and self.loop is not None
        future = self.loop.run_in_executor(server.executor, _call_wsgi, server.app, environ)

        async def answered() -> None:
            try:
                status, headers, body = await future
            except Exception:
                log.exception("unexpected error in the WSGI app")
                status, headers, body = "500 Internal Server Error", [("Content-Type", TEXT)], b"Error\n"
                request.keep_alive = False
            self.busy = False
            if not self.closed:
                self._send_wsgi(request, status, headers, body)
                self._pump()

        self._track(answered())

    def _send_wsgi(self, request: Request, status: str, headers: Headers, body: bytes) -> None:
        head = [f"HTTP/1.1 {status}\r\nDate: {_http_date()}\r\n"]
        length = None
        for name, value in headers:
            lowered = name.lower()
            if lowered == "content-length":
                length = value
            if lowered not in _HOP_BY_HOP:
                head.append(f"{name}: {value}\r\n")
        code = int(status[:3])
        if code >= 200 and code not in (204, 304):
            # The body is whole: the app's length stands only for HEAD, whose body is left out.
            head.append(f"Content-Length: {length if request.method == 'HEAD' and length else len(body)}\r\n")
        self._finish_head(request, head, body)

    # --- timers, flow, shutdown --------------------------------------------------------------------

    def _track(self, coroutine: Any) -> None:
        assert self.loop is not None
        task = self.loop.create_task(coroutine)
        self.server.tasks.add(task)
        task.add_done_callback(self.server.tasks.discard)

    def _arm(self, seconds: float) -> None:
        if self.timer is not None:
            self.timer.cancel()
        assert self.loop is not None
        self.timer = self.loop.call_later(seconds, self._timed_out)

    def _disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _timed_out(self) -> None:
        self.timer = None
        if self.closed:
            return
        if self.in_message and not self.discarding and not self.busy and not self.queue:
            # Headers or a body that never finished arriving.
            self.queue.append(Request("GET", b"", [], "", b"", False, "1.1", (408, b"Request Timeout\n")))
            self.in_message = False
            self._pump()
        elif not self.busy:
            self.closed = True
            self.transport.close()
        elif self.in_message:
            # A request that stalled behind one still being answered: that answer goes out, then the
            # connection closes.
            self.in_message = False
            self.stopping = True
            self._stop_reading(for_good=True)

    def _stop_reading(self, for_good: bool = False) -> None:
        self.done_reading = self.done_reading or for_good
        if self.reading and not self.hung and not self.transport.is_closing():
            self.reading = False
            self.transport.pause_reading()

    def shut_down(self) -> None:
        """The server is stopping: finish the answer in progress, then close."""
        self.stopping = True
        if self.hung or not (self.busy or self.queue):
            self.closed = True
            self.transport.close()

    def abort(self) -> None:
        self.closed = True
        self._disarm()
        self.transport.abort()


class _Refusal(Exception):
    def __init__(self, status: int, message: bytes) -> None:
        super().__init__(status)
        self.status, self.message = status, message


def _origin_form(url: bytes) -> bytes:
    """``/path?query`` of an absolute-form target (``http://host/path``), which HTTP/1.1 servers must
    accept; ``*`` and anything unparsable become ``/``."""
    try:
        parsed = httptools.parse_url(url)
    except httptools.HttpParserInvalidURLError:
        return b"/"
    path = parsed.path or b"/"
    return path + b"?" + parsed.query if parsed.query else path


def _call_wsgi(app: Any, environ: dict[str, Any]) -> tuple[str, Headers, bytes]:
    """Run a WSGI app to the end of its answer (in a pool thread)."""
    started: list[Any] = []
    written: list[bytes] = []

    def start_response(status: str, headers: Headers, exc_info: Any = None) -> Callable[[bytes], None]:
        if exc_info is not None and started:
            raise exc_info[1].with_traceback(exc_info[2])
        started[:] = [status, headers]
        return written.append

    result: Iterable[bytes] = app(environ, start_response)
    try:
        for chunk in result:
            written.append(chunk)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started
    return status, list(headers), b"".join(written)


_date_cache: list[Any] = [0, ""]


def _http_date() -> str:
    """The Date header's value, formatted once a second."""
    now = int(time.time())
    if now != _date_cache[0]:
        _date_cache[:] = [now, formatdate(now, usegmt=True)]
    return _date_cache[1]


def serve_forever(app: Any, host: str, port: int, *, threads: int = DEFAULT_THREADS,
                  on_ready: Callable[[int], None] | None = None) -> None:
    """``mockwhmcs serve``: serve ``app`` in this thread until SIGINT or SIGTERM, then stop gracefully.

    ``on_ready`` gets the bound port (useful with port 0). The process is the server's from here on,
    so the garbage collector is tuned for it (collector.py).
    """
    sock = bind(host, port)
    settle_for_serving()
    server = HttpServer(app, threads=threads)
    loop = new_event_loop()
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C raises KeyboardInterrupt
                loop.add_signal_handler(signum, server.stop)
        ready = (lambda: on_ready(sock.getsockname()[1])) if on_ready is not None else None
        loop.run_until_complete(server.run(sock, ready))
    finally:
        loop.close()
        sock.close()


class BackgroundServer:
    """The same server in a daemon thread with its own loop (tests, the pytest plugin, embedding);
    port 0 picks a free ephemeral port. ``ready`` is set once it accepts connections."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0, *, limits: Limits | None = None,
                 threads: int = DEFAULT_THREADS) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.limits = limits
        self.threads = threads
        self.ready = threading.Event()
        self._server: HttpServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._server is not None:
            return
        sock = bind(self.host, self.port)  # bound here, so that a busy port fails in the caller
        self.port = sock.getsockname()[1]
        self._server = server = HttpServer(self.app, limits=self.limits, threads=self.threads)
        self.ready.clear()

        failure: list[BaseException] = []

        def run() -> None:
            loop = new_event_loop()
            try:
                loop.run_until_complete(server.run(sock, self.ready.set))
            except BaseException as error:  # start() raises it in the caller's thread
                failure.append(error)
                self.ready.set()
            finally:
                loop.close()
                sock.close()

        self._thread = threading.Thread(target=run, name="mockwhmcs", daemon=True)
        self._thread.start()
        self.ready.wait()
        if failure:
            self._server = self._thread = None
            raise RuntimeError("the mockwhmcs server could not start") from failure[0]

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.stop()
        if self._thread is not None:
            self._thread.join(timeout=self._server.limits.shutdown_grace + 5)
        self._server = None
        self._thread = None
        self.ready.clear()

    @property
    def open_connections(self) -> int:
        """Client connections open right now (0 when stopped)."""
        return len(self._server.connections) if self._server is not None else 0

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def __enter__(self) -> BackgroundServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
