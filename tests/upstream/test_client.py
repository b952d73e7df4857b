"""Reaching another WHMCS: where its API is, how a password in its address is used, and the one-line
errors every command shares."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from mockwhmcs.upstream.client import NOT_WHMCS, REFUSED, Upstream, UpstreamError


@pytest.mark.parametrize(("given", "endpoint"), [
    ("https://billing.example.com", "https://billing.example.com/includes/api.php"),
    ("https://billing.example.com/", "https://billing.example.com/includes/api.php"),
    ("https://example.com/whmcs/", "https://example.com/whmcs/includes/api.php"),
    ("http://127.0.0.1:8080/includes/api.php", "http://127.0.0.1:8080/includes/api.php"),
])
def test_a_whmcs_root_or_its_endpoint_both_reach_the_api(given: str, endpoint: str) -> None:
    assert Upstream(given, "id", "secret").url == endpoint


@pytest.mark.parametrize(("given", "message"), [
    ("billing.example.com", "'billing.example.com' is not an http:// or https:// address"),
    ("ftp://billing.example.com/", "'ftp://billing.example.com/' is not an http:// or https:// address"),
    ("https://billing.example.com/includes/api.php?accesskey=k",
     "'https://billing.example.com/includes/api.php?accesskey=k': give the WHMCS's address without a "
     "query string (an access key goes in --accesskey)"),
    ("https://admin:hunter2@/", "'https:///' is not an http:// or https:// address"),
])
def test_an_address_that_is_no_whmcs_root_is_refused_in_one_line(given: str, message: str) -> None:
    with pytest.raises(UpstreamError) as refused:
        Upstream(given, "id", "secret")
    assert (str(refused.value), refused.value.exit_code) == (message, 2)


class _Seen(BaseHTTPRequestHandler):
    """Answers like a WHMCS behind HTTP basic authentication (403 without it), one that moved, one that
    hangs up after each answer without saying so, and a web page for any other path."""

    protocol_version = "HTTP/1.1"  # keep-alive, as web servers in front of WHMCS answer
    authorizations: ClassVar[list[str | None]] = []
    client_ports: ClassVar[list[int]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        _Seen.authorizations.append(self.headers["Authorization"])
        _Seen.client_ports.append(self.client_address[1])
        if self.path == "/moved/includes/api.php":
            self._send(301, "text/html", b"Moved", [("Location", "https://billing.example.com/")])
        elif self.path not in ("/whmcs/includes/api.php", "/hangup/includes/api.php"):
            self._send(200, "text/html", b"<html><body>Welcome to our shop</body></html>")
        elif self.path == "/whmcs/includes/api.php" and self.headers["Authorization"] != (
                "Basic c3RhZ2luZzpwQHNz"):  # staging:p@ss
            self._send(403, "text/html", b"<h1>403 Forbidden</h1>")
        else:
            self._send(200, "application/json", b'{"result":"success","totalresults":0}')
            self.close_connection = self.path.startswith("/hangup/")

    def _send(self, status: int, content_type: str, body: bytes,
              headers: Sequence[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def staging() -> Iterator[str]:
    _Seen.authorizations, _Seen.client_ports = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Seen)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_user_and_password_in_the_address_are_sent_as_basic_authorization_and_shown_nowhere(
        staging: str) -> None:
    upstream = Upstream(f"http://staging:p%40ss@{staging}/whmcs/", "id", "secret")
    assert upstream.url == f"http://{staging}/whmcs/includes/api.php"
    assert upstream.call("GetPaymentMethods") == {"result": "success", "totalresults": 0}
    assert _Seen.authorizations == ["Basic c3RhZ2luZzpwQHNz"]


@pytest.mark.parametrize(("address", "code", "why"), [
    # a refusal in front of the WHMCS is a refusal too
    ("http://staging:wrong@{}/whmcs/", REFUSED, "refused GetPaymentMethods (HTTP 403): HTTP 403, text/html: "
                                                "'<h1>403 Forbidden</h1>'"),
    ("http://{}/shop/", NOT_WHMCS, "did not answer GetPaymentMethods like a WHMCS API: HTTP 200, "
                                   "text/html: '<html><body>Welcome to our shop</body></html>'"),
    ("http://{}/moved/", NOT_WHMCS, "did not answer GetPaymentMethods like a WHMCS API: HTTP 301, "
                                    "redirected to https://billing.example.com/ (give that address instead)"),
], ids=["refused", "web page", "redirect"])
def test_an_answer_that_is_no_whmcs_answer_says_what_came_in_one_line(staging: str, address: str, code: int,
                                                                       why: str) -> None:
    upstream = Upstream(address.format(staging), "id", "secret")
    with pytest.raises(UpstreamError) as failed:
        upstream.call("GetPaymentMethods")
    assert (failed.value.exit_code, str(failed.value)) == (code, f"{upstream.url} {why}")


def test_calls_share_one_connection_until_the_whmcs_closes_it(staging: str) -> None:
    kept = Upstream(f"http://staging:p%40ss@{staging}/whmcs/", "id", "secret")
    for _ in range(3):
        kept.call("GetPaymentMethods")
    assert len(set(_Seen.client_ports)) == 1
    # A WHMCS that closes the connection while it is idle, without having said it would: every call
    # still gets through, on a new connection, and none is sent on the closed one.
    hanging_up = Upstream(f"http://{staging}/hangup/", "id", "secret")
    for _ in range(3):
        assert hanging_up.call("GetPaymentMethods")["result"] == "success"
        time.sleep(0.3)  # idle: the close reaches this side
    assert len(set(_Seen.client_ports[3:])) == 3
