"""Services and their provisioning modules: the module commands, UpdateClientProduct, GetClientsAddons,
UpdateClientAddon and OrderFraudCheck (tests/scenarios/modules.yaml)."""

from __future__ import annotations

import base64
import copy
import textwrap
from decimal import Decimal
from typing import Any

import phpserialize
import pytest

from mockwhmcs.actions.registry import Call, find_action, run
from mockwhmcs.errors import ApiError
from mockwhmcs.store.scenario import parse_scenario
from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction, store_for
from tests.actions.helpers import api_error, seed_order
from tests.support import TEST_SCENARIOS

FLAKY_ERROR = "Connection to provisioning server timed out"
# Service ids in modules.yaml: cpanel, flaky (Pending), no module, broken module, configurable VPS.
CPANEL, FLAKY, NO_MODULE, BROKEN, VPS = 10, 11, 12, 13, 14


@pytest.fixture
def store() -> Store:
    return store_for(str(TEST_SCENARIOS / "modules.yaml"))


def service(store: Store, serviceid: int) -> Any:
    found = store.services.get(serviceid)
    assert found is not None
    return found


def records(store: Store) -> dict[str, list[str]]:
    """Every record, to show that a refused call changed nothing."""
    return {name: [repr(row) for row in table] for name, table in store.tables().items()}


def serialized(value: dict[Any, Any]) -> str:
    return base64.b64encode(phpserialize.dumps(value)).decode()


def logged(store: Store) -> list[tuple[str, str, int, str]]:
    return [(log.module, log.action, log.serviceid, log.response) for log in store.module_log]


# --- module commands -----------------------------------------------------------------------------

MODULE_COMMANDS = [
    ("ModuleCreate", "create"),
    ("ModuleSuspend", "suspend"),
    ("ModuleUnsuspend", "unsuspend"),
    ("ModuleTerminate", "terminate"),
    ("ModuleChangePw", "changepassword"),
    ("ModuleChangePackage", "changepackage"),
]
BROKEN_ERRORS = {
    "create": "Account already exists",
    "suspend": "Server refused the suspension",
    "unsuspend": "Server refused the unsuspension",
    "terminate": "Account not found on server",
    "changepassword": "Password too weak",
    "changepackage": "Package not found on server",
}


def test_module_create_activates_a_pending_service_and_logs_the_command(
    call: CallAction, store: Store
) -> None:
    seeded = seed_order(store, pids=(1,))
    serviceid = seeded.services[0].id
    assert call("ModuleCreate", serviceid=str(serviceid)) == {"result": "success"}
    assert service(store, serviceid).status == "Active"
    assert logged(store) == [("cpanel", "create", serviceid, "success")]


def test_module_suspend_keeps_the_reason_cleaned_as_whmcs_stores_it(call: CallAction, store: Store) -> None:
    assert call("ModuleSuspend", serviceid="10", suspendreason="Abuse <spam> & more") == {"result": "success"}
    suspended = service(store, CPANEL)
    assert (suspended.status, suspended.suspendreason) == ("Suspended", "Abuse &lt;spam&gt; &amp; more")
    assert logged(store) == [("cpanel", "suspend", CPANEL, "success")]


def test_module_suspend_without_a_reason_stores_none(call: CallAction, store: Store) -> None:
    call("ModuleSuspend", serviceid="10")
    assert (service(store, CPANEL).status, service(store, CPANEL).suspendreason) == ("Suspended", "")


def test_module_unsuspend_activates_the_service_and_clears_the_reason(call: CallAction, store: Store) -> None:
    call("ModuleSuspend", serviceid="10", suspendreason="Overdue on Payment")
    assert call("ModuleUnsuspend", serviceid="10") == {"result": "success"}
    assert (service(store, CPANEL).status, service(store, CPANEL).suspendreason) == ("Active", "")
    assert [entry[1] for entry in logged(store)] == ["suspend", "unsuspend"]


