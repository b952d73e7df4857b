"""The journal is bounded in bytes as well as in entries: big requests cannot fill the memory."""

from __future__ import annotations

from flask import Flask

from mockwhmcs.app import create_app, engine_of
from mockwhmcs.control.journal import Journal, held_bytes
from tests.support import AUTH


def record(journal: Journal, size: int) -> None:
    journal.record(received=0.0, method="POST", path="/includes/api.php", action="GetOrders", params={},
                   status=200, response={"result": "success"}, fault=None, warnings=[], duration_ms=1.0,
                   size=size)


def test_the_oldest_entries_go_once_the_journal_holds_too_many_bytes() -> None:
    journal = Journal(size=100, max_bytes=3000)
    for _ in range(5):
        record(journal, 400)  # 1,200 bytes held each
    assert [entry.seq for entry in journal.entries()] == [4, 5]


def test_the_newest_entry_stays_however_big() -> None:
    journal = Journal(size=100, max_bytes=1000)
    record(journal, 10)
    record(journal, 5000)
    assert [entry.seq for entry in journal.entries()] == [2]


def test_decoded_arrays_weigh_what_they_hold_not_what_they_took_on_the_wire() -> None:
    # x[][][]=1 twice: 22 bytes on the wire, six dicts once decoded.
    params = {"x": {0: {0: {0: "1"}}, 1: {0: {0: "1"}}}}
    assert held_bytes(params, 22) == 3 * 22 + 200 * 5 + 100 * (2 + 1 + 1 + 1 + 1)
    assert held_bytes({"action": "AddOrder", "clientid": "1"}, 30) == 90


def test_deep_arrays_cannot_grow_the_journal_past_its_bound() -> None:
    journal = Journal(size=10_000, max_bytes=1_000_000)
    deep: dict = {}
    level = deep
    for _ in range(62):
        level[0] = {}
        level = level[0]
    params = {f"x{number}": deep for number in range(999)}
    for _ in range(50):
        journal.record(received=0.0, method="POST", path="/includes/api.php", action="", params=params,
                       status=403, response={}, fault=None, warnings=[], duration_ms=1.0, size=130_000)
    # Each such entry weighs more than the bound, so only the newest is ever kept.
    assert [entry.seq for entry in journal.entries()] == [50]


def test_requests_weigh_what_they_and_their_answers_took_on_the_wire() -> None:
    app: Flask = create_app("default")
    body = f"action=GetOrderStatuses&{AUTH}&responsetype=json&pad={'x' * 1000}"
    reply = app.test_client().post("/includes/api.php?a=1", data=body,
                                   content_type="application/x-www-form-urlencoded")
    (entry,) = engine_of(app).journal.entries()
    assert entry.size == 3 * (len("a=1") + len(body) + len(reply.get_data()))
