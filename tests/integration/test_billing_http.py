"""Billing over a real socket, with bodies encoded as PHP's ``http_build_query`` encodes them.

The flows: an order paid and then accepted; a product set up by its payment alone (the order stays
Pending); a module failing on payment (the service stays Pending, the failure is in the module log).
The golden files pin the JSON and XML of each billing action's success answer on
tests/scenarios/billing.yaml (frozen clock).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from mockwhmcs.client import http_build_query
from tests.support import FIXTURES, IDENTIFIER, SECRET, TEST_SCENARIOS, Http, fresh, serve

CREDENTIALS = {"identifier": IDENTIFIER, "secret": SECRET}


@pytest.fixture(scope="module")
def billing_server() -> Iterator[Http]:
    yield from serve(TEST_SCENARIOS / "billing.yaml")


@pytest.fixture
def billing(billing_server: Http) -> Http:
    return fresh(billing_server)


def call(http: Http, action: str, fmt: str = "json", **fields: Any) -> dict[str, Any]:
    reply = http.post(http_build_query({"action": action, **CREDENTIALS, "responsetype": fmt, **fields}))
    assert reply.status == 200
    answer: dict[str, Any] = json.loads(reply.body)
    return answer


def ok(http: Http, action: str, **fields: Any) -> dict[str, Any]:
    answer = call(http, action, **fields)
    assert answer["result"] == "success", answer
    return answer


def order(http: Http, clientid: int, pid: int) -> tuple[int, int, int]:
    """AddOrder of one ``pid``: the order, invoice and service ids."""
    placed = ok(http, "AddOrder", clientid=clientid, paymentmethod="mailin", pid=[pid],
                billingcycle=["monthly"])
    return placed["orderid"], placed["invoiceid"], int(placed["serviceids"])


def service_status(http: Http, serviceid: int) -> str:
    status: str = ok(http, "GetClientsProducts", serviceid=serviceid)["products"]["product"][0]["status"]
    return status


def order_status(http: Http, orderid: int) -> str:
    status: str = ok(http, "GetOrders", id=orderid)["orders"]["order"][0]["status"]
    return status


def test_new_client_orders_pays_and_is_accepted(api: Http) -> None:
    clientid = ok(api, "AddClient", firstname="Grace", lastname="Hopper", email="grace@example.com",
                  address1="1 Navy Way", city="Arlington", state="VA", postcode="22202", country="US",
                  phonenumber="555-0100", password2="cobol")["clientid"]
    orderid, invoiceid, serviceid = order(api, clientid, 1)
    assert ok(api, "AddInvoicePayment", invoiceid=invoiceid, transid="PAY-1", gateway="mailin",
              date="2026-01-15 09:00:00", noemail=False) == {"result": "success"}
    invoice = ok(api, "GetInvoice", invoiceid=invoiceid)
    assert (invoice["status"], invoice["balance"], invoice["datepaid"]) == (
        "Paid", "0.00", "2026-01-15 09:00:00")
    assert ok(api, "AcceptOrder", orderid=orderid) == {"result": "success"}
    assert service_status(api, serviceid) == "Active"
    assert order_status(api, orderid) == "Active"


def test_payment_alone_sets_up_a_product_that_sets_up_on_payment(billing: Http) -> None:
    orderid, invoiceid, serviceid = order(billing, 1, 6)
    assert service_status(billing, serviceid) == "Pending"
    ok(billing, "AddInvoicePayment", invoiceid=invoiceid, transid="PAY-2", gateway="mailin")
    assert service_status(billing, serviceid) == "Active"
    assert order_status(billing, orderid) == "Pending"
    # Accepting afterwards finishes the order and leaves the service as it is.
    assert ok(billing, "AcceptOrder", orderid=orderid) == {"result": "success"}
    assert (service_status(billing, serviceid), order_status(billing, orderid)) == ("Active", "Active")


def test_a_module_failing_on_payment_leaves_the_service_pending_and_logged(billing: Http) -> None:
    orderid, invoiceid, serviceid = order(billing, 1, 7)
    assert ok(billing, "AddInvoicePayment", invoiceid=invoiceid, transid="PAY-3", gateway="mailin") == {
        "result": "success"}
    assert ok(billing, "GetInvoice", invoiceid=invoiceid)["status"] == "Paid"
    assert (service_status(billing, serviceid), order_status(billing, orderid)) == ("Pending", "Pending")
    state = json.loads(billing.get("/_mock/state").body)
    logged = [(r["module"], r["action"], r["serviceid"], r["response"]) for r in state["module_log"]]
    assert logged == [("flaky", "create", serviceid, "Connection to provisioning server timed out")]


def test_php_encoded_create_and_update_invoice(billing: Http) -> None:
    # The PHP array forms: itemdescription[1] on CreateInvoice, lineItemId => value on UpdateInvoice.
    created = ok(billing, "CreateInvoice", userid=3, itemdescription={1: "Design"}, itemamount={1: 20},
                 itemtaxed={1: True}, taxrate="10.00", sendinvoice=True)
    ok(billing, "UpdateInvoice", invoiceid=created["invoiceid"], newitemdescription=["Hosting"],
       newitemamount=[5.5], newitemtaxed=[False], deletelineids=[])
    invoice = ok(billing, "GetInvoice", invoiceid=created["invoiceid"])
    assert (invoice["subtotal"], invoice["tax"], invoice["total"]) == ("25.50", "2.00", "27.50")


def test_list_style_billing_actions_default_to_xml_and_refuse_nvp(billing: Http) -> None:
    for action in ("GetInvoices", "GetTransactions", "GetCredits"):
        body = http_build_query({"action": action, **CREDENTIALS, "clientid": 3})
        assert billing.post(body).content_type == "application/xml; charset=utf-8"
        nvp = billing.post(body + "&responsetype=nvp")
        assert nvp.text == (
            "result=error;message=This API action only supports the XML or JSON response type formats")


# --- golden files ---------------------------------------------------------------------------------

GOLDEN: list[tuple[str, str, dict[str, Any]]] = [
    ("getinvoices", "GetInvoices", {"userid": 3}),
    ("getinvoice_paid", "GetInvoice", {"invoiceid": 5}),
    ("createinvoice", "CreateInvoice", {"userid": 1, "itemdescription1": "Item", "itemamount1": "15.95"}),
    ("updateinvoice", "UpdateInvoice", {"invoiceid": 6, "notes": "n"}),
    ("addinvoicepayment", "AddInvoicePayment", {"invoiceid": 5, "transid": "G-1", "gateway": "mailin"}),
    ("gettransactions", "GetTransactions", {}),
    ("addtransaction", "AddTransaction", {"paymentmethod": "paypal", "userid": 1, "amountin": "10.00"}),
    ("addcredit", "AddCredit", {"clientid": 3, "description": "Goodwill", "amount": "2.50"}),
    ("applycredit", "ApplyCredit", {"invoiceid": 6, "amount": "10.00"}),
    ("getcredits", "GetCredits", {"clientid": 3}),
]


@pytest.mark.parametrize(("fixture", "action", "fields"), GOLDEN, ids=[entry[0] for entry in GOLDEN])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_success_answer_matches_the_golden_file(
    billing: Http, fixture: str, action: str, fields: dict[str, Any], fmt: str
) -> None:
    # GetInvoice shows a payment and GetCredits a credit entry: both come from a call first.
    if fixture == "getinvoice_paid":
        ok(billing, "AddInvoicePayment", invoiceid=5, transid="G-0", gateway="paypal", amount="1.00",
           fees="0.05")
    if fixture == "getcredits":
        ok(billing, "ApplyCredit", invoiceid=6, amount="2.00")
    reply = billing.post(http_build_query({"action": action, **CREDENTIALS, "responsetype": fmt, **fields}))
    assert reply.body == (FIXTURES / "api" / f"{fixture}.{fmt}").read_bytes()