def test_module_terminate_terminates_the_service_today(call: CallAction, store: Store) -> None:
    assert call("ModuleTerminate", serviceid="10") == {"result": "success"}
    terminated = service(store, CPANEL)
    assert (terminated.status, terminated.termination_date) == ("Terminated", "2026-01-15")


def test_module_change_pw_stores_the_new_password_exactly_as_sent(call: CallAction, store: Store) -> None:
    assert call("ModuleChangePw", serviceid="10", servicepassword="n3w&<pass>") == {"result": "success"}
    assert service(store, CPANEL).password == "n3w&<pass>"
    assert logged(store) == [("cpanel", "changepassword", CPANEL, "success")]


def test_module_change_pw_without_a_password_keeps_the_one_held(call: CallAction, store: Store) -> None:
    service(store, CPANEL).password = "kept"
    call("ModuleChangePw", serviceid="10")
    assert service(store, CPANEL).password == "kept"


def test_module_change_package_runs_the_module_and_changes_no_status(call: CallAction, store: Store) -> None:
    assert call("ModuleChangePackage", serviceid="10") == {"result": "success"}
    assert service(store, CPANEL).status == "Active"
    assert logged(store) == [("cpanel", "changepackage", CPANEL, "success")]


@pytest.mark.parametrize(("action", "command"), MODULE_COMMANDS)
def test_a_failing_module_answers_its_message_and_leaves_the_service_as_it_was(
    call: CallAction, store: Store, action: str, command: str
) -> None:
    before = copy.copy(service(store, BROKEN))
    error = api_error(call, action, serviceid="13", suspendreason="Abuse", servicepassword="new-secret")
    assert error.message == BROKEN_ERRORS[command]
    assert service(store, BROKEN) == before
    # WHMCS's module log keeps the failed attempt.
    assert logged(store) == [("broken", command, BROKEN, BROKEN_ERRORS[command])]


def test_module_create_failure_leaves_a_pending_service_pending(call: CallAction, store: Store) -> None:
    assert api_error(call, "ModuleCreate", serviceid="11").message == FLAKY_ERROR
    assert service(store, FLAKY).status == "Pending"


@pytest.mark.parametrize(("action", "_"), MODULE_COMMANDS)
@pytest.mark.parametrize(("params", "message"), [
    ({}, "Service ID is required"),
    ({"serviceid": ""}, "Service ID is required"),
    ({"serviceid": "abc"}, "Service ID is required"),
    ({"serviceid": "99"}, "Service ID not found"),
    ({"serviceid": "12"}, "Service not assigned to a module"),
])
def test_module_commands_refuse_before_running_anything(
    call: CallAction, store: Store, action: str, _: str, params: dict[str, str], message: str
) -> None:
    before = records(store)
    assert api_error(call, action, **params).message == message
    assert records(store) == before


def test_module_commands_accept_the_pre_7_7_accountid(call: CallAction, store: Store) -> None:
    assert call("ModuleSuspend", accountid="10") == {"result": "success"}
    assert service(store, CPANEL).status == "Suspended"


def test_module_commands_run_whatever_the_services_status(call: CallAction, store: Store) -> None:
    # The pages list no status error: a module decides for itself (service 15 is Suspended).
    assert call("ModuleSuspend", serviceid="15") == {"result": "success"}
    assert call("ModuleTerminate", serviceid="15") == {"result": "success"}
    assert call("ModuleTerminate", serviceid="15") == {"result": "success"}
    assert call("ModuleCreate", serviceid="15") == {"result": "success"}
    assert service(store, 15).status == "Active"


def test_a_module_the_scenario_does_not_list_succeeds(call: CallAction, store: Store) -> None:
    # solusvm lists create only in the default scenario; its other commands default to success.
    assert call("ModuleTerminate", serviceid="14") == {"result": "success"}
    assert service(store, VPS).status == "Terminated"


# --- UpdateClientProduct -------------------------------------------------------------------------


def test_update_client_product_answers_the_service_id(call: CallAction) -> None:
    assert call("UpdateClientProduct", serviceid="10") == {"result": "success", "serviceid": 10}


