"""Many clients at once over a real socket: no duplicate id or ordernum, no lost order, invoices that
add up, every order in exactly the state its acknowledged calls put it in, and exactly one winner when
two clients accept the same order. The server keeps a state file meanwhile, and a restart from it
rebuilds exactly what the clients left.

    MOCKWHMCS_STRESS_SECONDS=60 pytest tests/stress -s     # a longer run, with figures
"""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mockwhmcs.app import create_app, engine_of
from mockwhmcs.client import http_build_query
from mockwhmcs.control.engine import Engine
from mockwhmcs.server import BackgroundServer
from mockwhmcs.store.snapshot import snapshot
from tests.invariants import check_invariants
from tests.support import IDENTIFIER, SECRET

THREADS = 12
SECONDS = float(os.environ.get("MOCKWHMCS_STRESS_SECONDS", "3"))
RACES = 50
ORDER = {"clientid": 1, "pid": [1], "billingcycle": ["monthly"], "domain": ["shop.example.com"],
         "paymentmethod": "mailin"}


class Client:
    """One keep-alive connection, as a real integration would hold."""

    def __init__(self, server: BackgroundServer) -> None:
        self.connection = http.client.HTTPConnection(server.host, server.port, timeout=30)

    def close(self) -> None:
        self.connection.close()

    def call(self, action: str, **params: Any) -> dict[str, Any]:
        body = http_build_query({"action": action, "identifier": IDENTIFIER, "secret": SECRET,
                                 "responsetype": "json", **params})
        self.connection.request("POST", "/includes/api.php", body=body,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = self.connection.getresponse()
        assert response.status == 200
        return json.loads(response.read())


@dataclass
class Outcomes:
    """What the clients were told, merged from every thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    placed: list[dict[str, Any]] = field(default_factory=list)
    accepted: Counter[int] = field(default_factory=Counter)
    cancelled: Counter[int] = field(default_factory=Counter)
    requests: int = 0


@pytest.fixture
def server(tmp_path: Path) -> Iterator[BackgroundServer]:
    app = create_app("default")
    engine_of(app).keep_state(tmp_path / "state")
    with BackgroundServer(app) as server:
        yield server
    log = engine_of(app).store.log
    if log is not None:
        log.close()


def client_loop(server: BackgroundServer, outcomes: Outcomes, deadline: float, seed: int) -> None:
    """Place, accept and cancel orders until ``deadline``, then report what the server said."""
    client, rng = Client(server), random.Random(seed)
    placed: list[dict[str, Any]] = []
    accepted: Counter[int] = Counter()
    cancelled: Counter[int] = Counter()
    requests = 0
    try:
        while time.monotonic() < deadline:
            with outcomes.lock:
                known = [order["orderid"] for order in outcomes.placed[-50:] + placed[-50:]]
            roll = rng.random()
            if roll < 0.5 or not known:
                answer = client.call("AddOrder", **ORDER)
                assert answer["result"] == "success", answer
                placed.append(answer)
            else:
                # Orders other clients placed too: the same order is fought over from several threads.
                orderid = rng.choice(known)
                action, tally = ("AcceptOrder", accepted) if roll < 0.8 else ("CancelOrder", cancelled)
                answer = client.call(action, orderid=orderid)
                if answer["result"] == "success":
                    tally[orderid] += 1
                else:
                    assert answer["message"] == "Order ID not found or Status not Pending", answer
            requests += 1
    finally:
        client.close()
    with outcomes.lock:
        outcomes.placed += placed
        outcomes.accepted += accepted
        outcomes.cancelled += cancelled
        outcomes.requests += requests


def test_concurrent_clients_never_duplicate_lose_or_miscount(server: BackgroundServer) -> None:
    outcomes = Outcomes()
    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        deadline = started + SECONDS
        clients = [pool.submit(client_loop, server, outcomes, deadline, seed) for seed in range(THREADS)]
        for finished in clients:
            finished.result()  # a client's failed assertion fails the test
    elapsed = time.monotonic() - started
    engine = engine_of(server.app)
    store = engine.store

    orderids = [answer["orderid"] for answer in outcomes.placed]
    assert len(set(orderids)) == len(orderids), "an order id was handed out twice"
    assert len({answer["invoiceid"] for answer in outcomes.placed}) == len(orderids)
    assert sorted(orderids) == [order.id for order in store.orders], "an order was lost, or one appeared"
    check_invariants(store)
    for orderid in orderids:
        wins = outcomes.accepted[orderid] + outcomes.cancelled[orderid]
        assert wins <= 1, f"order {orderid} left Pending more than once"
        told = {"Active": outcomes.accepted[orderid], "Cancelled": outcomes.cancelled[orderid]}
        assert store.orders.get(orderid).status == next((s for s, won in told.items() if won), "Pending")
    assert sum(outcomes.accepted.values()) > 0 and sum(outcomes.cancelled.values()) > 0

    log, store.log = store.log, None
    assert log is not None
    log.close()
    restarted = Engine.for_scenario(engine.scenario)
    restarted.keep_state(log.path)
    try:
        assert snapshot(restarted.store) == snapshot(store)
    finally:
        restarted.store.log.close()  # type: ignore[union-attr]
    print(f"\nstress: {outcomes.requests} requests from {THREADS} threads in {elapsed:.1f} s "
          f"({outcomes.requests / elapsed:.0f}/s): {len(orderids)} orders placed, "
          f"{sum(outcomes.accepted.values())} accepted, {sum(outcomes.cancelled.values())} cancelled; "
          "invariants hold, restart identical")


def test_two_clients_accepting_one_order_at_once_give_exactly_one_success(server: BackgroundServer) -> None:
    clients = [Client(server), Client(server)]
    barrier = threading.Barrier(2)

    def accept(client: Client, orderid: int) -> dict[str, Any]:
        barrier.wait()  # both requests leave together
        return client.call("AcceptOrder", orderid=orderid)

    with ThreadPoolExecutor(2) as pool:
        for _ in range(RACES):
            orderid = clients[0].call("AddOrder", **ORDER)["orderid"]
            racers = [pool.submit(accept, client, orderid) for client in clients]
            answers = [racer.result() for racer in racers]
            assert sorted(answer["result"] for answer in answers) == ["error", "success"]
            assert engine_of(server.app).store.orders.get(orderid).status == "Active"
    for client in clients:
        client.close()
