"""The mockwhmcs benchmark: every figure the README quotes, from one command.

    python benchmarks/run.py            # the full run, about four minutes on 2 cores
    python benchmarks/run.py --quick    # shorter load runs and no 100k-order point

Load comes from wrk when it is installed (it is lighter than any Python client) and from a built-in
multi-threaded keep-alive client otherwise. Servers run in their own processes, served exactly as
``mockwhmcs serve`` serves them (see benchmarks/server.py). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mockwhmcs.client import http_build_query

HERE = Path(__file__).resolve().parent
API = "/includes/api.php"
AUTH = {"identifier": "mockwhmcs-identifier", "secret": "mockwhmcs-secret", "responsetype": "json"}
ADD_ORDER = http_build_query({"action": "AddOrder", **AUTH, "clientid": 1, "pid": [1],
                              "billingcycle": ["monthly"], "paymentmethod": "mailin"})
ACCEPT_ORDER = http_build_query({"action": "AcceptOrder", **AUTH}) + "&orderid="
GET_ORDERS = http_build_query({"action": "GetOrders", **AUTH})
FORM = "application/x-www-form-urlencoded"
# AddOrder on waitress, the server before this one (8 threads, same machine, 8 connections): the
# event-loop server's target is 2.5 times that.
WAITRESS_ADD_ORDER_RPS = 2180
IDLE_CONNECTIONS = 1000
CANNED_ADD_ORDER = ('{"result":"success","orderid":1,"productids":"1","serviceids":"1","addonids":"",'
                    '"domainids":"","invoiceid":1}')


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float

    def __str__(self) -> str:
        return f"{self.rps:,.0f} req/s · p50 {self.p50_ms:.2f} ms · p99 {self.p99_ms:.2f} ms"


# --- servers --------------------------------------------------------------------------------------


@contextmanager
def bench_server(app: str = "mock", orders: int = 0) -> Iterator[tuple[int, int]]:
    """A server process; yields (port, pid)."""
    process = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), "--app", app, "--orders", str(orders)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("ready "):
            raise RuntimeError(f"benchmark server did not start: {line!r}")
        yield int(line.split()[1]), process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def wiremock_jar() -> Path | None:
    """WireMock's standalone jar, as the npm package ``wiremock`` bundles it (``npm install -g wiremock``)."""
    if not (shutil.which("java") and shutil.which("npm")):
        return None
    root = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True).stdout.strip()
    jars = sorted(Path(root, "wiremock", "build").glob("wiremock-standalone-*.jar"))
    return jars[-1] if jars else None