@pytest.mark.parametrize("serviceid", [None, "", "99", "x"])
def test_update_client_product_unknown_service(call: CallAction, store: Store, serviceid: str | None) -> None:
    params = {} if serviceid is None else {"serviceid": serviceid}
    before = records(store)
    assert api_error(call, "UpdateClientProduct", status="Active", **params).message == "Service ID Not Found"
    assert records(store) == before


EVERY_FIELD = {
    "pid": "3", "serverid": "2", "regdate": "2025-12-01", "nextduedate": "2026-03-01",
    "terminationdate": "2026-04-01", "domain": "changed.example.com", "firstpaymentamount": "12.5",
    "recurringamount": "11.25", "paymentmethod": "paypal", "billingcycle": "Quarterly",
    "subscriptionid": "SUB-1", "status": "suspended", "notes": "Moved <to> VPS & up",
    "serviceusername": "vpsuser", "servicepassword": "p&ss<word>", "overideautosuspend": "on",
    "overidesuspenduntil": "2026-02-28", "ns1": "ns1.vps.example.com", "ns2": "ns2.vps.example.com",
    "dedicatedip": "192.0.2.10", "assignedips": "192.0.2.11\n192.0.2.12", "diskusage": "512",
    "disklimit": "10240", "bwusage": "2048", "bwlimit": "102400", "suspendreason": "Late & unpaid",
    "promoid": "1",
}


def test_update_client_product_sets_every_documented_field(call: CallAction, store: Store) -> None:
    call("UpdateClientProduct", serviceid="10", **EVERY_FIELD)
    updated = service(store, CPANEL)
    assert (updated.packageid, updated.server, updated.regdate, updated.nextduedate, updated.nextinvoicedate,
            updated.termination_date) == (3, 2, "2025-12-01", "2026-03-01", "2026-03-01", "2026-04-01")
    assert (updated.domain, updated.firstpaymentamount, updated.amount, updated.paymentmethod,
            updated.billingcycle, updated.subscriptionid, updated.status) == (
        "changed.example.com", Decimal("12.50"), Decimal("11.25"), "paypal", "Quarterly", "SUB-1",
        "Suspended")
    assert (updated.notes, updated.username, updated.password, updated.suspendreason) == (
        "Moved &lt;to&gt; VPS &amp; up", "vpsuser", "p&ss<word>", "Late &amp; unpaid")
    assert (updated.overideautosuspend, updated.overidesuspenduntil, updated.ns1, updated.ns2) == (
        True, "2026-02-28", "ns1.vps.example.com", "ns2.vps.example.com")
    assert (updated.dedicatedip, updated.assignedips, updated.promoid) == (
        "192.0.2.10", "192.0.2.11\n192.0.2.12", 1)
    usage = (updated.diskusage, updated.disklimit, updated.bwusage, updated.bwlimit)
    assert usage == (512, 10240, 2048, 102400)


def test_update_client_product_reads_back_through_get_clients_products(call: CallAction) -> None:
    call("UpdateClientProduct", serviceid="10", **EVERY_FIELD)
    product = call("GetClientsProducts", serviceid="10")["products"]["product"][0]
    assert {key: product[key] for key in (
        "pid", "name", "serverid", "servername", "regdate", "domain", "dedicatedip", "suspensionreason",
        "firstpaymentamount", "recurringamount", "paymentmethod", "paymentmethodname", "billingcycle",
        "nextduedate", "status", "username", "password", "subscriptionid", "promoid", "overideautosuspend",
        "overidesuspenduntil", "ns1", "ns2", "assignedips", "notes", "diskusage", "disklimit", "bwusage",
        "bwlimit")} == {
        "pid": 3, "name": "VPS Small", "serverid": 2, "servername": "vps1", "regdate": "2025-12-01",
        "domain": "changed.example.com", "dedicatedip": "192.0.2.10", "suspensionreason": "Late &amp; unpaid",
        "firstpaymentamount": "12.50", "recurringamount": "11.25", "paymentmethod": "paypal",
        "paymentmethodname": "PayPal", "billingcycle": "Quarterly", "nextduedate": "2026-03-01",
        "status": "Suspended", "username": "vpsuser", "password": "p&ss<word>", "subscriptionid": "SUB-1",
        "promoid": 1, "overideautosuspend": 1, "overidesuspenduntil": "2026-02-28",
        "ns1": "ns1.vps.example.com", "ns2": "ns2.vps.example.com", "assignedips": "192.0.2.11\n192.0.2.12",
        "notes": "Moved &lt;to&gt; VPS &amp; up", "diskusage": 512, "disklimit": 10240, "bwusage": 2048,
        "bwlimit": 102400,
    }


