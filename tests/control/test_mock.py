"""MockWhmcs: the Python face of the control plane, on a real socket."""

from __future__ import annotations

from datetime import datetime

import pytest

from mockwhmcs import FaultRuleError, MockWhmcs, ScenarioError
from mockwhmcs.store.scenario import parse_scenario

ORDER = {"clientid": 1, "pid": [1], "billingcycle": ["monthly"], "paymentmethod": "mailin"}


def test_start_serves_on_a_free_port_and_stop_frees_it() -> None:
    whmcs = MockWhmcs("empty").start()
    try:
        assert whmcs.url == f"http://127.0.0.1:{whmcs.server.port}/includes/api.php"
        assert whmcs.base_url + "/includes/api.php" == whmcs.url
        assert (whmcs.identifier, whmcs.secret) == ("mockwhmcs-identifier", "mockwhmcs-secret")
        assert whmcs.call("GetPaymentMethods")["totalresults"] == 3
    finally:
        whmcs.stop()
    with pytest.raises(OSError):
        whmcs.call("GetPaymentMethods")


def test_call_sends_lists_and_dicts_as_php_arrays(whmcs: MockWhmcs) -> None:
    assert whmcs.call("AddOrder", **ORDER)["result"] == "success"
    whmcs.assert_called("AddOrder", times=1, pid={"0": "1"}, billingcycle=["monthly"])


def test_inject_returns_the_rule_id_and_faults_fire_in_order(whmcs: MockWhmcs) -> None:
    first = whmcs.inject("AddOrder", error="Client ID Not Found", times=1)
    second = whmcs.inject("*", when={"clientid": 2}, error="Closed")
    assert (first, second) == (1, 2)
    assert whmcs.call("AddOrder", **ORDER) == {"result": "error", "message": "Client ID Not Found"}
    assert whmcs.call("AddOrder", **ORDER)["result"] == "success"
    assert whmcs.call("AddOrder", **{**ORDER, "clientid": 2})["message"] == "Closed"
    assert [rule["fired"] for rule in whmcs.faults] == [1, 1]
    assert whmcs.remove_fault(first)
    whmcs.clear_faults()
    assert whmcs.faults == []


def test_a_bad_rule_raises_with_its_problems(whmcs: MockWhmcs) -> None:
    with pytest.raises(FaultRuleError) as raised:
        whmcs.inject("AddOrder", eror="typo")
    assert raised.value.problems == ["rule: Additional properties are not allowed ('eror' was unexpected)"]


def test_requests_and_assert_called_query_the_journal(whmcs: MockWhmcs) -> None:
    whmcs.call("GetProducts", pid=1)
    whmcs.call("GetProducts", pid=2)
    assert [entry["params"]["pid"] for entry in whmcs.requests("getproducts")] == ["1", "2"]
    assert [entry["params"]["pid"] for entry in whmcs.requests(pid=2)] == ["2"]
    whmcs.assert_called("GetProducts", times=2)
    whmcs.assert_called("GetProducts", pid=1)
    with pytest.raises(AssertionError) as failure:
        whmcs.assert_called("GetProducts", pid=3)
    assert str(failure.value).splitlines()[1:] == [
        "closest recorded requests:",
        '  #2 GetProducts {"pid": "2"} -> HTTP 200 (differs: pid="2")',
        '  #1 GetProducts {"pid": "1"} -> HTTP 200 (differs: pid="1")',
    ]
    whmcs.clear_requests()
    assert whmcs.requests() == []


def test_state_reset_and_exactly_the_scenario_again(whmcs: MockWhmcs) -> None:
    initial = whmcs.state
    order = whmcs.call("AddOrder", **ORDER)
    whmcs.call("AcceptOrder", orderid=order["orderid"])
    state = whmcs.state
    assert [service["status"] for service in state["services"]] == ["Active", "Active"]
    assert state["invoices"][0]["total"] == "6.00"
    whmcs.reset()
    assert whmcs.state == initial


def test_reset_brings_back_the_scenarios_own_faults(whmcs: MockWhmcs) -> None:
    whmcs.load_scenario(parse_scenario("extends: default\nfaults: [{action: GetProducts, error: Down}]"))
    whmcs.clear_faults()
    assert whmcs.call("GetProducts")["result"] == "success"
    whmcs.reset()
    assert whmcs.call("GetProducts") == {"result": "error", "message": "Down"}


def test_a_bad_scenario_raises_and_changes_nothing(whmcs: MockWhmcs) -> None:
    whmcs.call("GetProducts")
    with pytest.raises(ScenarioError):
        whmcs.load_scenario("no-such-scenario")
    assert whmcs.engine.scenario.name == "default"
    assert len(whmcs.requests()) == 1


def test_the_clock_is_set_and_advanced(whmcs: MockWhmcs) -> None:
    assert whmcs.clock.now() == datetime(2026, 1, 15, 10, 0)
    assert whmcs.clock.set("2026-02-01 00:00:00") == datetime(2026, 2, 1)
    assert whmcs.clock.advance(90) == datetime(2026, 2, 1, 0, 1, 30)
    whmcs.clock.set(datetime(2027, 1, 1, 12, 0))
    whmcs.call("AddOrder", **ORDER)
    assert whmcs.state["orders"][0]["date"] == "2027-01-01 12:00:00"
    with pytest.raises(OverflowError):
        whmcs.clock.advance(1e12)
    assert whmcs.clock.now() == datetime(2027, 1, 1, 12, 0)
