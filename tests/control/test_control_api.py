"""The HTTP control API under /_mock/, over a real socket, as any language would use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockwhmcs import MockWhmcs
from tests.control.conftest import Control

ORDER = "action=AddOrder&clientid=1&pid[0]=1&billingcycle[0]=monthly&paymentmethod=mailin&responsetype=json"
SHOP = """\
name: shop
extends: default
clients:
  - {id: 7, firstname: Grace, lastname: Hopper, email: grace@example.com}
faults:
  - {action: GetProducts, error: Maintenance}
"""


def test_health_names_the_scenario_and_the_versions(control: Control) -> None:
    status, body = control.call("GET", "/health")
    assert status == 200
    assert body == {"status": "ok", "scenario": "default", "version": body["version"],
                    "whmcs_version": "8.12.1"}


def test_reset_puts_back_exactly_the_scenarios_state_journal_faults_and_clock(control: Control) -> None:
    _, initial = control.call("GET", "/state")
    _, initial_faults = control.call("GET", "/faults")
    first = control.api(ORDER).text
    first_ordernum = control.call("GET", "/state")[1]["orders"][0]["ordernum"]
    control.api("action=AcceptOrder&orderid=1&responsetype=json")
    control.call("POST", "/faults", {"action": "*", "error": "down"})
    control.call("POST", "/clock", {"advance": 86400})
    assert control.call("GET", "/state")[1] != initial

    assert control.call("POST", "/reset") == (200, {"status": "ok", "scenario": "default"})
    assert control.call("GET", "/state")[1] == initial
    assert control.call("GET", "/requests") == (200, {"requests": []})
    assert control.call("GET", "/faults")[1] == initial_faults
    # The random sequence starts over too: the same order gets the same ids and ordernum.
    assert control.api(ORDER).text == first
    assert control.call("GET", "/state")[1]["orders"][0]["ordernum"] == first_ordernum


def pids(control: Control, path: str) -> list[str]:
    return [entry["params"]["pid"] for entry in control.call("GET", path)[1]["requests"]]


def test_state_shows_every_table_with_money_as_strings_and_secrets_masked(control: Control) -> None:
    control.api(ORDER.replace("pid[0]=1", "pid[0]=3") + "&rootpw[0]=hunter2&hostname[0]=vps.example.com")
    status, state = control.call("GET", "/state")
    assert status == 200
    assert {"scenario", "now", "clients", "orders", "services", "addons", "domains", "invoices",
            "notifications"} <= set(state)
    service = state["services"][-1]
    assert (service["amount"], service["password"]) == ("20.00", "***")
    assert "hunter2" not in str(state)


def test_a_scenario_loads_by_name_and_resets(whmcs: MockWhmcs, control: Control) -> None:
    control.api(ORDER)
    loaded = control.call("POST", "/scenario", {"name": "empty"})
    assert loaded == (200, {"status": "ok", "scenario": "empty"})
    state = control.call("GET", "/state")[1]
    assert (state["scenario"], len(state["clients"]), state["orders"]) == ("empty", 1, [])
    assert control.call("GET", "/requests")[1] == {"requests": []}


def test_a_scenario_loads_from_a_yaml_body_with_its_faults(control: Control) -> None:
    reply = control.post(SHOP, path="/_mock/scenario", content_type="application/yaml")
    assert reply.status == 200
    assert [client["id"] for client in control.call("GET", "/state")[1]["clients"]] == [1, 2, 7]
    assert control.api("action=GetProducts&responsetype=json").text == (
        '{"result":"error","message":"Maintenance"}')


def test_a_bad_scenario_is_refused_with_every_problem_and_changes_nothing(control: Control) -> None:
    control.api(ORDER)
    _, before = control.call("GET", "/state")
    bad = "clients:\n  - {id: one, firstname: A}\nproducts:\n  - {gid: 9, name: P, paytype: sometimes}\n"
    reply = control.post(bad, path="/_mock/scenario", content_type="text/yaml")
    assert reply.status == 400
    problems = reply.body.decode()
    assert "request body:2: clients[0].id" in problems
    assert "request body:4: products[0].paytype" in problems
    assert "request body:4: products[0].gid: no product group with id 9" in problems
    assert control.call("GET", "/state")[1] == before
    assert len(control.call("GET", "/requests")[1]["requests"]) == 1


def test_an_unknown_scenario_name_is_a_400(control: Control) -> None:
    status, body = control.call("POST", "/scenario", {"name": "defualt"})
    assert status == 400
    assert body["error"] == "invalid scenario; nothing was changed"
    assert "did you mean 'default'" in body["problems"][0]


def test_a_scenario_loads_from_a_path(tmp_path: Path, control: Control) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP)
    loaded = control.call("POST", "/scenario", {"name": str(path)})
    assert loaded == (200, {"status": "ok", "scenario": "shop"})


def test_requests_filter_by_action_and_parameters_and_limit(control: Control) -> None:
    for pid in ("1", "2", "3"):
        control.api(f"action=GetProducts&responsetype=json&pid={pid}")
    control.api("action=GetPaymentMethods&responsetype=json")
    requests = control.call("GET", "/requests")[1]["requests"]
    assert [entry["action"] for entry in requests] == ["GetProducts"] * 3 + ["GetPaymentMethods"]
    assert requests[0]["params"]["secret"] == "***"
    assert len(control.call("GET", "/requests?action=getproducts")[1]["requests"]) == 3
    assert pids(control, "/requests?action=GetProducts&limit=2") == ["2", "3"]
    assert pids(control, "/requests?pid=2") == ["2"]
    assert control.call("GET", "/requests?limit=0")[1] == {"requests": []}
    assert control.call("GET", "/requests?limit=-1")[0] == 400

    assert control.call("DELETE", "/requests") == (200, {"status": "ok"})
    assert control.call("GET", "/requests")[1] == {"requests": []}


def test_count_answers_with_near_misses(control: Control) -> None:
    control.api("action=GetProducts&responsetype=json&pid=1")
    control.api("action=GetProducts&responsetype=json&pid=2")
    status, body = control.call("POST", "/requests/count", {"action": "GetProducts", "params": {"pid": 2}})
    assert (status, body["count"]) == (200, 1)
    assert [entry["params"]["pid"] for entry in body["near_misses"]] == ["1"]
    assert control.call("POST", "/requests/count", {"action": "*"})[1]["count"] == 2
    assert control.call("POST", "/requests/count", {"params": []})[0] == 400
    assert control.call("POST", "/requests/count", {"acton": "x"})[0] == 400


def test_faults_are_listed_added_and_removed(control: Control) -> None:
    status, rule = control.call("POST", "/faults", {"action": "AddOrder", "times": 1, "error": "No"})
    assert status == 201
    assert rule == {"id": 1, "action": "AddOrder", "when": {}, "after": 0, "times": 1, "probability": 1.0,
                    "delay": 0.0, "error": "No", "matched": 0, "fired": 0}
    control.call("POST", "/faults", {"action": "*", "connection": "reset", "probability": 0.0})
    assert [rule["id"] for rule in control.call("GET", "/faults")[1]["faults"]] == [1, 2]

    assert control.api(ORDER).text == '{"result":"error","message":"No"}'
    assert control.call("GET", "/faults")[1]["faults"][0]["fired"] == 1

    assert control.call("DELETE", "/faults/1") == (200, {"status": "ok"})
    assert control.call("DELETE", "/faults/1")[0] == 404
    assert control.call("DELETE", "/faults") == (200, {"status": "ok"})
    assert control.call("GET", "/faults")[1] == {"faults": []}


def test_a_bad_fault_rule_is_a_400_listing_every_problem(control: Control) -> None:
    rule = {"action": "AddOrder", "status": "503", "connection": "slow"}
    status, body = control.call("POST", "/faults", rule)
    assert status == 400
    assert body["error"] == "invalid fault rule"
    assert body["problems"] == [
        "connection: 'slow' is not one of ['reset', 'empty', 'malformed', 'hang']",
        "status: '503' is not of type 'integer'",
        "a fault has one outcome; give only one of status, connection",
    ]
    assert control.call("GET", "/faults")[1] == {"faults": []}


def test_the_clock_is_set_and_advanced(control: Control) -> None:
    assert control.call("GET", "/clock")[1] == {"now": "2026-01-15 10:00:00", "frozen": True}
    assert control.call("POST", "/clock", {"now": "2026-03-01 09:00:00"})[1]["now"] == "2026-03-01 09:00:00"
    assert control.call("POST", "/clock", {"advance": 3600})[1]["now"] == "2026-03-01 10:00:00"
    assert control.call("POST", "/clock", {"now": "2026-04-01", "advance": -60})[1]["now"] == (
        "2026-03-31 23:59:00")
    control.api(ORDER)
    assert control.call("GET", "/state")[1]["orders"][0]["date"] == "2026-03-31 23:59:00"


def test_bad_clock_changes_are_400s_and_change_nothing(control: Control) -> None:
    for bad in ({"now": "tomorrow"}, {"now": 5}, {"now": "2026-01-01T00:00:00+02:00"}, {"advance": "1h"},
                {"advance": True}, {"advance": 1e300}, {"now": "2026-02-01", "advance": "x"}, {},
                {"when": 1}):
        status, body = control.call("POST", "/clock", bad)
        assert status == 400, bad
        assert "error" in body
    assert control.call("GET", "/clock")[1]["now"] == "2026-01-15 10:00:00"


def test_errors_under_the_prefix_are_json(control: Control) -> None:
    assert control.call("GET", "/nothing")[0] == 404
    assert control.call("GET", "/reset")[0] == 405
    reply = control.request("POST", "/_mock/faults", "{not json", content_type="application/json")
    assert (reply.status, reply.content_type) == (400, "application/json")
    assert control.call("POST", "/faults", ["AddOrder"])[0] == 400


def test_errors_outside_the_prefix_keep_flasks_pages(control: Control) -> None:
    reply = control.get("/nothing")
    assert (reply.status, reply.content_type) == (404, "text/html; charset=utf-8")


def test_a_yaml_alias_bomb_is_refused_with_a_400_that_says_why(control: Control) -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for level, previous in zip("bcdefghi", "abcdefgh", strict=True):
        bomb += f"{level}: &{level} [{','.join(['*' + previous] * 9)}]\n"
    reply = control.post(bomb + "description: *i\n", path="/_mock/scenario", content_type="text/yaml")
    assert reply.status == 400
    assert "request body:1: YAML aliases repeat more than 10,000 values" in reply.body.decode()



@pytest.mark.parametrize("path", ["/faults", "/requests/count", "/clock"])
def test_a_body_nested_past_the_bound_is_a_400_not_a_500(control: Control, path: str) -> None:
    for depth in (33, 100_000):
        reply = control.post('{"when": ' + "[" * depth + "]" * depth + "}", path=f"/_mock{path}",
                             content_type="application/json")
        assert reply.status == 400
        assert json.loads(reply.body) == {"error": "the body nests deeper than 32 levels"}


def test_a_fault_whose_content_type_would_split_headers_is_refused(control: Control) -> None:
    rule = {"action": "*", "status": 503, "content_type": "a\r\nb: c"}
    assert control.call("POST", "/faults", rule)[0] == 400
    assert control.call("GET", "/faults")[1] == {"faults": []}