def test_update_client_product_skips_parameters_sent_empty(call: CallAction, store: Store) -> None:
    before = records(store)
    call("UpdateClientProduct", serviceid="10", **dict.fromkeys(EVERY_FIELD, ""))
    assert records(store) == before


@pytest.mark.parametrize("sent", [["domain", "notes"], {"0": "domain", "1": "notes"}])
def test_update_client_product_unset_clears_the_named_fields(
    call: CallAction, store: Store, sent: Any
) -> None:
    call("UpdateClientProduct", serviceid="10", **{name: EVERY_FIELD[name] for name in (
        "serviceusername", "servicepassword", "subscriptionid", "ns1", "ns2", "dedicatedip", "assignedips",
        "notes", "suspendreason")})
    call("UpdateClientProduct", serviceid="10", unset=sent)
    cleared = service(store, CPANEL)
    assert (cleared.domain, cleared.notes, cleared.username) == ("", "", "vpsuser")


def test_update_client_product_unset_takes_every_documented_name(call: CallAction, store: Store) -> None:
    call("UpdateClientProduct", serviceid="10", **EVERY_FIELD)
    names = ["domain", "serviceusername", "servicepassword", "subscriptionid", "ns1", "ns2", "dedicatedip",
             "assignedips", "notes", "suspendreason", "paymentmethod", "status"]
    call("UpdateClientProduct", serviceid="10", unset=names)
    cleared = service(store, CPANEL)
    assert [cleared.domain, cleared.username, cleared.password, cleared.subscriptionid, cleared.ns1,
            cleared.ns2, cleared.dedicatedip, cleared.assignedips, cleared.notes,
            cleared.suspendreason] == [""] * 10
    # Only the documented names can be unset.
    assert (cleared.paymentmethod, cleared.status) == ("paypal", "Suspended")


@pytest.mark.parametrize(("sent", "stored"), [
    ("monthly", "Monthly"), ("semiannually", "Semi-Annually"), ("Semi-Annually", "Semi-Annually"),
    ("One-Time", "One Time"), ("free account", "Free Account"), ("Fortnightly", "Monthly"),
])
def test_update_client_product_billing_cycle_in_whmcs_form(
    call: CallAction, store: Store, sent: str, stored: str
) -> None:
    call("UpdateClientProduct", serviceid="10", billingcycle=sent)
    assert service(store, CPANEL).billingcycle == stored


@pytest.mark.parametrize(("sent", "stored"), [
    ("Terminated", "Terminated"), ("fraud", "Fraud"), ("COMPLETED", "Completed"), ("Deleted", "Active"),
])
def test_update_client_product_status_is_one_of_the_service_statuses(
    call: CallAction, store: Store, sent: str, stored: str
) -> None:
    call("UpdateClientProduct", serviceid="10", status=sent)
    assert service(store, CPANEL).status == stored
    # A status change is recorded only: no module command runs.
    assert logged(store) == []


def test_update_client_product_keeps_an_unknown_product_and_zeroes_an_invalid_date(
    call: CallAction, store: Store
) -> None:
    call("UpdateClientProduct", serviceid="10", pid="99", regdate="15/01/2026", nextduedate="2026-02-30")
    updated = service(store, CPANEL)
    assert (updated.packageid, updated.regdate, updated.nextduedate) == (1, "0000-00-00", "0000-00-00")


