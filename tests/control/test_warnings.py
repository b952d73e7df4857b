"""Integration warnings: WHMCS's answer unchanged, the mistake named in the journal and a header."""

from __future__ import annotations

import hashlib

import pytest

from mockwhmcs import MockWhmcs
from mockwhmcs.actions.registry import Action, find_action
from mockwhmcs.control.warnings import MAX_WARNINGS, as_header, integration_warnings
from mockwhmcs.store.scenario import load_scenario
from mockwhmcs.store.store import build_catalog
from mockwhmcs.wire.api import ApiRequest
from mockwhmcs.wire.phpform import decode_query
from tests.control.conftest import Control
from tests.support import AUTH

CATALOG = build_catalog(load_scenario("default").data)
# An action registered the way every action is: its parameters, flags and arrays.
ORDER = Action(
    "PlaceOrder", lambda call: {}, False,
    params=frozenset({"clientid", "pid", "billingcycle", "qty", "noemail", "dnsmanagement", "addonsqty"}),
    flags=frozenset({"noemail", "dnsmanagement"}),
    arrays=frozenset({"pid", "billingcycle", "qty", "dnsmanagement"}),
)
LISTING = Action("ListThings", lambda call: {}, True, frozenset({"limitnum"}), frozenset(), frozenset())


def warnings_for(query: str, action: Action | None = ORDER) -> list[str]:
    body = decode_query(f"{query}&{AUTH}".encode())
    request = ApiRequest("POST", "/includes/api.php", "127.0.0.1", {}, body)
    return integration_warnings(request, action, CATALOG)


def test_a_clean_request_has_no_warnings() -> None:
    assert warnings_for("clientid=1&pid[0]=1&billingcycle[0]=monthly&noemail=0&responsetype=json") == []


def test_an_unknown_parameter_gets_a_did_you_mean() -> None:
    assert warnings_for("clinetid=1&responsetype=json") == [
        'unknown parameter "clinetid" for PlaceOrder, which WHMCS ignores (did you mean "clientid"?)'
    ]
    assert warnings_for("colour=red&responsetype=json") == [
        'unknown parameter "colour" for PlaceOrder, which WHMCS ignores'
    ]


def test_the_documentations_addonsqty_typo_is_named() -> None:
    assert warnings_for("%24addonsqty[0]=2&responsetype=json") == [
        '"$addonsqty" is a typo in the WHMCS PlaceOrder documentation and WHMCS ignores it: send "addonsqty"'
    ]


@pytest.mark.parametrize("value", ["false", "False", "no", "None"])
def test_a_boolean_sent_as_false_is_true_in_php(value: str) -> None:
    assert warnings_for(f"noemail={value}&responsetype=json") == [
        f'noemail="{value}" is true to WHMCS (PHP reads every string but "" and "0" as true): '
        "send 0 or leave it out"
    ]


def test_boolean_arrays_are_checked_element_by_element() -> None:
    (warning,) = warnings_for("pid[0]=1&pid[1]=1&dnsmanagement[0]=1&dnsmanagement[1]=false&responsetype=json")
    assert warning.startswith('dnsmanagement[1]="false" is true to WHMCS')


def test_no_responsetype_on_an_nvp_action() -> None:
    assert warnings_for("clientid=1") == [
        'no responsetype: PlaceOrder answers in NVP ("result=success;...") by default, which JSON clients '
        "cannot parse: send responsetype=json"
    ]
    assert warnings_for("limitnum=5", LISTING) == []


def test_a_scalar_where_an_array_is_expected_and_the_reverse() -> None:
    assert warnings_for("pid=1&clientid[0]=1&responsetype=json") == [
        '"pid" was sent as a single value, but PlaceOrder expects an array: send pid[0]=...',
        '"clientid" was sent as an array (clientid[...]), but PlaceOrder expects a single value: '
        "WHMCS ignores the array",
    ]


def test_arrays_out_of_step_with_pid() -> None:
    assert warnings_for("pid[]=1&billingcycle[1]=monthly&qty[0]=1&responsetype=json") == [
        "billingcycle indices [1] do not line up with pid indices [0]: "
        "WHMCS pairs billingcycle[i] with pid[i]"
    ]
    # An array that only adds items of its own (a domain-only item, say) is not out of step.
    assert warnings_for("pid[0]=1&billingcycle[0]=monthly&billingcycle[1]=annually&responsetype=json") == []


def test_the_deprecated_md5_admin_login() -> None:
    request = ApiRequest("POST", "/", "127.0.0.1", {}, {"username": "admin", "password": "0" * 32,
                                                          "responsetype": "json"})
    assert integration_warnings(request, ORDER, CATALOG) == [
        "username + md5(password) is WHMCS's deprecated admin login: create API credentials and send "
        "identifier + secret"
    ]
    # API credentials sent in username + password are not the legacy login.
    request.body["username"] = "mockwhmcs-identifier"
    assert integration_warnings(request, ORDER, CATALOG) == []


def test_an_unknown_action_gets_no_parameter_warnings() -> None:
    assert warnings_for("anything=1", None) == []


def test_warnings_are_bounded() -> None:
    found = warnings_for("&".join(f"unknown{number}=1" for number in range(30)) + "&responsetype=json")
    assert len(found) == MAX_WARNINGS
    assert found[-1] == "21 more warnings not shown"


def test_header_values_are_printable_ascii_and_bounded() -> None:
    assert as_header('unknown parameter "d\u00f3m\n"') == 'unknown parameter "d\\xf3m\\n"'
    assert len(as_header("x" * 1000)) == 300


def test_warnings_reach_the_header_and_the_journal_but_never_the_body(
    whmcs: MockWhmcs, control: Control
) -> None:
    clean = control.api("action=GetProducts&responsetype=json&pid=1")
    reply = control.api("action=GetProducts&responsetype=json&pid=1&gdi=1&module[]=cpanel")
    assert reply.body == clean.body
    assert reply.headers.get_all("X-Mockwhmcs-Warning") == [
        'unknown parameter "gdi" for GetProducts, which WHMCS ignores (did you mean "gid"?)',
        '"module" was sent as an array (module[...]), but GetProducts expects a single value: '
        "WHMCS ignores the array",
    ]
    assert clean.headers.get_all("X-Mockwhmcs-Warning") is None
    assert whmcs.requests()[-1]["warnings"] == reply.headers.get_all("X-Mockwhmcs-Warning")


def test_warnings_are_given_even_when_authentication_fails(control: Control) -> None:
    reply = control.post(f"action=GetProducts&username=admin&password={hashlib.md5(b'wrong').hexdigest()}")
    assert reply.status == 403
    assert reply.headers.get_all("X-Mockwhmcs-Warning")[0].startswith("username + md5(password)")


def test_numbered_parameters_are_known_and_a_bare_stem_is_not_taken_for_one() -> None:
    create = find_action("CreateInvoice")
    assert create is not None
    numbered = "userid=1&itemdescription1=a&itemamount12=1&itemtaxed1=0&responsetype=json"
    assert warnings_for(numbered, create) == []
    assert warnings_for("userid=1&itemamountx=1&responsetype=json", create) == [
        'unknown parameter "itemamountx" for CreateInvoice, which WHMCS ignores (did you mean "itemamount"?)'
    ]