@contextmanager
def wiremock_server(jar: Path) -> Iterator[tuple[int, float]]:
    """WireMock answering AddOrder with a canned body, as a generic mock would; yields (port,
    seconds from process start to its first answer)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as root:
        Path(root, "mappings").mkdir()
        response = {"status": 200, "headers": {"Content-Type": "application/json"}, "body": CANNED_ADD_ORDER}
        mapping = {"request": {"method": "POST", "url": API}, "response": response}
        Path(root, "mappings", "addorder.json").write_text(json.dumps(mapping))
        start = time.perf_counter()
        process = subprocess.Popen(
            ["java", "-jar", str(jar), "--port", str(port), "--root-dir", root, "--disable-banner",
             "--no-request-journal"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    post(port, ADD_ORDER)
                    break
                except OSError:
                    time.sleep(0.02)
            yield port, time.perf_counter() - start
        finally:
            process.terminate()
            process.wait(timeout=30)


def post(port: int, body: str, connection: http.client.HTTPConnection | None = None) -> bytes:
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", API, body=body, headers={"Content-Type": FORM})
    return conn.getresponse().read()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


# --- load generators ------------------------------------------------------------------------------


def wrk_load(port: int, body: str, connections: int, seconds: float, sequential_ids: bool) -> Load:
    """wrk with a Lua script posting ``body``; with ``sequential_ids`` each request appends the next
    order id (1, 2, 3 … across all threads), so every AcceptOrder meets a fresh pending order."""
    threads = min(2, connections)
    request = (
        f'local id = counter * {threads} + tid + 1\n  counter = counter + 1\n'
        f'  return wrk.format("POST", "{API}", headers, body .. id)'
        if sequential_ids else f'return wrk.format("POST", "{API}", headers, body)'
    )
    script = (
        f'body = "{body}"\nheaders = {{["Content-Type"] = "{FORM}"}}\n'
        "local next_tid = 0\n"
        "function setup(thread) thread:set('tid', next_tid); next_tid = next_tid + 1 end\n"
        "function init(args) counter = 0 end\n"
        f"function request()\n  {request}\nend\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", handle.name,
             f"http://127.0.0.1:{port}{API}"],
            capture_output=True, text=True, check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return Load(rps, _wrk_ms(out, "50%"), _wrk_ms(out, "99%"))


def _wrk_ms(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def builtin_load(port: int, body: str, connections: int, seconds: float, sequential_ids: bool) -> Load:
    """Keep-alive connections, one thread each, for ``seconds``; the fallback when wrk is missing."""
    ids = itertools.count(1)
    latencies: list[list[float]] = [[] for _ in range(connections)]
    deadline = time.perf_counter() + seconds

    def worker(mine: list[float]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (start := time.perf_counter()) < deadline:
            post(port, body + str(next(ids)) if sequential_ids else body, connection)
            mine.append(time.perf_counter() - start)

    workers = [threading.Thread(target=worker, args=(mine,)) for mine in latencies]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    every = sorted(itertools.chain.from_iterable(latencies))
    return Load(len(every) / seconds, every[len(every) // 2] * 1000, every[int(len(every) * 0.99)] * 1000)


# --- measurements ---------------------------------------------------------------------------------


def startup_seconds(runs: int = 5) -> float:
    """``mockwhmcs serve`` process start to its first answered request, median of ``runs``."""
    command = [shutil.which("mockwhmcs") or sys.executable, "serve", "--port", "0"]
    if command[0] == sys.executable:
        command[1:1] = ["-m", "mockwhmcs"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        port = int(re.search(r":(\d+)/", process.stdout.readline()).group(1))  # type: ignore[union-attr]
        assert b'"result":"success"' in post(port, http_build_query({"action": "GetPaymentMethods", **AUTH}))
        times.append(time.perf_counter() - start)
        process.terminate()
        process.wait(timeout=10)
    return statistics.median(times)


def page_latency_ms(port: int, rounds: int = 5, requests: int = 200) -> float:
    """GetOrders (first page of 25) latency on one keep-alive connection: the median of each round of
    ``requests``, and the lowest of those (the round least disturbed by the rest of the machine, as
    timeit takes the best of its repeats)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    medians = []
    for _ in range(rounds):
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            post(port, GET_ORDERS, connection)
            times.append(time.perf_counter() - start)
        medians.append(statistics.median(times))
    return min(medians) * 1000


def idle_connections_ratio(port: int, requests: int = 300) -> float:
    """AddOrder latency on one keep-alive connection with ``IDLE_CONNECTIONS`` other keep-alive
    connections open and idle (each has made a request), divided by the same without them: medians."""

    def median_ms() -> float:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            post(port, ADD_ORDER, connection)
            times.append(time.perf_counter() - start)
        connection.close()
        return statistics.median(times)

    alone = median_ms()
    request = (f"POST {API} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {FORM}\r\n"
               f"Content-Length: {len(GET_ORDERS)}\r\n\r\n{GET_ORDERS}").encode()
    idle = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(IDLE_CONNECTIONS)]
    try:
        for sock in idle:
            sock.sendall(request)
            sock.recv(65536)
        crowded = median_ms()
    finally:
        for sock in idle:
            sock.close()
    return crowded / alone


def reset_ms() -> float:
    """The reset the pytest fixture runs before each test (default scenario), median of 2,000."""
    from mockwhmcs import MockWhmcs

    mock = MockWhmcs("default", inprocess=True)
    times = []
    for _ in range(2000):
        start = time.perf_counter()
        mock.reset()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


SUITE = '''
import pytest

@pytest.mark.parametrize("n", range({tests}))
{marker}
def test_order_round_trip(whmcs, n):
    order = whmcs.call("AddOrder", clientid=1, pid=[1], billingcycle=["monthly"], paymentmethod="mailin")
    assert whmcs.call("AcceptOrder", orderid=order["orderid"])["result"] == "success"
    assert whmcs.call("GetOrders", id=order["orderid"])["orders"]["order"][0]["status"] == "Active"
'''


def suite_seconds(tests: int, inprocess: bool) -> float:
    """Wall time of a pytest run of ``tests`` tests, each AddOrder + AcceptOrder + GetOrders."""
    marker = "@pytest.mark.whmcs(inprocess=True)" if inprocess else ""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "test_suite.py").write_text(SUITE.format(tests=tests, marker=marker))
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", folder],
                                capture_output=True, text=True, cwd=folder)
        elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"benchmark suite failed:\n{result.stdout[-2000:]}")
    return elapsed


