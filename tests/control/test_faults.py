"""Fault rules: validation, matching order, after/times/probability, and the outcomes rendered in-process."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from mockwhmcs import ConnectionFault, create_app
from mockwhmcs.control.faults import FaultRuleError, FaultSet, rule_problems
from mockwhmcs.store.scenario import parse_scenario
from tests.support import AUTH


def fired(faults: FaultSet, calls: int, action: str = "AddOrder", **params: Any) -> list[int | None]:
    """The id of the rule that fires for each of ``calls`` identical calls (None: none fired)."""
    return [rule.id if (rule := faults.pick(action, params)) else None for _ in range(calls)]


def test_action_is_matched_like_whmcs_matches_names_and_star_means_any() -> None:
    faults = FaultSet([], seed=1)
    faults.add({"action": "add_order", "error": "x"})
    faults.add({"action": "*", "status": 503})
    assert fired(faults, 1, "ADDORDER") == [1]
    assert fired(faults, 1, "GetProducts") == [2]
    assert fired(faults, 1, "") == [2]


def test_when_narrows_a_rule_to_matching_parameters() -> None:
    faults = FaultSet([], seed=1)
    faults.add({"action": "AcceptOrder", "when": {"orderid": 5}, "status": 503})
    assert fired(faults, 1, "AcceptOrder", orderid="4") == [None]
    assert fired(faults, 1, "AcceptOrder", orderid="5") == [1]


def test_after_lets_calls_through_and_times_limits_firing() -> None:
    faults = FaultSet([], seed=1)
    faults.add({"action": "AddOrder", "after": 2, "times": 2, "error": "x"})
    assert fired(faults, 6) == [None, None, 1, 1, None, None]
    listed = faults.to_json()[0]
    assert (listed["matched"], listed["fired"]) == (6, 2)


def test_the_first_rule_that_fires_wins_and_a_spent_rule_passes_on() -> None:
    faults = FaultSet([], seed=1)
    faults.add({"action": "AddOrder", "times": 1, "error": "first"})
    faults.add({"action": "*", "times": 2, "error": "second"})
    assert fired(faults, 4) == [1, 2, 2, None]


def test_probability_draws_from_the_scenario_seed_and_reload_replays_it() -> None:
    rules = [{"id": 1, "action": "*", "probability": 0.5, "error": "x"}]
    faults = FaultSet(rules, seed=7)
    first = fired(faults, 40)
    assert 0 < first.count(1) < 40
    faults.load(rules, seed=7)
    assert fired(faults, 40) == first
    assert fired(FaultSet(rules, seed=8), 40) != first


def test_certain_rules_draw_nothing_so_they_never_shift_the_others() -> None:
    chancy = {"id": 2, "action": "*", "probability": 0.5, "error": "x"}
    alone = fired(FaultSet([chancy], seed=3), 30, "GetProducts")
    with_certain = FaultSet([{"id": 1, "action": "AddOrder", "error": "y"}, chancy], seed=3)
    assert fired(with_certain, 30, "GetProducts") == alone


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ({"error": "x"}, "'action' is a required property"),
        ({"action": "AddOrder", "status": "503"}, "status: '503' is not of type 'integer'"),
        ({"action": "AddOrder", "connection": "slow"}, "connection: 'slow' is not one of"),
        ({"action": "AddOrder", "times": 0}, "times: 0 is less than the minimum of 1"),
        ({"action": "AddOrder", "probability": 2}, "probability: 2 is greater than the maximum of 1"),
        ({"action": "AddOrder", "errror": "x"}, "Additional properties are not allowed ('errror' was"),
        ({"action": "AddOrder", "error": "x", "status": 503}, "a fault has one outcome"),
        (["AddOrder"], "a fault rule is a JSON object"),
        ({"action": "AddOrder", "status": 503, "content_type": "text/plain\r\nX-Evil: 1"},
         "content_type: 'text/plain\\r\\nX-Evil: 1' does not match"),
        ({"action": "AddOrder", "delay": 1e308}, "delay: 1e+308 is greater than the maximum of 600"),
    ],
)
def test_a_bad_rule_is_refused_with_every_problem(rule: Any, problem: str) -> None:
    assert any(problem in text for text in rule_problems(rule)), rule_problems(rule)
    with pytest.raises(FaultRuleError):
        FaultSet([], seed=1).add(rule)


def test_added_rules_get_the_next_free_id_and_a_taken_id_is_refused() -> None:
    faults = FaultSet([{"id": 4, "action": "*", "error": "x"}], seed=1)
    assert faults.add({"action": "AddOrder", "error": "y"}).id == 5
    with pytest.raises(FaultRuleError, match="already exists"):
        faults.add({"id": 4, "action": "AddOrder", "error": "y"})
    assert faults.remove(4) and not faults.remove(4)
    assert [rule["id"] for rule in faults.to_json()] == [5]


def test_scenario_faults_are_in_force_from_the_start() -> None:
    scenario = parse_scenario("faults:\n  - {action: GetProducts, error: Scheduled maintenance}\n")
    client = create_app(scenario).test_client()
    reply = client.post("/includes/api.php", data=f"action=GetProducts&{AUTH}&responsetype=json")
    assert reply.get_json() == {"result": "error", "message": "Scheduled maintenance"}


# --- outcomes in-process (over a real socket: test_fault_outcomes.py) -------------------------------


@pytest.fixture
def client() -> FlaskClient:
    return create_app("default").test_client()


def inject(client: FlaskClient, **rule: Any) -> None:
    assert client.post("/_mock/faults", json=rule).status_code == 201


@pytest.mark.parametrize(
    ("action", "responsetype", "content_type", "body"),
    [
        ("AddOrder", "json", "application/json", b'{"result":"error","message":"Client ID Not Found"}'),
        ("AddOrder", "JSON", "application/json", b'{"result":"error","message":"Client ID Not Found"}'),
        ("AddOrder", "", "text/plain; charset=utf-8", b"result=error;message=Client ID Not Found"),
        ("AddOrder", "yaml", "text/plain; charset=utf-8", b"result=error;message=Client ID Not Found"),
        ("GetProducts", "", "application/xml; charset=utf-8",
         b'<?xml version="1.0" encoding="utf-8"?>\n<whmcsapi version="">\n<action>getproducts</action>\n'
         b"<result>error</result>\n<message>Client ID Not Found</message>\n</whmcsapi>"),
        ("GetProducts", "nvp", "application/xml; charset=utf-8", None),
    ],
)
def test_an_error_answers_in_the_format_the_request_would_get(
    client: FlaskClient, action: str, responsetype: str, content_type: str, body: bytes | None
) -> None:
    inject(client, action="*", error="Client ID Not Found")
    reply = client.post("/includes/api.php", data=f"action={action}&responsetype={responsetype}")
    assert (reply.status_code, reply.content_type) == (200, content_type)
    if body is not None:
        assert reply.data == body


def test_faults_come_before_access_control(client: FlaskClient) -> None:
    page = "<h1>Service Unavailable</h1>"
    inject(client, action="AddOrder", status=503, body=page, content_type="text/html")
    reply = client.post("/includes/api.php", data="action=AddOrder&identifier=nobody&secret=wrong")
    assert (reply.status_code, reply.content_type, reply.text) == (503, "text/html", page)


@pytest.mark.parametrize("kind", ["reset", "empty", "hang"])
def test_socket_faults_raise_connection_fault_where_no_socket_can_be_broken(
    client: FlaskClient, kind: str
) -> None:
    inject(client, action="GetProducts", connection=kind)
    with pytest.raises(ConnectionFault) as raised:
        client.post("/includes/api.php", data=f"action=GetProducts&{AUTH}")
    assert raised.value.kind == kind
    assert client.get("/_mock/requests").get_json()["requests"][0]["status"] is None
