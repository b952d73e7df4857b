"""How long `mockwhmcs serve --state-file` takes to come back with 10,000 orders (target: 2 s).

    python benchmarks/restart.py [--orders 10000]

Writes a state file the way a server does (each order placed with AddOrder, every other one then
accepted), then measures the replay alone, in-process, and a whole `mockwhmcs serve` process from
its start until it answers a first request with every order there.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from mockwhmcs.actions.registry import Call, find_action, run
from mockwhmcs.control.engine import Engine
from mockwhmcs.store.scenario import load_scenario

ORDER = {"clientid": "1", "pid": {0: "1"}, "billingcycle": {0: "monthly"}, "domain": {0: "shop.example.com"},
         "paymentmethod": "mailin"}
COUNT = ("action=GetOrders&identifier=mockwhmcs-identifier&secret=mockwhmcs-secret&responsetype=json"
         "&limitnum=1")


def write_state(path: Path, orders: int) -> None:
    engine = Engine.for_scenario(load_scenario("default"))
    engine.keep_state(path)
    add_order, accept_order = find_action("AddOrder"), find_action("AcceptOrder")
    assert add_order is not None and accept_order is not None
    for number in range(1, orders + 1):
        run(add_order, Call(ORDER, engine.store))
        if number % 2:
            run(accept_order, Call({"orderid": str(number)}, engine.store))
    assert engine.store.log is not None
    engine.store.log.close()


def replay_seconds(path: Path) -> float:
    engine = Engine.for_scenario(load_scenario("default"))
    started = time.perf_counter()
    engine.keep_state(path)
    elapsed = time.perf_counter() - started
    assert engine.store.log is not None
    engine.store.log.close()
    return elapsed


def serve_seconds(path: Path, orders: int) -> float:
    started = time.perf_counter()
    command = [sys.executable, "-m", "mockwhmcs", "serve", "--port", "0", "--state-file", str(path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        match = re.search(r":(\d+)/", process.stdout.readline())
        assert match, "no URL in the banner"
        url = f"http://127.0.0.1:{match.group(1)}/includes/api.php"
        request = urllib.request.Request(url, COUNT.encode())
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.load(response)["totalresults"] == orders
        return time.perf_counter() - started
    finally:
        process.terminate()
        process.communicate(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "state.jsonl"
        write_state(path, args.orders)
        records = len(path.read_bytes().splitlines()) - 1
        size = path.stat().st_size / 1024 / 1024
        print(f"state file: {args.orders} orders, {records} records, {size:.1f} MiB")
        print(f"replay in-process: {min(replay_seconds(path) for _ in range(3)):.2f} s")
        serve = min(serve_seconds(path, args.orders) for _ in range(3))
        print(f"mockwhmcs serve, start to first answer: {serve:.2f} s")


if __name__ == "__main__":
    main()