@pytest.mark.parametrize(("sent", "stored"), [("on", True), ("1", True), ("off", False), ("0", False),
                                              ("false", True)])
def test_update_client_product_override_auto_suspend(
    call: CallAction, store: Store, sent: str, stored: bool
) -> None:
    call("UpdateClientProduct", serviceid="10", overideautosuspend="on")
    call("UpdateClientProduct", serviceid="10", overideautosuspend=sent)
    assert service(store, CPANEL).overideautosuspend is stored


def test_update_client_product_amounts_are_read_like_php_floats(call: CallAction, store: Store) -> None:
    call("UpdateClientProduct", serviceid="10", firstpaymentamount="7.5abc", recurringamount="abc")
    updated = service(store, CPANEL)
    assert (updated.firstpaymentamount, updated.amount) == (Decimal("7.50"), Decimal("0.00"))


def test_update_client_product_custom_fields_of_the_product_only(call: CallAction, store: Store) -> None:
    call("UpdateClientProduct", serviceid="14", customfields=serialized({2: "vps1.example.com", 9: "x"}))
    call("UpdateClientProduct", serviceid="14", customfields=serialized({"3": True}))
    assert service(store, VPS).customfields == {2: "vps1.example.com", 3: "1"}
    fields = call("GetClientsProducts", serviceid="14")["products"]["product"][0]["customfields"]
    assert [(f["id"], f["value"]) for f in fields["customfield"]] == [(2, "vps1.example.com"), (3, "1")]


def test_update_client_product_config_options_in_both_documented_forms(
    call: CallAction, store: Store
) -> None:
    call("UpdateClientProduct", serviceid="14", configoptions=serialized({1: 2}))
    assert service(store, VPS).configoptions == {1: "2", 2: "0"}
    call("UpdateClientProduct", serviceid="14",
         configoptions=serialized({1: {"optionid": 1, "qty": 0}, 2: {"optionid": 3, "qty": 4}}))
    assert service(store, VPS).configoptions == {1: "1", 2: "4"}
    options = call("GetClientsProducts", serviceid="14")["products"]["product"][0]["configoptions"]
    shown = [(o["option"], o["value"]) for o in options["configoption"]]
    assert shown == [("Disk", "10 GB"), ("Extra IPs", 4)]


def test_update_client_product_autorecalc_prices_the_service_and_ignores_recurringamount(
    call: CallAction, store: Store
) -> None:
    call("UpdateClientProduct", serviceid="14", configoptions=serialized({1: 2, 2: 3}),
         billingcycle="monthly", recurringamount="1.00", autorecalc="1")
    # VPS Custom monthly 10.00 + 20 GB 5.00 + 3 IPs at 1.50.
    assert service(store, VPS).amount == Decimal("19.50")
    call("UpdateClientProduct", serviceid="14", billingcycle="annually", autorecalc="true")
    assert service(store, VPS).amount == Decimal("150.00")


@pytest.mark.parametrize("value", ["False", "false", "no"])
def test_update_client_product_false_strings_are_true_to_php(
    call: CallAction, store: Store, value: str
) -> None:
    call("UpdateClientProduct", serviceid="10", recurringamount="1.00", autorecalc=value)
    assert service(store, CPANEL).amount == Decimal("5.00")


def test_update_client_product_without_autorecalc_keeps_the_amount_sent(
    call: CallAction, store: Store
) -> None:
    call("UpdateClientProduct", serviceid="10", recurringamount="1.00", autorecalc="0")
    assert service(store, CPANEL).amount == Decimal("1.00")


@pytest.mark.parametrize("field", ["customfields", "configoptions"])
def test_update_client_product_refuses_an_undecodable_array_and_changes_nothing(
    call: CallAction, store: Store, field: str
) -> None:
    before = records(store)
    error = api_error(call, "UpdateClientProduct", serviceid="14", status="Cancelled", domain="x.example.com",
                      **{field: "bm90IHNlcmlhbGl6ZWQ="})
    assert error.message == f"{field} is not a base64-encoded PHP serialized array"
    assert records(store) == before


