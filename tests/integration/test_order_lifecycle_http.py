"""An order's whole life over a real socket: AddOrder -> AcceptOrder -> read back -> cancel/fraud -> delete.

The golden files pin the full JSON and XML of GetOrders, GetClientsProducts and GetInvoice after one
AddOrder on the default scenario (frozen clock, seed 1).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support import AUTH, FIXTURES, Http

# Starter with an SSL addon and its domain registered, paid by mail.
ORDER = (
    "clientid=1&paymentmethod=mailin&pid[0]=1&domain[0]=golden.com&billingcycle[0]=monthly"
    "&addons[0]=1&domaintype[0]=register&regperiod[0]=1"
)


def call(api: Http, action: str, params: str = "") -> dict[str, Any]:
    reply = api.post(f"action={action}&{AUTH}&responsetype=json&{params}")
    assert reply.status == 200
    result: dict[str, Any] = json.loads(reply.body)
    return result


def add_order(api: Http, order: str = ORDER) -> dict[str, Any]:
    placed = call(api, "AddOrder", order)
    assert placed["result"] == "success", placed
    return placed


def the_order(api: Http, orderid: int) -> dict[str, Any]:
    order: dict[str, Any] = call(api, "GetOrders", f"id={orderid}")["orders"]["order"][0]
    return order


def the_service(api: Http, serviceid: int | str) -> dict[str, Any]:
    products = call(api, "GetClientsProducts", f"serviceid={serviceid}")["products"]
    service: dict[str, Any] = products["product"][0]
    return service


def error(message: str) -> dict[str, str]:
    return {"result": "error", "message": message}


def test_placed_and_accepted_order_reads_back_the_same_everywhere(api: Http) -> None:
    placed = add_order(api)
    orderid, invoiceid, serviceid = placed["orderid"], placed["invoiceid"], int(placed["serviceids"])
    assert call(api, "AcceptOrder", f"orderid={orderid}") == {"result": "success"}

    order = the_order(api, orderid)
    service = the_service(api, serviceid)
    invoice = call(api, "GetInvoice", f"invoiceid={invoiceid}")
    domains = call(api, "GetClientsDomains", f"domainid={placed['domainids']}")["domains"]["domain"]

    assert (order["status"], order["invoiceid"], order["paymentstatus"]) == ("Active", invoiceid, "Unpaid")
    assert [(item["type"], item["status"]) for item in order["lineitems"]["lineitem"]] == [
        ("product", "Active"), ("addon", "Active"), ("domain", "Active"),
    ]
    product_item = order["lineitems"]["lineitem"][0]
    assert (product_item["relid"], product_item["domain"]) == (serviceid, service["domain"])
    assert (service["status"], service["orderid"], service["ordernumber"]) == (
        "Active", orderid, order["ordernum"],
    )
    assert [(d["domainname"], d["status"], d["orderid"]) for d in domains] == [
        ("golden.com", "Active", orderid),
    ]
    assert invoice["total"] == order["amount"]
    assert invoice["items"]["item"][0]["type"] == "Hosting"
    assert invoice["items"]["item"][0]["relid"] == serviceid


def test_a_failing_provisioning_module_leaves_the_order_pending(api: Http) -> None:
    placed = add_order(api, "clientid=1&paymentmethod=mailin&pid[0]=2&billingcycle[0]=monthly")
    reply = api.post(f"action=AcceptOrder&{AUTH}&orderid={placed['orderid']}")
    assert (reply.status, reply.text) == (
        200, "result=error;message=Connection to provisioning server timed out",
    )
    assert the_order(api, placed["orderid"])["status"] == "Pending"
    assert the_service(api, placed["serviceids"])["status"] == "Pending"
    # Accepting without running the module (any optional parameter turns autosetup off) succeeds.
    assert call(api, "AcceptOrder", f"orderid={placed['orderid']}&autosetup=0") == {"result": "success"}
    assert the_order(api, placed["orderid"])["status"] == "Active"


def test_cancel_then_delete(api: Http) -> None:
    placed = add_order(api)
    orderid = placed["orderid"]
    assert call(api, "DeleteOrder", f"orderid={orderid}") == error(
        "The order status must be in Cancelled or Fraud to be deleted"
    )
    assert call(api, "CancelOrder", f"orderid={orderid}&cancelsub=1&noemail=1") == {"result": "success"}
    assert the_order(api, orderid)["status"] == "Cancelled"
    assert the_service(api, placed["serviceids"])["status"] == "Cancelled"
    assert call(api, "GetInvoice", f"invoiceid={placed['invoiceid']}")["status"] == "Cancelled"
    assert call(api, "CancelOrder", f"orderid={orderid}") == error("Order ID not found or Status not Pending")

    assert call(api, "DeleteOrder", f"orderid={orderid}") == {"result": "success"}
    assert call(api, "GetOrders", f"id={orderid}") == {
        "result": "success", "totalresults": 0, "startnumber": 0, "numreturned": 0,
    }
    assert call(api, "GetClientsProducts", f"serviceid={placed['serviceids']}")["products"] == ""
    assert call(api, "GetInvoice", f"invoiceid={placed['invoiceid']}") == {
        "status": "error", "message": "Invoice ID Not Found",
    }
    assert call(api, "DeleteOrder", f"orderid={orderid}") == error("Order ID not found")


def test_accept_fraud_back_to_pending_then_delete(api: Http) -> None:
    placed = add_order(api)
    orderid = placed["orderid"]
    call(api, "AcceptOrder", f"orderid={orderid}")
    assert call(api, "FraudOrder", f"orderid={orderid}") == {"result": "success"}
    assert [item["status"] for item in the_order(api, orderid)["lineitems"]["lineitem"]] == ["Fraud"] * 3
    assert call(api, "GetInvoice", f"invoiceid={placed['invoiceid']}")["status"] == "Cancelled"

    assert call(api, "PendingOrder", f"orderid={orderid}") == {"result": "success"}
    assert the_order(api, orderid)["paymentstatus"] == "Unpaid"
    assert call(api, "GetOrderStatuses")["statuses"]["status"][0] == {"title": "Pending", "count": 1}

    call(api, "FraudOrder", f"orderid={orderid}")
    assert call(api, "DeleteOrder", f"orderid={orderid}") == {"result": "success"}
    assert call(api, "FraudOrder", f"orderid={orderid}") == error("Order ID Not Found")


def test_a_client_added_through_the_api_can_order(api: Http) -> None:
    added = call(api, "AddClient", "firstname=Grace&lastname=Hopper&email=grace@example.com"
                                   "&address1=1+Navy+Way&city=Arlington&state=VA&postcode=22202&country=US"
                                   "&phonenumber=555-0100&password2=cobol")
    clientid = added["clientid"]
    placed = add_order(api, f"clientid={clientid}&paymentmethod=paypal&pid[0]=5&billingcycle[0]=onetime")
    call(api, "AcceptOrder", f"orderid={placed['orderid']}")
    assert [o["id"] for o in call(api, "GetOrders", f"userid={clientid}")["orders"]["order"]] == [
        placed["orderid"]
    ]
    assert call(api, "GetClientsDetails", "email=grace@example.com")["client"]["id"] == clientid


# --- golden files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "params", "fixture"), [
    ("GetOrders", "", "getorders"),
    ("GetClientsProducts", "clientid=1", "getclientsproducts"),
    ("GetInvoice", "invoiceid=1", "getinvoice"),
])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_read_back_after_add_order_matches_golden_file(
    api: Http, action: str, params: str, fixture: str, fmt: str
) -> None:
    add_order(api)
    reply = api.post(f"action={action}&{AUTH}&responsetype={fmt}&{params}")
    assert reply.body == (FIXTURES / "api" / f"{fixture}.{fmt}").read_bytes()
