"""Memory stays bounded whatever the requests' shape: the journal weighs what it holds, not what came on
the wire. Against a real `mockwhmcs serve` process, on loopback, bounded in count."""

from __future__ import annotations

import http.client
import re
from pathlib import Path

from tests.support import serve_process

# 999 parameters x[0][0]…[0] nested 63 levels (PHP's limits): 130 KB on the wire, about 12 MB of
# Python dicts once decoded. Before the journal weighed decoded arrays, 300 of these took the server
# from 36 MB to 3.5 GB.
LEVELS, PARAMS, REQUESTS = 63, 999, 60
BODY = "&".join(f"x{n}" + "[]" * LEVELS + "=1" for n in range(PARAMS)).encode()
# The journal's own bound (32 MiB) plus room for the interpreter's heap to settle.
MAX_GROWTH_MB = 150


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    assert match
    return int(match.group(1)) / 1024


def test_deeply_nested_requests_cannot_grow_the_server_past_the_journal_bound() -> None:
    with serve_process() as served:
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
        connection.request("POST", "/includes/api.php", b"action=GetOrderStatuses",
                           {"Content-Type": "application/x-www-form-urlencoded"})
        connection.getresponse().read()
        before = _rss_mb(served.process.pid)
        for _ in range(REQUESTS):
            connection.request("POST", "/includes/api.php", BODY,
                               {"Content-Type": "application/x-www-form-urlencoded"})
            response = connection.getresponse()
            response.read()
            assert response.status == 403  # no credentials
        grown = _rss_mb(served.process.pid) - before
        assert grown < MAX_GROWTH_MB, f"the server grew by {grown:.0f} MB over {REQUESTS} requests"
