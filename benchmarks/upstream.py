"""What talking to another WHMCS costs: import, record, replay and compare, against a local "real" one.

    python benchmarks/upstream.py [--clients 1000] [--calls 2000]

The "real" WHMCS is a `mockwhmcs serve` process of the default scenario grown to N clients, each with
a service and a domain. Measured, each the best of three rounds:
- import: `mockwhmcs import URL --clients N` as a process, start to finish, and the API calls it made;
- the request path: GetClientsDetails over one keep-alive connection, sent straight to the real one,
  through `mockwhmcs record` (without and with --save), and to `mockwhmcs replay` of those recordings;
- compare: `mockwhmcs compare URL --scenario default` against it, its read probes, as a process.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from mockwhmcs.client import http_build_query

IDENTIFIER, SECRET = "mockwhmcs-identifier", "mockwhmcs-secret"
CREDENTIALS = {"WHMCS_IDENTIFIER": IDENTIFIER, "WHMCS_SECRET": SECRET}
API = "/includes/api.php"
DETAILS = http_build_query({"action": "GetClientsDetails", "identifier": IDENTIFIER, "secret": SECRET,
                            "responsetype": "json", "clientid": 1, "stats": True})


def grown_scenario(path: Path, clients: int) -> None:
    """The default scenario with ``clients`` more clients, each with one service and one domain."""
    first = 100
    data = {
        "name": "grown", "extends": "default",
        "clients": [{"id": first + n, "firstname": f"First{n}", "lastname": f"Last{n}",
                     "email": f"client{n}@example.com"} for n in range(clients)],
        "services": [{"id": first + n, "client": first + n, "pid": 1, "domain": f"site{n}.example.com",
                      "status": "Active", "billingcycle": "monthly"} for n in range(clients)],
        "domains": [{"id": first + n, "client": first + n, "domain": f"site{n}.example.com",
                     "status": "Active", "registrar": "enom"} for n in range(clients)],
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def mockwhmcs(*args: str, cwd: Path) -> Iterator[str]:
    """``mockwhmcs <args> --port <free>`` as a process, until it listens; yields its address."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mockwhmcs", *args, "--port", str(port)], cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"mockwhmcs {' '.join(args)} did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def best_of_three(measure: Callable[[], float]) -> float:
    return min(measure() for _ in range(3))


def per_call_us(url: str, calls: int) -> float:
    """Microseconds per GetClientsDetails, one after the other on one keep-alive connection."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    def call() -> None:
        connection.request("POST", API, DETAILS, headers)
        response = connection.getresponse()
        assert response.status == 200 and b'"result":"success"' in response.read()

    call()  # connect, and warm the path
    started = time.perf_counter()
    for _ in range(calls):
        call()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed / calls * 1e6


def timed_command(*args: str, cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mockwhmcs", *args], cwd=cwd, capture_output=True,
                            text=True, env={**os.environ, **CREDENTIALS}, timeout=1800)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"mockwhmcs {' '.join(args)} failed: {result.stderr.strip()}")
    return elapsed, result.stdout + result.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=2000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        grown_scenario(work / "grown.yaml", options.clients)
        rows: list[tuple[str, str]] = []
        with mockwhmcs("serve", "--scenario", "grown.yaml", "--journal-size", "1", cwd=work) as real:
            imported: list[int] = []

            def import_seconds() -> float:
                seconds, output = timed_command("import", real, "--clients", str(options.clients),
                                                "-o", "imported.yaml", cwd=work)
                wrote = re.search(r"(\d+) clients\)", output)
                assert wrote, output
                imported.append(int(wrote.group(1)))
                return seconds

            rows.append((f"import, {options.clients:,} clients (each with a service and a domain)",
                         f"{best_of_three(import_seconds):.2f} s"))
            assert imported[-1] == options.clients, imported
            direct = best_of_three(lambda: per_call_us(real, options.calls))
            rows.append(("GetClientsDetails, straight to the real one", f"{direct:,.0f} µs"))
            with mockwhmcs("record", "--upstream", real, cwd=work) as recorder:
                recorded = best_of_three(lambda: per_call_us(recorder, options.calls))
            rows.append(("… through `record`", f"{recorded:,.0f} µs"))
            with mockwhmcs("record", "--upstream", real, "--save", "saved", cwd=work) as recorder:
                saved = best_of_three(lambda: per_call_us(recorder, options.calls // 4))
            rows.append(("… through `record --save` (a file per exchange)", f"{saved:,.0f} µs"))
            recordings = len(list((work / "saved").glob("*.json")))
            with mockwhmcs("replay", "saved", cwd=work) as replayer:
                replayed = best_of_three(lambda: per_call_us(replayer, options.calls))
            rows.append((f"… from `replay` ({recordings:,} recordings)", f"{replayed:,.0f} µs"))
            compared = best_of_three(
                lambda: timed_command("compare", real, "--scenario", "default", cwd=work)[0])
            rows.append(("compare, the read probe set, as a process", f"{compared:.2f} s"))
    print("| measure | figure |")
    print("| --- | --- |")
    for name, figure in rows:
        print(f"| {name} | {figure} |")


if __name__ == "__main__":
    main()
