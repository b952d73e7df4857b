"""`mockwhmcs serve --state-file` killed with SIGKILL in the middle of a load: the restarted server has
every order a client was told about, and goes on numbering after them."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from mockwhmcs.client import http_build_query
from tests.support import IDENTIFIER, SECRET

THREADS = 6
ORDER = {"clientid": 1, "pid": [1], "billingcycle": ["monthly"], "paymentmethod": "mailin"}

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


class Serve:
    """`mockwhmcs serve` as a child process on a free port."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "mockwhmcs", "serve", "--port", "0", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        banner = self.process.stdout.readline()
        match = re.search(r":(\d+)/includes/api\.php", banner)
        assert match, f"no URL in {banner!r}: {self.process.communicate(timeout=10)}"
        self.port = int(match.group(1))

    def call(self, action: str, **params: Any) -> dict[str, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            return post(connection, action, params)
        finally:
            connection.close()

    def kill(self) -> str:
        """SIGKILL: no handler runs, nothing is flushed. Returns what it wrote to stderr."""
        self.process.send_signal(signal.SIGKILL)
        return self.process.communicate(timeout=10)[1]


def post(connection: http.client.HTTPConnection, action: str, params: dict[str, Any]) -> dict[str, Any]:
    body = http_build_query({"action": action, "identifier": IDENTIFIER, "secret": SECRET,
                             "responsetype": "json", **params})
    connection.request("POST", "/includes/api.php", body=body,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    return json.loads(connection.getresponse().read())


def place_orders(port: int, acknowledged: list[int], lock: threading.Lock) -> None:
    """Place orders until the server dies, keeping the id of every order the server confirmed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        while True:
            answer = post(connection, "AddOrder", ORDER)
            assert answer["result"] == "success", answer
            with lock:
                acknowledged.append(answer["orderid"])
    except (OSError, http.client.HTTPException, ValueError):
        return  # killed: this request, unanswered, may or may not have been kept


def test_every_acknowledged_order_survives_kill_9_and_ids_continue(tmp_path: Path) -> None:
    state = tmp_path / "state.jsonl"
    server = Serve("--state-file", str(state))
    acknowledged: list[int] = []
    lock = threading.Lock()
    clients = [threading.Thread(target=place_orders, args=(server.port, acknowledged, lock))
               for _ in range(THREADS)]
    for client in clients:
        client.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 300:
        assert time.monotonic() < deadline, f"only {len(acknowledged)} orders placed in 30 s"
        time.sleep(0.01)
    server.kill()
    for client in clients:
        client.join(timeout=30)

    restarted = Serve("--state-file", str(state))
    try:
        orders = restarted.call("GetOrders", limitnum=1_000_000)["orders"]["order"]
        kept = {order["id"] for order in orders}
        assert set(acknowledged) <= kept, f"lost {sorted(set(acknowledged) - kept)}"
        assert len(kept) <= len(acknowledged) + THREADS  # at most the requests cut off mid-answer

        new = restarted.call("AddOrder", **ORDER)
        assert new["orderid"] == max(kept) + 1
        ordernums = {order["ordernum"] for order in orders}
        placed = restarted.call("GetOrders", id=new["orderid"])["orders"]["order"][0]
        assert placed["ordernum"] not in ordernums
    finally:
        restarted.kill()


def test_a_corrupt_state_file_stops_serve_before_it_listens(tmp_path: Path) -> None:
    state = tmp_path / "state.jsonl"
    server = Serve("--state-file", str(state))
    server.call("AddOrder", **ORDER)
    server.kill()
    with state.open("a") as file:
        file.write("garbage\n")
    command = [sys.executable, "-m", "mockwhmcs", "serve", "--port", "0", "--state-file", str(state)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert f"{state}:3: unreadable record" in result.stderr
    assert os.path.getsize(state) > 0