# --- the run --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s load runs, no 100k-order point")
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    seconds = 3 if args.quick else 10
    scale = (0, 10_000) if args.quick else (0, 10_000, 100_000)
    wrk = shutil.which("wrk")
    load: Callable[..., Load] = wrk_load if wrk else builtin_load

    def measure(port: int, body: str, sequential_ids: bool = False, warm_up: float = 1) -> Load:
        load(port, body, args.connections, warm_up, sequential_ids)
        return load(port, body, args.connections, seconds, sequential_ids)

    rows: list[tuple[str, str, str]] = []
    started = startup_seconds()
    rows.append(("start-up: `mockwhmcs serve` to its first answer (median of 5)", f"{started:.2f} s",
                 _target(started <= 0.3, "≤ 0.3 s")))

    with bench_server("bare") as (port, _):
        bare = measure(port, ADD_ORDER)
    with bench_server("mock") as (port, _):
        add_order = measure(port, ADD_ORDER)
    # Enough pending orders that every AcceptOrder in the run meets a fresh one.
    pending = int(max(add_order.rps, 1000) * (seconds + 1) * 2)
    with bench_server("mock", orders=pending) as (port, _):
        accept_order = measure(port, ACCEPT_ORDER, sequential_ids=True)
        get_orders = measure(port, GET_ORDERS)
    for name, figure in (("AddOrder, one product, JSON", add_order), ("AcceptOrder", accept_order),
                         ("GetOrders, first page of 25", get_orders)):
        rows.append((f"{name}, {args.connections} connections", str(figure),
                     _target(figure.p99_ms <= 5, "p99 ≤ 5 ms")))
    gain = add_order.rps / WAITRESS_ADD_ORDER_RPS
    rows.append((f"AddOrder throughput ÷ waitress's {WAITRESS_ADD_ORDER_RPS:,} req/s", f"{gain:.2f}",
                 _target(gain >= 2.5, "≥ 2.5")))
    with bench_server("mock") as (port, _):
        crowded = idle_connections_ratio(port)
    rows.append((f"AddOrder latency with {IDLE_CONNECTIONS:,} idle keep-alive connections open ÷ without",
                 f"{crowded:.2f}", _target(crowded <= 1.5, "≤ 1.5")))
    rows.append((f"bare Flask endpoint on the same server, {args.connections} connections", str(bare), ""))
    ratio = add_order.rps / bare.rps
    rows.append(("AddOrder ÷ bare endpoint (throughput)", f"{ratio:.2f}", _target(ratio >= 0.8, "≥ 0.8")))
    jar = wiremock_jar()
    if jar is None:
        skipped = "skipped: needs java and `npm install -g wiremock`"
        rows.append(("WireMock, canned AddOrder (peer)", skipped, ""))
    else:
        with wiremock_server(jar) as (port, wiremock_started):
            wiremock = measure(port, ADD_ORDER, warm_up=5)  # the JVM's JIT needs longer to settle
        version = jar.stem.rsplit("-", 1)[-1]
        rows.append((f"WireMock {version}, canned AddOrder (peer), {args.connections} connections",
                     f"{wiremock} · start-up {wiremock_started:.2f} s", ""))

    reset = reset_ms()
    rows.append(("pytest fixture: reset per test (median)", f"{reset:.3f} ms", _target(reset <= 1, "≤ 1 ms")))
    for inprocess in (True, False):
        total = suite_seconds(1000, inprocess)
        mode = "in-process" if inprocess else "over sockets"
        rows.append((f"pytest: 1,000 tests of AddOrder + AcceptOrder + GetOrders, {mode}",
                     f"{total:.1f} s ({total / 1000 * 1000:.1f} ms per test)", ""))

    pages, sizes = {}, {}
    for orders in scale:
        with bench_server("mock", orders=orders) as (port, pid):
            # The store's size first: the journal then keeps every page it answers, 25 orders each.
            sizes[orders] = rss_mb(pid)
            pages[orders] = page_latency_ms(port)
    largest = max(scale)
    rows.append(("GetOrders page latency at " + " / ".join(f"{n:,}" for n in scale) + " orders",
                 " / ".join(f"{pages[n]:.2f}" for n in scale) + " ms",
                 _target(pages[largest] <= 2 * pages[0], f"{largest:,} ≤ 2 x 0")))
    rows.append(("server RSS at " + " / ".join(f"{n:,}" for n in scale) + " orders",
                 " / ".join(f"{sizes[n]:.0f}" for n in scale) + " MB",
                 _target(sizes[largest] <= 300, "≤ 300 MB")))

    print(f"mockwhmcs benchmark, {time.strftime('%Y-%m-%d')}: {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load from "
          f"{'wrk' if wrk else 'the built-in client'}, {seconds} s per load run\n")
    print("| measure | result | target |\n| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def _target(met: bool, target: str) -> str:
    return f"{target} {'met' if met else 'missed'}"


if __name__ == "__main__":
    main()
