"""The socket server (mockwhmcs/server.py) byte by byte: keep-alive, pipelining, bodies, limits,
timeouts, many connections, faults that hold nothing up, graceful stop."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from mockwhmcs import MockWhmcs
from mockwhmcs.app import create_app, engine_of
from mockwhmcs.server import BackgroundServer, Limits
from tests.support import AUTH

GET_PRODUCTS = f"action=GetProducts&{AUTH}&responsetype=json".encode()
MAX_BODY = 1024
TOO_LARGE = b"Request body larger than the 1024 bytes allowed (like PHP's post_max_size)\n"


@pytest.fixture(scope="module")
def server() -> Iterator[BackgroundServer]:
    """Short timeouts and a 1 KiB body limit, so that every limit is quick to reach."""
    limits = Limits(max_body=MAX_BODY, request_timeout=0.5, idle_timeout=1.0)
    with BackgroundServer(create_app("default", max_body=MAX_BODY), limits=limits) as running:
        yield running


@pytest.fixture
def raw(server: BackgroundServer) -> Iterator[socket.socket]:
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        yield sock


def post(body: bytes, path: bytes = b"/includes/api.php", extra: bytes = b"") -> bytes:
    return (b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + extra + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def read_answer(sock: socket.socket, buffered: bytearray) -> tuple[bytes, bytes, bytes]:
    """One answer off ``sock``: (status line, head, body), framed by its Content-Length."""
    while b"\r\n\r\n" not in buffered:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed after {bytes(buffered)!r}")
        buffered += chunk
    head, _, _ = bytes(buffered).partition(b"\r\n\r\n")
    del buffered[: len(head) + 4]
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(buffered) < length:
        buffered += sock.recv(65536)
    body = bytes(buffered[:length])
    del buffered[:length]
    return head.split(b"\r\n")[0], head, body


def read_to_close(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_keep_alive_answers_many_requests_on_one_connection(raw: socket.socket) -> None:
    buffered = bytearray()
    for _ in range(3):
        raw.sendall(post(GET_PRODUCTS))
        status, head, body = read_answer(raw, buffered)
        assert status == b"HTTP/1.1 200 OK"
        assert b"Connection: close" not in head
        assert json.loads(body)["result"] == "success"


def test_pipelined_requests_are_answered_in_order_even_when_the_first_waits(
        server: BackgroundServer, raw: socket.socket) -> None:
    engine = engine_of(server.app)
    engine.faults.add({"action": "GetProducts", "delay": 0.2, "error": "first", "times": 1})
    try:
        raw.sendall(post(GET_PRODUCTS) + b"GET /_mock/faults HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + post(f"action=GetOrders&{AUTH}&responsetype=json".encode()))
        buffered = bytearray()
        answers = [read_answer(raw, buffered)[2] for _ in range(3)]
    finally:
        engine.faults.clear()
    assert json.loads(answers[0])["message"] == "first"
    assert json.loads(answers[1])["faults"][0]["fired"] == 1
    assert json.loads(answers[2])["numreturned"] == 0


def test_a_chunked_body_is_decoded(raw: socket.socket) -> None:
    half = len(GET_PRODUCTS) // 2
    chunks = [GET_PRODUCTS[:half], GET_PRODUCTS[half:]]
    encoded = b"".join(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" for chunk in chunks) + b"0\r\n\r\n"
    raw.sendall(b"POST /includes/api.php HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n\r\n" + encoded)
    assert json.loads(read_answer(raw, bytearray())[2])["result"] == "success"


def test_a_chunked_body_over_the_limit_gets_the_413_text(raw: socket.socket) -> None:
    chunk = b"a=" + b"x" * 598
    raw.sendall(b"POST /includes/api.php HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") * 2 + b"0\r\n\r\n")
    answer = read_to_close(raw)
    assert answer.startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n")
    assert answer.endswith(TOO_LARGE)


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(raw: socket.socket) -> None:
    raw.sendall(b"POST /includes/api.php HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
    status, _, body = read_answer(raw, bytearray())
    assert (status, body) == (b"HTTP/1.1 413 Request Entity Too Large", TOO_LARGE)
    # The connection stays open while the client sends what it declared, then closes.
    raw.sendall(b"x" * 5000)
    assert read_to_close(raw) == b""


def test_expect_100_continue_gets_continue_then_the_answer(raw: socket.socket) -> None:
    head = post(GET_PRODUCTS, extra=b"Expect: 100-continue\r\n")[: -len(GET_PRODUCTS)]
    raw.sendall(head)
    assert raw.recv(1024) == b"HTTP/1.1 100 Continue\r\n\r\n"
    raw.sendall(GET_PRODUCTS)
    assert json.loads(read_answer(raw, bytearray())[2])["result"] == "success"


def test_head_sends_the_headers_without_the_body(raw: socket.socket) -> None:
    raw.sendall(b"HEAD /_mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + post(GET_PRODUCTS))
    data = b""
    while data.count(b"HTTP/1.1 200") < 2 or not data.endswith(b"}"):
        data += raw.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    assert b"Content-Length: " in head and not head.endswith(b"Content-Length: 0")
    assert rest.startswith(b"HTTP/1.1 200 OK")  # no body between the two answers


def test_the_api_refuses_other_methods_with_405(raw: socket.socket) -> None:
    raw.sendall(b"PUT /includes/api.php HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
    status, head, body = read_answer(raw, bytearray())
    assert (status, body) == (b"HTTP/1.1 405 Method Not Allowed", b"Method Not Allowed\n")
    assert b"Allow: GET, POST" in head


def test_http_1_0_is_answered_then_closed(raw: socket.socket) -> None:
    raw.sendall(b"GET /includes/api.php?" + GET_PRODUCTS + b" HTTP/1.0\r\n\r\n")
    answer = read_to_close(raw)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and b"Connection: close\r\n" in answer


def test_an_absolute_form_target_reaches_the_api(raw: socket.socket) -> None:
    raw.sendall(post(GET_PRODUCTS, path=b"http://whmcs.example/includes/api.php"))
    assert json.loads(read_answer(raw, bytearray())[2])["result"] == "success"


def test_headers_that_never_finish_get_408_after_the_request_timeout(raw: socket.socket) -> None:
    raw.sendall(b"POST /includes/api.php HTTP/1.1\r\nHost: x\r\n")
    assert read_to_close(raw).startswith(b"HTTP/1.1 408 Request Timeout\r\n")


def test_a_body_shorter_than_declared_gets_408_not_a_hang(raw: socket.socket) -> None:
    raw.sendall(b"POST /includes/api.php HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\naction=")
    assert read_to_close(raw).startswith(b"HTTP/1.1 408 Request Timeout\r\n")


def test_a_silent_connection_is_closed_after_the_idle_timeout(raw: socket.socket) -> None:
    assert read_to_close(raw) == b""


def test_an_idle_keep_alive_connection_is_closed_after_the_idle_timeout(raw: socket.socket) -> None:
    raw.sendall(post(GET_PRODUCTS))
    read_answer(raw, bytearray())
    assert read_to_close(raw) == b""


def test_oversized_headers_get_431(raw: socket.socket) -> None:
    raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * (70 * 1024) + b"\r\n\r\n")
    assert read_to_close(raw).startswith(b"HTTP/1.1 431 ")


def test_garbage_gets_400_and_a_close(raw: socket.socket) -> None:
    raw.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")
    assert read_to_close(raw).startswith(b"HTTP/1.1 400 Bad Request\r\n")


def test_thousands_of_open_connections_hold_no_thread_and_the_api_still_answers(
        server: BackgroundServer) -> None:
    threads = threading.active_count()
    idle = [socket.create_connection((server.host, server.port), timeout=5) for _ in range(2000)]
    try:
        with socket.create_connection((server.host, server.port), timeout=5) as sock:
            sock.sendall(post(GET_PRODUCTS))
            assert json.loads(read_answer(sock, bytearray())[2])["result"] == "success"
        assert threading.active_count() == threads
    finally:
        for sock in idle:
            sock.close()


def test_a_hung_and_a_delayed_request_hold_up_no_other_connection() -> None:
    with MockWhmcs() as whmcs:
        whmcs.inject("GetProducts", connection="hang")
        whmcs.inject("GetClients", delay=2)
        server = whmcs.server
        held = [socket.create_connection((server.host, server.port), timeout=5) for _ in range(2)]
        held[0].sendall(post(GET_PRODUCTS))
        held[1].sendall(post(f"action=GetClients&{AUTH}".encode()))
        while not _picked(whmcs):
            time.sleep(0.01)
        with socket.create_connection((server.host, server.port), timeout=1.5) as sock:
            # A plain request is answered at once, well within the timeout, by the same single loop.
            sock.sendall(post(f"action=GetOrders&{AUTH}&responsetype=json".encode()))
            assert json.loads(read_answer(sock, bytearray())[2])["result"] == "success"
        for sock in held:
            sock.close()


def _picked(whmcs: MockWhmcs) -> bool:
    return all(rule["fired"] for rule in whmcs.faults)


def test_stopping_finishes_the_answers_in_progress() -> None:
    whmcs = MockWhmcs().start()
    whmcs.inject("GetProducts", delay=0.3)
    with socket.create_connection((whmcs.server.host, whmcs.server.port), timeout=5) as sock:
        sock.sendall(post(GET_PRODUCTS))
        while not whmcs.faults[0]["fired"]:
            time.sleep(0.01)
        whmcs.stop()
        answer = read_to_close(sock)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and b"Connection: close\r\n" in answer
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["result"] == "success"


def test_a_hung_connection_is_let_go_when_its_client_leaves(server: BackgroundServer) -> None:
    engine = engine_of(server.app)
    engine.faults.add({"action": "GetProducts", "connection": "hang", "times": 1})
    sock = socket.create_connection((server.host, server.port), timeout=5)
    sock.sendall(post(GET_PRODUCTS) * 50)  # more requests behind the hung one than are read ahead
    while engine.faults.to_json()[-1]["fired"] == 0:
        time.sleep(0.01)
    before = server.open_connections
    sock.close()
    while server.open_connections == before:
        time.sleep(0.01)
    engine.faults.clear()


def test_a_request_stalled_behind_a_delayed_answer_ends_the_connection_after_it(
        server: BackgroundServer, raw: socket.socket) -> None:
    engine = engine_of(server.app)
    engine.faults.add({"action": "GetProducts", "delay": 0.8, "times": 1})
    try:
        stalled = b"POST /includes/api.php HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n"
        raw.sendall(post(GET_PRODUCTS) + stalled)
        answer = read_to_close(raw)
    finally:
        engine.faults.clear()
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and b"Connection: close\r\n" in answer


def test_an_upgrade_request_is_answered_over_http_1_1_then_closed(raw: socket.socket) -> None:
    raw.sendall(b"GET /includes/api.php?" + GET_PRODUCTS + b" HTTP/1.1\r\nHost: x\r\n"
                b"Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                b"HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n")
    answer = read_to_close(raw)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["result"] == "success"


def test_a_server_that_cannot_start_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(self: object, sock: socket.socket, on_ready: object) -> None:
        raise OSError("no loop today")

    monkeypatch.setattr("mockwhmcs.server.HttpServer.run", broken)
    server = BackgroundServer(create_app("default"))
    with pytest.raises(RuntimeError, match="could not start") as raised:
        server.start()
    assert str(raised.value.__cause__) == "no loop today"


def test_a_busy_port_fails_in_the_caller(server: BackgroundServer) -> None:
    with pytest.raises(OSError):
        BackgroundServer(server.app, port=server.port).start()
