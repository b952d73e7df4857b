"""Connection faults on `mockwhmcs serve` as a real process."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest

BODY = "action=GetProducts&identifier=mockwhmcs-identifier&secret=mockwhmcs-secret&responsetype=json"


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    process = subprocess.Popen([sys.executable, "-m", "mockwhmcs", "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    match = re.search(r":(\d+)/includes/api\.php", process.stdout.readline())
    assert match, "no URL in the banner"
    yield int(match.group(1))
    process.terminate()
    process.communicate(timeout=10)


def inject(port: int, rule: dict[str, object]) -> None:
    for method, data in (("DELETE", None), ("POST", json.dumps(rule).encode())):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/_mock/faults", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=5).close()


def post(port: int, timeout: float = 5) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("POST", "/includes/api.php", body=BODY,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    response.read()
    return response


def test_reset_fault_resets_the_tcp_connection(port: int) -> None:
    inject(port, {"action": "GetProducts", "connection": "reset", "times": 1})
    with pytest.raises(ConnectionResetError):
        post(port)
    assert post(port).status == 200


def test_empty_fault_closes_without_a_response(port: int) -> None:
    inject(port, {"action": "GetProducts", "connection": "empty", "times": 1})
    with pytest.raises(http.client.RemoteDisconnected):
        post(port)


def test_hang_fault_answers_nothing_until_the_client_gives_up(port: int) -> None:
    inject(port, {"action": "GetProducts", "connection": "hang", "times": 1})
    with pytest.raises(socket.timeout):
        post(port, timeout=0.5)
    assert post(port).status == 200


def test_status_fault_sends_that_answer(port: int) -> None:
    inject(port, {"action": "GetProducts", "status": 503, "body": "down", "times": 1})
    response = post(port)
    assert response.status == 503


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_serve_after_the_answer_in_progress(signum: int) -> None:
    process = subprocess.Popen([sys.executable, "-m", "mockwhmcs", "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    match = re.search(r":(\d+)/includes/api\.php", process.stdout.readline())
    assert match
    port = int(match.group(1))
    inject(port, {"action": "GetProducts", "delay": 0.5})
    answers: list[int] = []
    client = threading.Thread(target=lambda: answers.append(post(port).status))
    client.start()
    while not fired(port):
        time.sleep(0.01)
    process.send_signal(signum)
    client.join(timeout=10)
    out, _ = process.communicate(timeout=10)
    assert answers == [200]
    assert process.returncode == 0
    assert out.rstrip().endswith("mockwhmcs: stopped")


def fired(port: int) -> bool:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_mock/faults", timeout=5) as response:
        return bool(json.load(response)["faults"][0]["fired"])
