"""Services and their modules over a real socket, with PHP-encoded bodies: module commands moving a
service through its life, a scenario's failing module, the update actions read back, and the golden
files of every success shape (tests/scenarios/modules.yaml, frozen clock)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import phpserialize
import pytest

from mockwhmcs.client import http_build_query
from tests.support import FIXTURES, IDENTIFIER, SECRET, TEST_SCENARIOS, Http, fresh, serve

CREDENTIALS = {"identifier": IDENTIFIER, "secret": SECRET}
FLAKY_ERROR = "Connection to provisioning server timed out"


@pytest.fixture(scope="module")
def modules_server() -> Iterator[Http]:
    yield from serve(TEST_SCENARIOS / "modules.yaml")


@pytest.fixture
def api(modules_server: Http) -> Http:
    return fresh(modules_server)


def post(api: Http, action: str, fmt: str = "json", **params: Any) -> bytes:
    reply = api.post(http_build_query({"action": action, **CREDENTIALS, "responsetype": fmt, **params}))
    assert reply.status == 200
    return reply.body


def call(api: Http, action: str, **params: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(post(api, action, **params))
    return answer


def status_of(api: Http, serviceid: int) -> str:
    status: str = call(api, "GetClientsProducts", serviceid=serviceid)["products"]["product"][0]["status"]
    return status


def test_module_commands_move_a_service_through_its_life(api: Http) -> None:
    placed = call(api, "AddOrder", clientid=1, paymentmethod="mailin", pid=[1], billingcycle=["monthly"])
    serviceid = int(placed["serviceids"])
    assert status_of(api, serviceid) == "Pending"
    steps = [("ModuleCreate", "Active"), ("ModuleSuspend", "Suspended"), ("ModuleUnsuspend", "Active"),
             ("ModuleTerminate", "Terminated")]
    for action, status in steps:
        assert call(api, action, serviceid=serviceid, suspendreason="Abuse") == {"result": "success"}
        assert status_of(api, serviceid) == status


def test_a_suspension_reason_reads_back_until_the_service_is_unsuspended(api: Http) -> None:
    call(api, "ModuleSuspend", serviceid=10, suspendreason="Overdue on Payment")
    product = call(api, "GetClientsProducts", serviceid=10)["products"]["product"][0]
    assert (product["status"], product["suspensionreason"]) == ("Suspended", "Overdue on Payment")
    call(api, "ModuleUnsuspend", serviceid=10)
    product = call(api, "GetClientsProducts", serviceid=10)["products"]["product"][0]
    assert (product["status"], product["suspensionreason"]) == ("Active", "")


def test_a_scenarios_failing_module_answers_its_message_and_the_service_stays_pending(api: Http) -> None:
    # Service 11 is a Flaky Hosting service: the default scenario's `flaky` module fails its create.
    reply = api.post(http_build_query({"action": "ModuleCreate", **CREDENTIALS, "serviceid": 11}))
    assert (reply.status, reply.content_type) == (200, "text/plain; charset=utf-8")
    assert reply.text == f"result=error;message={FLAKY_ERROR}"
    assert call(api, "ModuleCreate", serviceid=11) == {"result": "error", "message": FLAKY_ERROR}
    assert status_of(api, 11) == "Pending"


def test_the_module_log_shows_every_command_in_the_state(api: Http) -> None:
    call(api, "ModuleSuspend", serviceid=10)
    call(api, "ModuleCreate", serviceid=11)
    state = json.loads(api.get("/_mock/state").body)
    rows = [(row["module"], row["action"], row["serviceid"], row["response"]) for row in state["module_log"]]
    assert rows == [("cpanel", "suspend", 10, "success"), ("flaky", "create", 11, FLAKY_ERROR)]


@pytest.mark.parametrize(("action", "params", "message"), [
    ("ModuleTerminate", {}, "Service ID is required"),
    ("ModuleTerminate", {"serviceid": 99}, "Service ID not found"),
    ("ModuleTerminate", {"serviceid": 12}, "Service not assigned to a module"),
    ("UpdateClientProduct", {"serviceid": 99}, "Service ID Not Found"),
    ("UpdateClientAddon", {"id": 1}, "Nothing to Update"),
    ("OrderFraudCheck", {"orderid": 99}, "Order ID Not Found"),
])
def test_documented_errors_over_the_wire(
    api: Http, action: str, params: dict[str, int], message: str
) -> None:
    assert call(api, action, **params) == {"result": "error", "message": message}


def test_update_client_product_takes_php_encoded_arrays_and_false_booleans(api: Http) -> None:
    customfields = base64.b64encode(phpserialize.dumps({2: "vps1.example.com"})).decode()
    assert call(api, "UpdateClientProduct", serviceid=14, customfields=customfields, unset=["domain"],
                recurringamount="1.00", autorecalc=False) == {"result": "success", "serviceid": 14}
    product = call(api, "GetClientsProducts", serviceid=14)["products"]["product"][0]
    assert (product["domain"], product["recurringamount"]) == ("", "1.00")
    assert product["customfields"]["customfield"][0]["value"] == "vps1.example.com"
    # Python's requests sends False as "False", which PHP reads as true.
    api.post(f"action=UpdateClientProduct&identifier={IDENTIFIER}&secret={SECRET}&serviceid=14"
             "&recurringamount=1.00&autorecalc=False")
    product = call(api, "GetClientsProducts", serviceid=14)["products"]["product"][0]
    assert product["recurringamount"] == "10.00"


def test_list_style_actions_refuse_nvp(api: Http) -> None:
    for action in ("GetClientsAddons", "OrderFraudCheck"):
        assert post(api, action, "nvp") == (
            b"result=error;message=This API action only supports the XML or JSON response type formats")


# --- golden files ---------------------------------------------------------------------------------

UPDATE = {
    "serviceid": 14, "status": "Suspended", "suspendreason": "Abuse & spam", "notes": "Moved <here>",
    "dedicatedip": "192.0.2.10", "diskusage": 512, "disklimit": 10240, "bwusage": 2048, "bwlimit": 102400,
    "overideautosuspend": "on", "overidesuspenduntil": "2026-02-28", "serviceusername": "vpsuser",
    "configoptions": base64.b64encode(phpserialize.dumps({1: 2, 2: {"optionid": 3, "qty": 2}})).decode(),
    "billingcycle": "monthly", "autorecalc": True,
}


def _fraud_check(api: Http, fmt: str) -> bytes:
    placed = call(api, "AddOrder", clientid=1, paymentmethod="mailin", pid=[1], clientip="203.0.113.7")
    return post(api, "OrderFraudCheck", fmt, orderid=placed["orderid"])


def _read_back_update(api: Http, fmt: str) -> bytes:
    call(api, "UpdateClientProduct", **UPDATE)
    return post(api, "GetClientsProducts", fmt, serviceid=14)


GOLDEN = {
    "modulecreate": lambda api, fmt: post(api, "ModuleCreate", fmt, serviceid=10),
    "modulesuspend": lambda api, fmt: post(api, "ModuleSuspend", fmt, serviceid=10, suspendreason="Abuse"),
    "moduleunsuspend": lambda api, fmt: post(api, "ModuleUnsuspend", fmt, serviceid=15),
    "moduleterminate": lambda api, fmt: post(api, "ModuleTerminate", fmt, serviceid=10),
    "modulechangepw": lambda api, fmt: post(api, "ModuleChangePw", fmt, serviceid=10, servicepassword="x"),
    "modulechangepackage": lambda api, fmt: post(api, "ModuleChangePackage", fmt, serviceid=10),
    "updateclientproduct": lambda api, fmt: post(api, "UpdateClientProduct", fmt, **UPDATE),
    "getclientsproducts_updated": _read_back_update,
    "getclientsaddons": lambda api, fmt: post(api, "GetClientsAddons", fmt, clientid=1),
    "updateclientaddon": lambda api, fmt: post(api, "UpdateClientAddon", fmt, id=2, status="Active"),
    "orderfraudcheck": _fraud_check,
}


@pytest.mark.parametrize("fixture", sorted(GOLDEN))
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_success_answers_match_the_golden_files(api: Http, fixture: str, fmt: str) -> None:
    body = GOLDEN[fixture](api, fmt)
    assert body == (FIXTURES / "api" / f"{fixture}.{fmt}").read_bytes()
