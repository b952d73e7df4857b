"""Test support: a raw HTTP helper that sends exact bytes over a real socket, and shared constants."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockwhmcs.app import create_app, engine_of
from mockwhmcs.server import BackgroundServer

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
TEST_SCENARIOS = Path(__file__).resolve().parent / "scenarios"

IDENTIFIER = "mockwhmcs-identifier"
SECRET = "mockwhmcs-secret"
AUTH = f"identifier={IDENTIFIER}&secret={SECRET}"


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: http.client.HTTPMessage

    @property
    def text(self) -> str:
        return self.body.decode()


class Http:
    """Sends requests over a real socket with the exact path and body given (no client re-encoding)."""

    def __init__(self, server: BackgroundServer) -> None:
        self.server = server

    def request(self, method: str, path: str, body: bytes | str | None = None,
                content_type: str = "application/x-www-form-urlencoded") -> Reply:
        connection = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            data = body.encode() if isinstance(body, str) else body
            headers = {"Content-Type": content_type} if data is not None else {}
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            return Reply(response.status, response.getheader("Content-Type", ""), response.read(),
                         response.headers)
        finally:
            connection.close()

    def post(self, body: bytes | str, path: str = "/includes/api.php", **kwargs: str) -> Reply:
        return self.request("POST", path, body, **kwargs)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def call(self, action: str, params: str = "") -> dict[str, Any]:
        """An API call answered in JSON (HTTP 200, as every action-level answer is), decoded."""
        reply = self.post(f"action={action}&{AUTH}&responsetype=json&{params}")
        assert reply.status == 200
        result: dict[str, Any] = json.loads(reply.body)
        return result


def serve(scenario: str | Path) -> Iterator[Http]:
    """A real server of ``scenario`` on an ephemeral port, for a module- or session-scoped fixture."""
    with BackgroundServer(create_app(scenario)) as server:
        yield Http(server)


def fresh(http: Http) -> Http:
    """The served mock back to its scenario, for the fixture each test takes."""
    engine_of(http.server.app).store.reset()
    return http


@dataclass
class Served:
    """A `mockwhmcs serve` child process and the address its banner gave."""

    process: subprocess.Popen[str]
    url: str  # http://127.0.0.1:PORT

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


@contextmanager
def serve_process(*args: str, command: str = "serve", stderr: int = subprocess.DEVNULL) -> Iterator[Served]:
    """`mockwhmcs serve --port 0 ARGS` as a user runs it, killed at the end. ``command`` may be another
    command that serves with the same banner (record, replay); ``stderr=subprocess.PIPE`` keeps what
    it says there for the test to read once it has stopped the process."""
    process = subprocess.Popen([sys.executable, "-m", "mockwhmcs", command, "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=stderr, text=True)
    try:
        assert process.stdout is not None
        url = re.search(r"(http://127\.0\.0\.1:\d+)/includes/api\.php", process.stdout.readline())
        assert url, "no URL in the banner"
        yield Served(process, url.group(1))
    finally:
        process.kill()
        process.wait()
