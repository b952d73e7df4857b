"""FIDELITY §1 and §3 over a real socket: transport, parameter precedence, formats."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest

from tests.support import AUTH, FIXTURES, Http, Reply

PRODUCTS = f"action=GetProducts&{AUTH}"


def test_post_and_get_both_answer(api: Http) -> None:
    assert json.loads(api.post(f"{PRODUCTS}&responsetype=json").body)["result"] == "success"
    assert json.loads(api.get(f"/includes/api.php?{PRODUCTS}&responsetype=json").body)["result"] == "success"


def test_doubled_leading_slash_is_tolerated(api: Http) -> None:
    reply = api.post(f"{PRODUCTS}&responsetype=json", path="//includes/api.php")
    assert reply.status == 200
    assert json.loads(reply.body)["result"] == "success"


def test_api_v1_route_takes_the_action_from_the_path(api: Http) -> None:
    reply = api.post(f"{AUTH}&responsetype=json", path="/api/v1/GetPaymentMethods")
    assert json.loads(reply.body)["totalresults"] == 3


def test_action_in_query_string_with_everything_else_in_the_body(api: Http) -> None:
    reply = api.post(f"{AUTH}&responsetype=json", path="/includes/api.php?action=GetProducts")
    assert json.loads(reply.body)["result"] == "success"


def test_action_names_are_case_insensitive_and_ignore_non_alphanumerics(api: Http) -> None:
    for name in ("GetProducts", "getproducts", "get_products", "GET-PRODUCTS"):
        reply = api.post(f"action={name}&{AUTH}&responsetype=json")
        assert json.loads(reply.body)["result"] == "success", name


def test_special_parameters_come_from_the_query_string_first(api: Http) -> None:
    reply = api.post(f"{PRODUCTS}&responsetype=xml", path="/includes/api.php?responsetype=json")
    assert reply.content_type == "application/json"


def test_body_wins_over_query_for_action_parameters(api: Http) -> None:
    reply = api.post(f"{PRODUCTS}&responsetype=json&pid=2", path="/includes/api.php?pid=1")
    assert [p["pid"] for p in json.loads(reply.body)["products"]["product"]] == [2]


def test_repeated_bare_key_keeps_the_last_value(api: Http) -> None:
    reply = api.post(f"{PRODUCTS}&responsetype=json&pid=1&pid=2")
    assert [p["pid"] for p in json.loads(reply.body)["products"]["product"]] == [2]


def test_multipart_form_bodies_are_read(api: Http) -> None:
    boundary = "mockwhmcsboundary"
    fields = {"action": "GetPaymentMethods", "identifier": "mockwhmcs-identifier",
              "secret": "mockwhmcs-secret", "responsetype": "json"}
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
             for k, v in fields.items()]
    body = "".join(parts) + f"--{boundary}--\r\n"
    reply = api.post(body, content_type=f"multipart/form-data; boundary={boundary}")
    assert json.loads(reply.body)["totalresults"] == 3


def test_get_products_filters_by_csv_pid_gid_and_module(api: Http) -> None:
    def pids(extra: str) -> list[int]:
        body = json.loads(api.post(f"{PRODUCTS}&responsetype=json&{extra}").body)
        return [p["pid"] for p in body.get("products", {}).get("product", [])]

    assert pids("pid=1,2") == [1, 2]
    assert pids("pid=1") == [1]
    assert all(pid for pid in pids("gid=1"))
    assert pids("module=cpanel")
    assert pids("module=nosuchmodule") == []


def test_get_products_prices_a_disabled_cycle_at_minus_one(api: Http) -> None:
    body = json.loads(api.post(f"{PRODUCTS}&responsetype=json&pid=1").body)
    usd = body["products"]["product"][0]["pricing"]["USD"]
    assert usd["monthly"] == "5.00"
    assert usd["msetupfee"] == "1.00"
    assert usd["quarterly"] == "-1.00"
    assert list(usd)[:2] == ["prefix", "suffix"]


# --- formats (§3) ---------------------------------------------------------------------------------


def test_json_format(api: Http) -> None:
    reply = api.post(f"action=GetPaymentMethods&{AUTH}&responsetype=json")
    assert reply.content_type == "application/json"
    assert reply.body == (FIXTURES / "api" / "getpaymentmethods.json").read_bytes()


def test_list_action_defaults_to_xml(api: Http) -> None:
    reply = api.post(f"action=GetPaymentMethods&{AUTH}")
    assert reply.content_type == "application/xml; charset=utf-8"
    assert reply.body == (FIXTURES / "api" / "getpaymentmethods.xml").read_bytes()


def test_responsetype_is_lower_cased_once_the_action_is_authorised(api: Http) -> None:
    reply = api.post(f"{PRODUCTS}&responsetype=JSON")
    assert reply.content_type == "application/json"


def test_unsupported_response_type_is_refused_in_nvp(api: Http) -> None:
    reply = api.post(f"{PRODUCTS}&responsetype=yaml")
    assert reply.content_type == "text/plain; charset=utf-8"
    assert reply.text == (
        'result=error;message=Unsupported API response type format "yaml". '
        "Supported formats include: json, xml, nvp"
    )


def test_nvp_is_refused_for_list_style_actions(api: Http) -> None:
    reply = api.post(f"{PRODUCTS}&responsetype=nvp")
    assert reply.text == (
        "result=error;message=This API action only supports the XML or JSON response type formats"
    )


def test_early_errors_render_json_only_for_exactly_json(api: Http) -> None:
    reply = api.post("action=GetProducts&identifier=nobody&secret=x&responsetype=json")
    assert reply.status == 403
    assert reply.body == b'{"result":"error","message":"Invalid or missing credentials"}'
    reply = api.post("action=GetProducts&identifier=nobody&secret=x&responsetype=JSON")
    assert reply.content_type == "text/plain; charset=utf-8"
    assert reply.text == "result=error;message=Invalid or missing credentials"


def test_early_errors_in_xml_carry_an_empty_version_and_the_action_as_sent(api: Http) -> None:
    reply = api.post("action=GetProducts&identifier=nobody&secret=x&responsetype=xml")
    assert reply.text == (
        '<?xml version="1.0" encoding="utf-8"?>\n<whmcsapi version="">\n<action>GetProducts</action>\n'
        "<result>error</result>\n<message>Invalid or missing credentials</message>\n</whmcsapi>"
    )


def xml_action(reply: Reply) -> str:
    action = ElementTree.fromstring(reply.body).findtext("action")
    assert action is not None
    return action


@pytest.mark.parametrize(("server", "body", "message"), [
    ("restricted_server", f"{AUTH}", "Invalid IP 127.0.0.1"),
    ("api", "identifier=nobody&secret=x", "Invalid or missing credentials"),
    ("api", "username=admin&password=short", "Invalid password provided"),
    ("api", "", "Authentication Failed"),
    ("access_server", "identifier=orders-only&secret=orders-secret", "Invalid Permissions"),
])
def test_errors_before_the_action_is_resolved_show_the_action_as_sent(
    request: pytest.FixtureRequest, server: str, body: str, message: str
) -> None:
    http: Http = request.getfixturevalue(server)
    reply = http.post(f"action=Get_Products&{body}&responsetype=xml")
    assert message in reply.text
    assert xml_action(reply) == "Get_Products"


def test_an_unknown_action_is_shown_as_sent(api: Http) -> None:
    reply = api.post(f"action=No_Such-Thing&{AUTH}&responsetype=xml")
    assert "Invalid API Action" in reply.text
    assert xml_action(reply) == "No_Such-Thing"


def test_errors_of_a_resolved_action_show_its_lower_cased_name(api: Http) -> None:
    # FIDELITY §3: once resolved, <action> is the lower-cased name, as in a successful answer.
    reply = api.post(f"action=Add_Order&{AUTH}&responsetype=xml&clientid=999")
    assert "Client ID Not Found" in reply.text
    assert xml_action(reply) == "addorder"


def test_get_products_json_matches_golden_file(api: Http) -> None:
    reply = api.post(f"{PRODUCTS}&responsetype=json&pid=1")
    assert reply.body == (FIXTURES / "api" / "getproducts.json").read_bytes()


def test_get_products_xml_matches_golden_file(api: Http) -> None:
    reply = api.post(f"{PRODUCTS}&pid=1")
    assert reply.body == (FIXTURES / "api" / "getproducts.xml").read_bytes()


def test_unknown_paths_are_not_the_api(api: Http) -> None:
    assert api.get("/includes/other.php").status == 404
