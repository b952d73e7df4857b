"""GetOrders, GetOrderStatuses and GetInvoice (FIDELITY §6): filters, paging, shapes, types, quirks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mockwhmcs.store.models import ServiceAddon
from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction
from tests.actions.helpers import api_error, seed_order

ORDER_KEYS = [
    "id", "ordernum", "userid", "contactid", "requestor_id", "admin_requestor_id", "date", "nameservers",
    "transfersecret", "renewals", "promocode", "promotype", "promovalue", "orderdata", "amount",
    "paymentmethod", "invoiceid", "status", "ipaddress", "fraudmodule", "fraudoutput", "notes",
    "purchase_source", "has_referral_products", "paymentmethodname", "paymentstatus", "name",
    "currencyprefix", "currencysuffix", "frauddata", "validationdata", "lineitems",
]


def order_ids(response: dict) -> list[int]:
    return [order["id"] for order in response.get("orders", {}).get("order", [])]


# --- GetOrders ------------------------------------------------------------------------------------


def test_get_orders_without_orders_has_no_orders_key(call: CallAction) -> None:
    assert call("GetOrders") == {"result": "success", "totalresults": 0, "startnumber": 0, "numreturned": 0}


def test_get_orders_lists_newest_first(call: CallAction, store: Store) -> None:
    seeded = [seed_order(store).order.id for _ in range(3)]
    assert order_ids(call("GetOrders")) == seeded[::-1]


def test_get_orders_pages_with_limitstart_and_limitnum(call: CallAction, store: Store) -> None:
    for _ in range(5):
        seed_order(store)
    response = call("GetOrders", limitstart="1", limitnum="2")
    assert {k: response[k] for k in ("totalresults", "startnumber", "numreturned")} == {
        "totalresults": 5, "startnumber": 1, "numreturned": 2,
    }
    assert order_ids(response) == [4, 3]


def test_get_orders_returns_25_by_default(call: CallAction, store: Store) -> None:
    for _ in range(30):
        seed_order(store)
    response = call("GetOrders")
    assert (response["totalresults"], response["numreturned"]) == (30, 25)
    assert order_ids(call("GetOrders", limitnum="0"))[-1] == 6


def test_get_orders_past_the_end_has_no_orders_key(call: CallAction, store: Store) -> None:
    seed_order(store)
    response = call("GetOrders", limitstart="5")
    assert (response["totalresults"], response["numreturned"], "orders" in response) == (1, 0, False)


def test_get_orders_filters(call: CallAction, store: Store) -> None:
    first = seed_order(store, userid=1).order
    second = seed_order(store, userid=2, status="Active").order
    third = seed_order(store, userid=1, status="Active").order
    third.requestor_id = 7
    assert order_ids(call("GetOrders", id=str(second.id))) == [second.id]
    assert order_ids(call("GetOrders", userid="1")) == [third.id, first.id]
    assert order_ids(call("GetOrders", status="active")) == [third.id, second.id]
    assert order_ids(call("GetOrders", userid="1", status="Active")) == [third.id]
    assert order_ids(call("GetOrders", requestor_id="7")) == [third.id]
    assert order_ids(call("GetOrders", id=str(second.id), userid="1")) == []
    assert call("GetOrders", status="Fraud")["totalresults"] == 0


def test_get_orders_counts_every_filtered_match_but_returns_one_page(call: CallAction, store: Store) -> None:
    for status in ("Active", "Pending", "Active", "Active"):
        seed_order(store, status=status)
    response = call("GetOrders", status="Active", limitnum="2")
    assert (response["totalresults"], order_ids(response)) == (3, [4, 3])


def test_get_orders_order_fields_and_types(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(1,), addons=(1,), domains=(("new.com", "Register"),))
    order = call("GetOrders")["orders"]["order"][0]
    assert list(order) == ORDER_KEYS
    assert order | {"lineitems": None} == {
        "id": seeded.order.id, "ordernum": 1000000001, "userid": 1, "contactid": 0, "requestor_id": 1,
        "admin_requestor_id": 0, "date": "2026-01-15 10:00:00", "nameservers": "", "transfersecret": "",
        "renewals": "", "promocode": "", "promotype": "", "promovalue": "", "orderdata": "[]",
        "amount": "17.95", "paymentmethod": "mailin", "invoiceid": 1, "status": "Pending",
        "ipaddress": "127.0.0.1", "fraudmodule": "", "fraudoutput": "", "notes": "",
        "purchase_source": 4, "has_referral_products": 0, "paymentmethodname": "Mail In Payment",
        "paymentstatus": "Unpaid", "name": "Ada Lovelace",
        "currencyprefix": "$", "currencysuffix": " USD", "frauddata": "", "validationdata": "",
        "lineitems": None,
    }


def test_get_orders_line_items(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(3,), addons=(2,), domains=(("moved.net", "Transfer"),))
    seeded.domains[0].registrationperiod = 2
    seeded.domains[0].idprotection = True
    items = call("GetOrders")["orders"]["order"][0]["lineitems"]["lineitem"]
    assert items == [
        {"type": "product", "relid": seeded.services[0].id, "producttype": "Dedicated/VPS Server",
         "product": "VPS - VPS Small", "domain": "site1.example.com", "billingcycle": "Monthly",
         "amount": "$6.00 USD", "status": "Pending"},
        {"type": "addon", "relid": seeded.addons[0].id, "producttype": "Addon", "product": "Daily Backups",
         "domain": "site1.example.com", "billingcycle": "Monthly", "amount": "$2.00 USD",
         "status": "Pending"},
        {"type": "domain", "relid": seeded.domains[0].id, "producttype": "Domain", "product": "Transfer",
         "domain": "moved.net", "billingcycle": 2, "amount": "$9.95 USD", "status": "Pending",
         "dnsmanagement": 0, "emailforwarding": 0, "idprotection": 1},
    ]
    # WHMCS's integer columns: numbers, not JSON booleans (False == 0 in Python, so check the type).
    flags = ("dnsmanagement", "emailforwarding", "idprotection")
    assert [type(items[2][flag]) for flag in flags] == [int] * 3


def test_get_orders_lists_renewals_like_other_items(call: CallAction, store: Store) -> None:
    addon = store.service_addons.add(ServiceAddon(
        id=store.service_addons.new_id(), orderid=0, hostingid=10, addonid=1, userid=1,
        name="SSL Certificate", billingcycle="Monthly", regdate="2025-01-15", status="Active",
        recurring=Decimal("2.00"), nextduedate="2026-02-15",
    ))
    placed = call("AddOrder", clientid="1", paymentmethod="mailin",
                  domainrenewals={"existing.example.com": "1"}, servicerenewals={0: "10"},
                  addonrenewals={0: str(addon.id)})
    order = call("GetOrders", id=str(placed["orderid"]))["orders"]["order"][0]
    assert order["renewals"] == "20=1"
    assert order["lineitems"]["lineitem"] == [
        {"type": "domain", "relid": 20, "producttype": "Domain", "product": "Renewal",
         "domain": "existing.example.com", "billingcycle": 1, "amount": "$9.95 USD", "status": "Active",
         "dnsmanagement": 0, "emailforwarding": 0, "idprotection": 0},
        {"type": "product", "relid": 10, "producttype": "Hosting Account",
         "product": "Shared Hosting - Starter", "domain": "existing.example.com", "billingcycle": "Monthly",
         "amount": "$5.00 USD", "status": "Active"},
        {"type": "addon", "relid": addon.id, "producttype": "Addon", "product": "SSL Certificate",
         "domain": "existing.example.com", "billingcycle": "Monthly", "amount": "$2.00 USD",
         "status": "Active"},
    ]


@pytest.mark.parametrize(("pid", "producttype"), [
    (1, "Hosting Account"), (3, "Dedicated/VPS Server"), (5, "Other Product/Service"),
])
def test_get_orders_names_each_product_type(
    call: CallAction, store: Store, pid: int, producttype: str
) -> None:
    seed_order(store, pids=(pid,))
    assert call("GetOrders")["orders"]["order"][0]["lineitems"]["lineitem"][0]["producttype"] == producttype


def test_get_orders_line_items_are_an_empty_list_for_an_empty_order(call: CallAction, store: Store) -> None:
    seed_order(store, pids=())
    assert call("GetOrders")["orders"]["order"][0]["lineitems"] == []


def test_get_orders_payment_status_follows_the_invoice(call: CallAction, store: Store) -> None:
    paid = seed_order(store, invoice_status="Paid").order
    uninvoiced = seed_order(store, invoice_status=None).order
    by_id = {o["id"]: o for o in call("GetOrders")["orders"]["order"]}
    assert (by_id[paid.id]["paymentstatus"], by_id[uninvoiced.id]["paymentstatus"]) == ("Paid", "")
    assert by_id[uninvoiced.id]["invoiceid"] == 0


def test_get_orders_reads_back_lifecycle_changes(call: CallAction, store: Store) -> None:
    seeded = seed_order(store)
    call("CancelOrder", orderid=str(seeded.order.id))
    order = call("GetOrders", id=str(seeded.order.id))["orders"]["order"][0]
    assert (order["status"], order["paymentstatus"], order["lineitems"]["lineitem"][0]["status"]) == (
        "Cancelled", "Cancelled", "Cancelled",
    )


# --- GetOrderStatuses -----------------------------------------------------------------------------


def test_get_order_statuses_counts_every_status(call: CallAction, store: Store) -> None:
    for status in ("Pending", "Active", "Active", "Fraud"):
        seed_order(store, status=status)
    assert call("GetOrderStatuses") == {
        "result": "success",
        "totalresults": 4,
        "statuses": {"status": [
            {"title": "Pending", "count": 1}, {"title": "Active", "count": 2},
            {"title": "Fraud", "count": 1}, {"title": "Cancelled", "count": 0},
        ]},
    }


# --- GetInvoice -----------------------------------------------------------------------------------


@pytest.mark.parametrize("invoiceid", ["99", "", "abc"])
def test_get_invoice_not_found_answers_with_a_status_key(call: CallAction, invoiceid: str) -> None:
    error = api_error(call, "GetInvoice", invoiceid=invoiceid)
    assert error.envelope() == {"status": "error", "message": "Invoice ID Not Found"}


def test_get_invoice_fields_and_items(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(1,), addons=(1,), domains=(("new.com", "Register"),))
    assert seeded.invoice is not None
    assert call("GetInvoice", invoiceid=str(seeded.invoice.id)) == {
        "result": "success", "invoiceid": seeded.invoice.id, "invoicenum": "", "userid": 1,
        "date": "2026-01-15", "duedate": "2026-01-15", "datepaid": "0000-00-00 00:00:00",
        "lastcaptureattempt": "0000-00-00 00:00:00",
        "subtotal": "17.95", "credit": "0.00", "tax": "0.00", "tax2": "0.00", "total": "17.95",
        "balance": "17.95", "taxrate": "0.000", "taxrate2": "0.000", "status": "Unpaid",
        "paymentmethod": "mailin", "notes": "", "ccgateway": False,
        "items": {"item": [
            {"id": 1, "type": "Hosting", "relid": seeded.services[0].id, "description": "Hosting #11",
             "amount": "6.00", "taxed": 0},
            {"id": 2, "type": "Addon", "relid": seeded.addons[0].id, "description": "Addon #1",
             "amount": "2.00", "taxed": 0},
            {"id": 3, "type": "DomainRegister", "relid": seeded.domains[0].id,
             "description": "DomainRegister #21", "amount": "9.95", "taxed": 0},
        ]},
        "transactions": "",
    }


def test_get_invoice_balance_is_what_the_payments_leave(call: CallAction, store: Store) -> None:
    seeded = seed_order(store)
    invoiceid = str(seeded.order.invoiceid)
    call("AddInvoicePayment", invoiceid=invoiceid, transid="T1", gateway="mailin", amount="2.00")
    assert call("GetInvoice", invoiceid=invoiceid)["balance"] == "4.00"
    call("AddInvoicePayment", invoiceid=invoiceid, transid="T2", gateway="mailin")
    assert call("GetInvoice", invoiceid=invoiceid)["balance"] == "0.00"
