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


def _control(port: int, path: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", path, body=b"")
        assert connection.getresponse().status == 200
    finally:
        connection.close()


class LoadRound:
    """Clients that place and accept orders while another resets now and then, until stopped.

    ``placed`` holds (sent at, orderid, accepted) for every acknowledged order, ``last_reset`` when the
    last reset was acknowledged: an order sent after that ran after the reset, so it must be kept.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.lock = threading.Lock()
        self.placed: list[tuple[float, int, bool]] = []
        self.last_reset = 0.0
        self.stop = threading.Event()
        self.workers = [threading.Thread(target=self.load) for _ in range(4)] + [
            threading.Thread(target=self.resets)]
        for worker in self.workers:
            worker.start()

    def load(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            while not self.stop.is_set():
                sent = time.monotonic()
                order = post(connection, "AddOrder", ORDER)
                accepted = post(connection, "AcceptOrder", {"orderid": order["orderid"]})
                with self.lock:
                    self.placed.append((sent, order["orderid"], accepted["result"] == "success"))
        except (OSError, http.client.HTTPException, ValueError):
            return

    def resets(self) -> None:
        try:
            while not self.stop.wait(0.3):
                _control(self.port, "/_mock/reset")
                with self.lock:
                    self.last_reset = time.monotonic()
        except (OSError, AssertionError, http.client.HTTPException):
            return

    def end(self) -> list[tuple[int, bool]]:
        """Stop (after the server was killed); the orders that must have survived, and if accepted."""
        self.stop.set()
        for worker in self.workers:
            worker.join(timeout=30)
        return [(orderid, accepted) for sent, orderid, accepted in self.placed if sent > self.last_reset]


def test_rounds_of_kill_9_with_accepts_and_resets_in_the_load_keep_what_was_acknowledged(
        tmp_path: Path) -> None:
    state = tmp_path / "state.jsonl"
    server = Serve("--state-file", str(state))
    try:
        for _ in range(3):
            load = LoadRound(server.port)
            time.sleep(1.5)
            server.kill()
            must = load.end()
            server = Serve("--state-file", str(state))
            answer = server.call("GetOrders", limitnum=1_000_000)
            kept = {order["id"]: order["status"] for order in answer.get("orders", {}).get("order", [])}
            assert must, "no order was placed after the last reset"
            for orderid, accepted in must:
                assert orderid in kept, f"order {orderid}, acknowledged after the last reset, was lost"
                if accepted:
                    assert kept[orderid] == "Active", f"order {orderid} was accepted but is {kept[orderid]}"
    finally:
        server.kill()
