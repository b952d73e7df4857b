"""Every fault outcome over a real socket: what a client of mockwhmcs's own server really sees."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest

from mockwhmcs import MockWhmcs
from tests.support import AUTH, Reply

GET_PRODUCTS = f"action=GetProducts&{AUTH}&responsetype=json"


def post(whmcs: MockWhmcs, body: str, timeout: float = 5) -> Reply:
    """POST to the API (or raise whatever the client hit)."""
    connection = http.client.HTTPConnection(whmcs.server.host, whmcs.server.port, timeout=timeout)
    try:
        connection.request("POST", "/includes/api.php", body=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        return Reply(response.status, response.getheader("Content-Type", ""), response.read(),
                     response.headers)
    finally:
        connection.close()


def test_error_is_a_whmcs_envelope_with_http_200(whmcs: MockWhmcs) -> None:
    whmcs.inject("GetProducts", error="Client ID Not Found")
    response = post(whmcs, GET_PRODUCTS)
    assert (response.status, response.body) == (200, b'{"result":"error","message":"Client ID Not Found"}')


def test_status_answers_verbatim(whmcs: MockWhmcs) -> None:
    whmcs.inject("GetProducts", status=502, body="<html>Bad Gateway</html>", content_type="text/html")
    response = post(whmcs, GET_PRODUCTS)
    assert (response.status, response.content_type, response.body) == (
        502, "text/html", b"<html>Bad Gateway</html>")


def test_reset_resets_the_tcp_connection(whmcs: MockWhmcs) -> None:
    whmcs.inject("GetProducts", connection="reset")
    with pytest.raises(ConnectionResetError):
        post(whmcs, GET_PRODUCTS)


def test_empty_closes_the_connection_without_a_byte(whmcs: MockWhmcs) -> None:
    whmcs.inject("GetProducts", connection="empty")
    with pytest.raises(http.client.RemoteDisconnected):
        post(whmcs, GET_PRODUCTS)


@pytest.mark.parametrize("responsetype", ["json", "xml"])
def test_malformed_is_a_cut_off_body_under_the_declared_type(whmcs: MockWhmcs, responsetype: str) -> None:
    whmcs.inject("GetProducts", connection="malformed")
    response = post(whmcs, f"action=GetProducts&{AUTH}&responsetype={responsetype}")
    assert response.status == 200
    assert response.content_type.startswith(f"application/{responsetype}")
    assert response.body
    if responsetype == "json":
        with pytest.raises(ValueError):
            json.loads(response.body)
    else:
        assert not response.body.rstrip().endswith(b"</whmcsapi>")


def test_hang_answers_nothing_until_the_client_gives_up(whmcs: MockWhmcs) -> None:
    whmcs.inject("GetProducts", connection="hang")
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        post(whmcs, GET_PRODUCTS, timeout=0.5)
    assert time.monotonic() - started >= 0.5
    # The server is still free to answer everyone else.
    whmcs.clear_faults()
    assert post(whmcs, GET_PRODUCTS).status == 200


def test_a_hanging_connection_never_holds_up_stopping_the_server() -> None:
    with MockWhmcs() as whmcs:
        whmcs.inject("GetProducts", connection="hang")
        outcome: list[BaseException] = []

        def client() -> None:
            try:
                post(whmcs, GET_PRODUCTS, timeout=30)
            except Exception as error:
                outcome.append(error)

        thread = threading.Thread(target=client)
        thread.start()
        while not whmcs.requests():
            time.sleep(0.01)
        started = time.monotonic()
        whmcs.stop()
        thread.join(timeout=5)
    assert time.monotonic() - started < 2
    assert not thread.is_alive()
    assert isinstance(outcome[0], (http.client.RemoteDisconnected, ConnectionError))


def test_delay_comes_before_any_outcome(whmcs: MockWhmcs) -> None:
    whmcs.inject("GetProducts", delay=0.3, error="Slow and wrong")
    started = time.monotonic()
    response = post(whmcs, GET_PRODUCTS)
    assert time.monotonic() - started >= 0.3
    assert json.loads(response.body)["message"] == "Slow and wrong"
    assert whmcs.requests()[0]["duration_ms"] >= 300


def test_delay_alone_slows_the_real_answer(whmcs: MockWhmcs) -> None:
    whmcs.inject("GetProducts", delay=0.2)
    started = time.monotonic()
    response = post(whmcs, GET_PRODUCTS)
    assert time.monotonic() - started >= 0.2
    assert json.loads(response.body)["result"] == "success"


def test_socket_faults_are_journaled_without_a_status(whmcs: MockWhmcs) -> None:
    rule = whmcs.inject("GetProducts", connection="reset", times=1)
    with pytest.raises(ConnectionResetError):
        post(whmcs, GET_PRODUCTS)
    assert post(whmcs, GET_PRODUCTS).status == 200
    first, second = whmcs.requests()
    assert (first["status"], first["response"], first["fault"]["id"]) == (None, None, rule)
    assert (second["status"], second["fault"]) == (200, None)


def test_a_raw_socket_sees_the_reset_before_any_byte(whmcs: MockWhmcs) -> None:
    whmcs.inject("GetProducts", connection="reset")
    body = GET_PRODUCTS.encode()
    with socket.create_connection((whmcs.server.host, whmcs.server.port), timeout=5) as raw:
        raw.sendall(b"POST /includes/api.php HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        with pytest.raises(ConnectionResetError):
            raw.recv(1024)