# --- GetClientsAddons ----------------------------------------------------------------------------


def test_get_clients_addons_lists_every_addon_in_the_pages_shape(call: CallAction) -> None:
    response = call("GetClientsAddons", clientid="1")
    assert list(response) == ["result", "serviceid", "clientid", "totalresults", "addons"]
    assert (response["serviceid"], response["clientid"], response["totalresults"]) == ("", "1", 2)
    first = response["addons"]["addon"][0]
    assert first == {
        "id": 1, "qty": 1, "userid": 1, "orderid": 0, "serviceid": 10, "addonid": 1,
        "name": "SSL Certificate",
        "setupfee": "0.00", "recurring": "2.00", "billingcycle": "Monthly", "tax": "", "status": "Active",
        "regdate": "2026-01-01", "nextduedate": "2026-02-01", "nextinvoicedate": "0000-00-00",
        "paymentmethod": "", "paymentmethodname": "", "notes": "",
    }


@pytest.mark.parametrize(("params", "ids"), [
    ({}, [1, 2]),
    ({"serviceid": "14"}, [2]),
    ({"serviceid": "10,14"}, [1, 2]),
    ({"serviceid": "10, 99"}, [1]),
    ({"addonid": "2"}, [2]),
    ({"clientid": "1", "addonid": "1"}, [1]),
    ({"clientid": "2"}, []),
    ({"serviceid": "abc"}, []),
    ({"serviceid": "14abc"}, [2]),
    ({"clientid": "abc"}, [1, 2]),
])
def test_get_clients_addons_filters(call: CallAction, params: dict[str, str], ids: list[int]) -> None:
    response = call("GetClientsAddons", **params)
    assert response["totalresults"] == len(ids)
    listed = [addon["id"] for addon in response["addons"]["addon"]] if response["addons"] else []
    assert listed == ids
    # WHMCS's client holdings lists send an empty string, not an empty list, when nothing matches.
    assert response["addons"] != "" or not ids


def test_get_clients_addons_shows_an_ordered_addon(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(1,), addons=(1,), status="Active")
    addon = call("GetClientsAddons", serviceid=str(seeded.services[0].id))["addons"]["addon"][0]
    assert (addon["orderid"], addon["name"], addon["paymentmethodname"]) == (
        seeded.order.id, "SSL Certificate", "Mail In Payment")


# --- UpdateClientAddon ---------------------------------------------------------------------------


def test_update_client_addon_sets_every_documented_field(call: CallAction, store: Store) -> None:
    assert call("UpdateClientAddon", id="1", status="terminated", addonid="2", name="Backups & <more>",
                setupfee="1.5", recurring="3.25", billingcycle="Annually", nextduedate="2026-06-01",
                terminationdate="2026-01-20", notes="Moved <here>") == {"result": "success", "id": 1}
    addon = call("GetClientsAddons", serviceid="10")["addons"]["addon"][0]
    assert {key: addon[key] for key in ("addonid", "name", "setupfee", "recurring", "billingcycle", "status",
                                        "nextduedate", "nextinvoicedate", "notes")} == {
        "addonid": 2, "name": "Backups &amp; &lt;more&gt;", "setupfee": "1.50", "recurring": "3.25",
        "billingcycle": "Annually", "status": "Terminated", "nextduedate": "2026-06-01",
        "nextinvoicedate": "2026-06-01", "notes": "Moved &lt;here&gt;",
    }
    assert store.service_addons.rows[1].termination_date == "2026-01-20"


def test_update_client_addon_status_change_runs_no_module(call: CallAction, store: Store) -> None:
    call("UpdateClientAddon", id="2", status="Active")
    assert store.service_addons.rows[2].status == "Active"
    assert logged(store) == []


