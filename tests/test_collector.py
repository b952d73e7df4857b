"""The served process's garbage collection (collector.py): what it relies on, and what it does."""

from __future__ import annotations

import gc
import io
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from mockwhmcs.app import create_app, engine_of
from tests.support import AUTH

ORDER = ("action=AddOrder&clientid=1&paymentmethod=mailin&pid[0]=1&domain[0]=cycles.com"
         "&billingcycle[0]=annually&addons[0]=1&domaintype[0]=register&regperiod[0]=1")
CALLS = [
    ORDER,
    "action=AcceptOrder&orderid=1",
    "action=GetOrders",
    "action=GetClientsProducts&clientid=1",
    "action=GetInvoice&invoiceid=1",
    "action=CancelOrder&orderid=1",
    "action=DeleteOrder&orderid=1",
    "action=AcceptOrder&orderid=999",  # an error answer
]


def api_call(app: Any, body: str) -> bytes:
    """One request through the WSGI app, without a test client (which makes cycles of its own)."""
    raw = f"{body}&{AUTH}&responsetype=json".encode()
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/includes/api.php", "QUERY_STRING": "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw), "REMOTE_ADDR": "127.0.0.1",
    }
    return b"".join(app(environ, lambda status, headers: None))


@pytest.fixture
def collector_paused() -> Iterator[None]:
    """No automatic collection while a test counts the cycles it leaves."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_orders_their_read_backs_and_resets_leave_no_reference_cycles(collector_paused: None) -> None:
    # What freezing survivors relies on: records, journal entries and answers are freed by reference
    # counting alone. A cycle among them would stay frozen, so leak, until the next reset.
    app = create_app("default")
    engine = engine_of(app)
    for body in CALLS:
        api_call(app, body)
    engine.reset()
    gc.collect()
    for _ in range(3):
        for body in CALLS:
            assert api_call(app, body)
        engine.reset()
    assert gc.collect() == 0


def run_python(code: str) -> None:
    # The collector's settings are process-wide: try them in a process of their own.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_serving_freezes_what_survives_a_collection_so_no_pass_rescans_it() -> None:
    run_python("""
import gc
from mockwhmcs import collector
collector.settle_for_serving()
frozen = gc.get_freeze_count()
records = [[n] for n in range(10_000)]
gc.collect(1)
assert gc.get_freeze_count() >= frozen + 10_000, (frozen, gc.get_freeze_count())
assert len(gc.get_objects(2)) < 1_000
""")


def test_a_reset_collects_the_cycles_frozen_while_they_were_in_use() -> None:
    run_python("""
import gc
from mockwhmcs import collector
collector.settle_for_serving()
frozen = gc.get_freeze_count()
in_use = []
for _ in range(frozen):
    cycle = []
    cycle.append(cycle)
    in_use.append(cycle)
gc.collect(1)
del in_use, cycle
piled_up = gc.get_freeze_count()
assert piled_up >= 2 * frozen, (frozen, piled_up)
collector.after_reset()
assert gc.get_freeze_count() <= piled_up - frozen, (frozen, piled_up, gc.get_freeze_count())
""")


def test_a_reset_without_enough_frozen_garbage_runs_no_full_collection() -> None:
    run_python("""
import gc
from mockwhmcs import collector
collector.settle_for_serving()
full = []
gc.callbacks.append(lambda phase, info: phase == "start" and info["generation"] == 2 and full.append(1))
collector.after_reset()
assert not full
""")
