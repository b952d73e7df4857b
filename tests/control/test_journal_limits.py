"""The journal is bounded in bytes as well as in entries: big requests cannot fill the memory."""

from __future__ import annotations

from flask import Flask

from mockwhmcs.app import create_app, engine_of
from mockwhmcs.control.journal import Journal
from tests.support import AUTH


def record(journal: Journal, size: int) -> None:
    journal.record(received=0.0, method="POST", path="/includes/api.php", action="GetOrders", params={},
                   status=200, response={"result": "success"}, fault=None, warnings=[], duration_ms=1.0,
                   size=size)


def test_the_oldest_entries_go_once_the_journal_holds_too_many_bytes() -> None:
    journal = Journal(size=100, max_bytes=1000)
    for _ in range(5):
        record(journal, 400)
    assert [entry.seq for entry in journal.entries()] == [4, 5]


def test_the_newest_entry_stays_however_big() -> None:
    journal = Journal(size=100, max_bytes=1000)
    record(journal, 10)
    record(journal, 5000)
    assert [entry.seq for entry in journal.entries()] == [2]


def test_requests_weigh_what_they_and_their_answers_took_on_the_wire() -> None:
    app: Flask = create_app("default")
    body = f"action=GetOrderStatuses&{AUTH}&responsetype=json&pad={'x' * 1000}"
    reply = app.test_client().post("/includes/api.php?a=1", data=body,
                                   content_type="application/x-www-form-urlencoded")
    (entry,) = engine_of(app).journal.entries()
    assert entry.size == len("a=1") + len(body) + len(reply.get_data())
