"""Request bodies past the limit, over real sockets: 413 with a message saying why, and the server
goes on answering: the background server (tests, embedding) and `mockwhmcs serve`."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.support import AUTH, Http

NINE_MIB = b"a=" + b"x" * (9 * 1024 * 1024)
MESSAGE = "Request body larger than the {} bytes allowed (like PHP's post_max_size)\n"
GET_ORDERS = f"action=GetOrderStatuses&{AUTH}&responsetype=json".encode()


def post(port: int, body: bytes, connection: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/includes/api.php", body=body,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    return response.status, response.read()


@pytest.fixture(scope="module")
def serve() -> Iterator[int]:
    """`mockwhmcs serve` with a 1 KiB limit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mockwhmcs", "serve", "--port", "0", "--max-body", "1024"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    match = re.search(r":(\d+)/includes/api\.php", process.stdout.readline())
    assert match
    yield int(match.group(1))
    process.terminate()
    process.communicate(timeout=10)


def test_background_server_answers_413_to_9_mib_and_keeps_serving(api: Http) -> None:
    connection = http.client.HTTPConnection(api.server.host, api.server.port, timeout=30)
    assert post(api.server.port, NINE_MIB, connection) == (413, MESSAGE.format(8 * 1024 * 1024).encode())
    assert post(api.server.port, GET_ORDERS, connection)[0] == 200


def test_serve_answers_413_to_9_mib_with_the_default_limit() -> None:
    process = subprocess.Popen([sys.executable, "-m", "mockwhmcs", "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        port = int(re.search(r":(\d+)/", process.stdout.readline()).group(1))  # type: ignore[union-attr]
        assert post(port, NINE_MIB) == (413, MESSAGE.format(8 * 1024 * 1024).encode())
        assert post(port, GET_ORDERS)[0] == 200
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_serve_max_body_sets_the_limit_and_the_server_keeps_serving(serve: int) -> None:
    at_limit = GET_ORDERS + b"&pad=" + b"x" * (1024 - len(GET_ORDERS) - 5)
    assert len(at_limit) == 1024
    assert post(serve, at_limit)[0] == 200
    for _ in range(3):
        assert post(serve, at_limit + b"x") == (413, MESSAGE.format(1024).encode())
        assert post(serve, GET_ORDERS)[0] == 200


def test_a_client_expecting_100_continue_gets_the_413_without_sending_the_body(serve: int) -> None:
    with socket.create_connection(("127.0.0.1", serve), timeout=10) as sock:
        sock.sendall(b"POST /includes/api.php HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert answer.endswith(MESSAGE.format(1024).encode())
