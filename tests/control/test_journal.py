"""The request journal: bounded, thread-safe, queryable, and explaining failed verifications."""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

import pytest

from mockwhmcs import MockWhmcs
from mockwhmcs.client import WhmcsClient
from mockwhmcs.control.journal import Journal


def record(journal: Journal, action: str, status: int | None = 200, **params: Any) -> None:
    journal.record(received=0.0, method="POST", path="/includes/api.php", action=action, params=params,
                   status=status, response={"result": "success"}, fault=None, warnings=[], duration_ms=1.0)


def test_the_journal_is_bounded_and_keeps_the_newest_entries() -> None:
    journal = Journal(size=3)
    for number in range(5):
        record(journal, "GetProducts", pid=str(number))
    assert [entry.seq for entry in journal.entries()] == [3, 4, 5]


def test_sequence_numbers_count_from_one_after_clearing() -> None:
    journal = Journal(size=2)
    for _ in range(3):
        record(journal, "GetProducts")
    journal.clear()
    record(journal, "GetProducts")
    assert [entry.seq for entry in journal.entries()] == [1]


def test_secrets_are_never_stored() -> None:
    journal = Journal()
    record(journal, "AddOrder", secret="s3", password="p", accesskey="k", rootpw={0: "r"},
           servicepassword="sp", identifier="id")
    params = journal.entries()[0].params
    assert params == {"secret": "***", "password": "***", "accesskey": "***", "rootpw": {0: "***"},
                      "servicepassword": "***", "identifier": "id"}


def test_secrets_in_answers_are_masked_when_shown() -> None:
    journal = Journal()
    journal.record(received=0.0, method="POST", path="/", action="GetClientsProducts", params={},
                   status=200, response={"products": {"product": [{"password": "hunter2", "username": "u"}]}},
                   fault=None, warnings=[], duration_ms=1.0)
    shown = journal.entries()[0].to_json()
    assert shown["response"] == {"products": {"product": [{"password": "***", "username": "u"}]}}


def test_queries_match_the_action_like_whmcs_and_a_parameter_subset() -> None:
    journal = Journal()
    record(journal, "AddOrder", clientid="1", pid={0: "1"})
    record(journal, "AddOrder", clientid="2", pid={0: "3"})
    record(journal, "GetProducts")
    assert [entry.seq for entry in journal.entries("addorder")] == [1, 2]
    assert [entry.seq for entry in journal.entries("AddOrder", {"pid": ["3"]})] == [2]
    assert [entry.seq for entry in journal.entries("*")] == [1, 2, 3]


def test_a_failed_verification_shows_the_closest_requests() -> None:
    journal = Journal()
    record(journal, "GetProducts")
    record(journal, "AddOrder", clientid="1", paymentmethod="mailin", pid={0: "1"})
    record(journal, "AddOrder", clientid="2", paymentmethod="paypal", pid={0: "1"})
    record(journal, "AcceptOrder", orderid="1")
    record(journal, "GetOrders")
    with pytest.raises(AssertionError) as failure:
        journal.verify("AddOrder", {"clientid": 1, "paymentmethod": "paypal"}, times=1)
    lines = str(failure.value).splitlines()
    assert lines[0] == ('expected AddOrder with {"clientid": 1, "paymentmethod": "paypal"} 1 time, '
                        "but it was called 0 times")
    assert lines[1] == "closest recorded requests:"
    # Same action first, most matching parameters first; then the most recent other action.
    assert lines[2].startswith("  #3 AddOrder") and lines[2].endswith('(differs: clientid="2")')
    assert lines[3].startswith("  #2 AddOrder") and lines[3].endswith('(differs: paymentmethod="mailin")')
    assert lines[4].startswith("  #5 GetOrders") and "differs: action GetOrders, no clientid" in lines[4]
    assert len(lines) == 5


def test_verification_counts_exactly_when_times_is_given() -> None:
    journal = Journal()
    record(journal, "AddOrder", clientid="1")
    record(journal, "AddOrder", clientid="1")
    assert journal.verify("AddOrder", {"clientid": "1"}) == 2
    assert journal.verify("AddOrder", {}, times=2) == 2
    with pytest.raises(AssertionError, match="expected AddOrder 1 time, but it was called 2 times"):
        journal.verify("AddOrder", {}, times=1)
    with pytest.raises(AssertionError, match="called 0 times\nno other requests recorded"):
        Journal().verify("AcceptOrder", {}, times=1)


def test_recording_from_many_threads_loses_nothing() -> None:
    journal = Journal()
    threads = [threading.Thread(target=lambda: [record(journal, "GetProducts") for _ in range(500)])
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [entry.seq for entry in journal.entries()] == list(range(1, 4001))


def test_eight_concurrent_clients_lose_no_entry(whmcs: MockWhmcs) -> None:
    calls_each = 40
    failures: list[BaseException] = []

    def client(number: int) -> None:
        api = WhmcsClient(whmcs.url, whmcs.identifier or "", whmcs.secret or "")
        try:
            for call in range(calls_each):
                assert api.call("GetProducts", pid=f"{number}{call}")["result"] == "success"
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=client, args=(number,)) for number in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    entries = whmcs.requests("GetProducts")
    assert len(entries) == 8 * calls_each
    first = entries[0]["seq"]
    assert sorted(entry["seq"] for entry in entries) == list(range(first, first + 8 * calls_each))
    # Every call is there once, with its own parameters.
    sent = Counter(entry["params"]["pid"] for entry in entries)
    assert sent == Counter(f"{number}{call}" for number in range(1, 9) for call in range(calls_each))


def test_entries_hold_everything_a_test_needs(whmcs: MockWhmcs) -> None:
    whmcs.call("GetProducts", pid="1")
    (entry,) = whmcs.requests()
    assert set(entry) == {"seq", "time", "method", "path", "action", "params", "status", "response", "fault",
                          "warnings", "duration_ms"}
    assert (entry["method"], entry["path"], entry["action"], entry["status"]) == (
        "POST", "/includes/api.php", "GetProducts", 200)
    assert entry["params"]["secret"] == "***"
    assert entry["response"]["products"]["product"][0]["name"] == "Starter"
    assert entry["time"].endswith("Z")
    json.dumps(entry)