def test_update_client_addon_autorecalc(call: CallAction, store: Store) -> None:
    call("UpdateClientAddon", id="2", recurring="1.00", autorecalc="1")
    # Daily Backups, annually.
    assert store.service_addons.rows[2].recurring == Decimal("30.00")


@pytest.mark.parametrize(("params", "message"), [
    ({}, "Addon ID Not Found"),
    ({"id": "99", "status": "Active"}, "Addon ID Not Found"),
    ({"id": "1"}, "Nothing to Update"),
    ({"id": "1", "status": "", "notes": "", "autorecalc": "0"}, "Nothing to Update"),
])
def test_update_client_addon_errors(
    call: CallAction, store: Store, params: dict[str, str], message: str
) -> None:
    before = records(store)
    assert api_error(call, "UpdateClientAddon", **params).message == message
    assert records(store) == before


# --- OrderFraudCheck -----------------------------------------------------------------------------


def fraud_store(fraud_modules: str) -> Store:
    text = f"extends: default\nfraud_modules:\n{textwrap.indent(textwrap.dedent(fraud_modules), '  ')}"
    return Store(parse_scenario(text, "fraud.yaml", TEST_SCENARIOS))


def invoke(store: Store, action: str, **params: str) -> dict[str, Any]:
    entry = find_action(action)
    assert entry is not None
    return run(entry, Call(params, store))


def test_order_fraud_check_runs_the_active_module_and_records_it_on_the_order(
    call: CallAction, store: Store
) -> None:
    order = seed_order(store).order
    response = call("OrderFraudCheck", orderid=str(order.id))
    results = 'a:2:{s:9:"ipaddress";s:9:"127.0.0.1";s:6:"status";s:4:"Pass";}'
    assert response == {"result": "success", "module": "maxmind", "status": "Pass", "results": results}
    assert (order.fraudmodule, order.fraudoutput, order.status) == ("maxmind", results, "Pending")
    read_back = call("GetOrders", id=str(order.id))["orders"]["order"][0]
    assert (read_back["fraudmodule"], read_back["fraudoutput"]) == ("maxmind", results)


def test_order_fraud_check_ipaddress_overrides_the_orders(call: CallAction, store: Store) -> None:
    order = seed_order(store).order
    response = call("OrderFraudCheck", orderid=str(order.id), ipaddress="203.0.113.9")
    assert '"203.0.113.9"' in response["results"]
    assert order.ipaddress == "127.0.0.1"


def test_a_failed_fraud_check_records_the_result_and_leaves_the_order_to_the_caller() -> None:
    store = fraud_store("maxmind: {check: Fail}\n")
    order = seed_order(store).order
    response = invoke(store, "OrderFraudCheck", orderid=str(order.id))
    assert (response["module"], response["status"]) == ("maxmind", "Fail")
    assert (order.fraudmodule, order.status) == ("maxmind", "Pending")
    assert '"Fail"' in order.fraudoutput


def test_a_fraud_module_error_is_answered_and_nothing_recorded() -> None:
    store = fraud_store("maxmind: {check: 'Invalid MaxMind license key'}\n")
    order = seed_order(store).order
    with pytest.raises(ApiError, match="Invalid MaxMind license key"):
        invoke(store, "OrderFraudCheck", orderid=str(order.id))
    assert (order.fraudmodule, order.fraudoutput) == ("", "")


@pytest.mark.parametrize("modules", ["{}\n", "maxmind: {active: false}\n"])
def test_no_active_fraud_module(modules: str) -> None:
    store = fraud_store(modules)
    order = seed_order(store).order
    with pytest.raises(ApiError, match=r"^No Active Fraud Module$"):
        invoke(store, "OrderFraudCheck", orderid=str(order.id))


@pytest.mark.parametrize("orderid", [None, "99"])
def test_order_fraud_check_unknown_order(call: CallAction, store: Store, orderid: str | None) -> None:
    before = records(store)
    params = {} if orderid is None else {"orderid": orderid}
    assert api_error(call, "OrderFraudCheck", **params).message == "Order ID Not Found"
    assert records(store) == before
