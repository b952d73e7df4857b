"""AddOrder over a real socket, with bodies encoded exactly as PHP's ``http_build_query`` encodes them.

The first test sends the example request of WHMCS's AddOrder reference page, as written, against a
scenario that holds every id it names (tests/scenarios/seed_example.yaml).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import phpserialize
import pytest

from mockwhmcs.app import engine_of
from mockwhmcs.client import http_build_query
from mockwhmcs.store.store import Store
from tests.support import FIXTURES, IDENTIFIER, SECRET, TEST_SCENARIOS, Http, serve

CREDENTIALS = {"identifier": IDENTIFIER, "secret": SECRET}


def php_serialize_base64(value: dict[Any, Any]) -> str:
    """``base64_encode(serialize($value))``; PHP has already made the key "1" the integer 1."""
    return base64.b64encode(phpserialize.dumps(value)).decode()


# The reference page's http_build_query array, in its order, with real credentials for the
# IDENTIFIER_OR_ADMIN_USERNAME / SECRET_OR_HASHED_PASSWORD placeholders.
REFERENCE_EXAMPLE: dict[str, Any] = {
    "action": "AddOrder",
    "username": IDENTIFIER,
    "password": SECRET,
    "clientid": "1",
    "pid": [1, 1],
    "qty": [2, 3],
    "domain": ["domain1.com", "d칩m치in2.com"],
    "idnlanguage": ["", "fre"],
    "billingcycle": ["monthly", "semiannually"],
    "addons": ["1,3,9", ""],
    "$addonsqty": ["2,4,9", ""],
    "customfields": [php_serialize_base64({1: "Google"}), php_serialize_base64({1: "Google"})],
    "configoptions": [php_serialize_base64({1: 999}), php_serialize_base64({1: 999})],
    "domaintype": ["register", "register"],
    "regperiod": [1, 2],
    "dnsmanagement": {0: False, 1: True},
    "nameserver1": "ns1.demo.com",
    "nameserver2": "ns2.demo.com",
    "paymentmethod": "mailin",
    "servicerenewals": [3, 10],
    "addonrenewals": [3, 10],
    "responsetype": "json",
}


@pytest.fixture(scope="module")
def seed_server() -> Iterator[Http]:
    yield from serve(TEST_SCENARIOS / "seed_example.yaml")


def fresh_store(http: Http) -> Store:
    store = engine_of(http.server.app).store
    store.reset()
    return store


def post_json(http: Http, fields: dict[str, Any]) -> dict[str, Any]:
    body = http_build_query({"action": "AddOrder", **CREDENTIALS, "responsetype": "json", **fields})
    reply = http.post(body)
    assert (reply.status, reply.content_type) == (200, "application/json")
    result: dict[str, Any] = json.loads(reply.body)
    return result


def test_the_reference_pages_example_request_succeeds(seed_server: Http) -> None:
    store = fresh_store(seed_server)
    body = http_build_query(REFERENCE_EXAMPLE)
    # What PHP puts on the wire: booleans as 0/1, the documentation's "$addonsqty" key kept as sent.
    assert "dnsmanagement%5B0%5D=0&dnsmanagement%5B1%5D=1" in body
    assert "%24addonsqty%5B0%5D=2%2C4%2C9" in body

    reply = seed_server.post(body)

    assert reply.status == 200
    assert reply.text == (
        '{"result":"success","orderid":1,"productids":"11,12,13,14,15","serviceids":"11,12,13,14,15",'
        '"addonids":"11,12,13,14,15,16","domainids":"21,22","invoiceid":1}'
    )
    # Starter sells in multiples here: qty 2 + qty 3 = 5 services; addons 1, 3, 9 on each of the first 2.
    services = [store.services.rows[i] for i in range(11, 16)]
    assert [s.domain for s in services] == ["domain1.com"] * 2 + ["d칩m치in2.com"] * 3
    # Starter has no semi-annual price: the second line falls back to monthly.
    assert {s.billingcycle for s in services} == {"Monthly"}
    assert all(s.customfields == {1: "Google"} and s.configoptions == {1: "999"} for s in services)
    addons = [store.service_addons.rows[i] for i in range(11, 17)]
    assert [(a.hostingid, a.addonid, a.qty) for a in addons] == [
        (11, 1, 1), (11, 3, 1), (11, 9, 1), (12, 1, 1), (12, 3, 1), (12, 9, 1),
    ]
    first, idn = store.domains.rows[21], store.domains.rows[22]
    assert (first.domain, first.registrationperiod, first.idnlanguage, first.dnsmanagement) == (
        "domain1.com", 1, "", False)
    assert (idn.domain, idn.registrationperiod, idn.idnlanguage, idn.dnsmanagement) == (
        "d칩m치in2.com", 2, "fre", True)
    order = store.orders.rows[1]
    assert (order.nameservers, order.servicerenewals, order.addonrenewals) == (
        "ns1.demo.com,ns2.demo.com", "3,10", "3,10")
    invoice = store.invoices.rows[1]
    items = store.invoiceitems.where("invoiceid", 1)
    assert invoice.total == sum((item.amount for item in items), Decimal("0.00")) == order.amount
    assert len(items) == 5 + 6 + 2 + 4  # services, addons, domains, renewals


@pytest.mark.parametrize("fmt", ["json", "xml", "nvp"])
def test_success_answer_matches_the_golden_file(api: Http, fmt: str) -> None:
    body = http_build_query({"action": "AddOrder", **CREDENTIALS, "clientid": 1, "paymentmethod": "mailin",
                             "pid": [1, 3], "billingcycle": ["monthly", "quarterly"], "responsetype": fmt})
    reply = api.post(body)
    assert reply.status == 200
    assert reply.text == (FIXTURES / "api" / f"addorder.{fmt}").read_text(encoding="utf-8")


def test_nvp_is_the_default_format(api: Http) -> None:
    body = http_build_query({"action": "AddOrder", **CREDENTIALS, "clientid": 1, "paymentmethod": "mailin",
                             "pid": [1], "noinvoice": True})
    reply = api.post(body)
    assert reply.content_type == "text/plain; charset=utf-8"
    assert reply.text == "result=success;orderid=1;productids=11;serviceids=11;addonids=;domainids="


def test_the_payment_method_error_lists_the_default_scenarios_gateways(api: Http) -> None:
    reply = api.post(http_build_query({"action": "AddOrder", **CREDENTIALS, "clientid": 1, "pid": [1]}))
    assert (reply.status, reply.text) == (
        200, "result=error;message=Invalid Payment Method. Valid options include banktransfer,mailin,paypal")


def test_a_closed_client_with_a_bad_payment_method_reports_the_closed_client(api: Http) -> None:
    assert post_json(api, {"clientid": 2, "paymentmethod": "bitcoin", "pid": [1]}) == {
        "result": "error", "message": "Unable to add order when client status is Closed",
    }


def test_python_false_is_true_to_php(api: Http) -> None:
    # Python's requests sends False as "False": PHP reads that as true, so no invoice is made.
    placed = post_json(api, {"clientid": 1, "paymentmethod": "mailin", "pid": [1], "noinvoice": "False"})
    assert placed["result"] == "success" and "invoiceid" not in placed


def test_a_scalar_pid_with_scalar_domain_and_billingcycle(api: Http) -> None:
    placed = post_json(api, {"clientid": 1, "paymentmethod": "mailin", "pid": 1, "domain": "scalar.com",
                             "billingcycle": "annually", "domaintype": "register"})
    assert (placed["serviceids"], placed["domainids"]) == ("11", "21")
    service = engine_of(api.server.app).store.services.rows[11]
    assert (service.domain, service.billingcycle) == ("scalar.com", "Annually")


def test_pid_with_empty_brackets_and_explicit_indices(api: Http) -> None:
    body = (http_build_query({"action": "AddOrder", **CREDENTIALS, "responsetype": "json", "clientid": 1,
                              "paymentmethod": "mailin"})
            + "&pid[]=1&pid[]=3&pid[7]=1&billingcycle[7]=annually&domain[1]=vps.example.net")
    placed = json.loads(api.post(body).body)
    assert placed["serviceids"] == "11,12,13"
    rows = engine_of(api.server.app).store.services.rows
    assert [(rows[i].packageid, rows[i].billingcycle, rows[i].domain) for i in (11, 12, 13)] == [
        (1, "Monthly", ""), (3, "Monthly", "vps.example.net"), (1, "Annually", ""),
    ]
