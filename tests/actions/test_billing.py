"""Billing actions in process: invoices, payments, transactions and client credit.

Most tests run on tests/scenarios/billing.yaml: the default scenario plus products set up on payment
(cpanel's create succeeds, flaky's fails), a client with 10.00 credit and seeded invoices.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from mockwhmcs.store.models import Invoice
from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction, store_for
from tests.actions.helpers import api_error, seed_order
from tests.support import TEST_SCENARIOS

NOW = "2026-01-15 10:00:00"


@pytest.fixture
def store() -> Store:
    return store_for(str(TEST_SCENARIOS / "billing.yaml"))


def records(store: Store) -> dict[str, list[str]]:
    """Every record of the store, to show a failed call changed nothing."""
    return {name: [repr(row) for row in table] for name, table in store.tables().items()}


def refused(call: CallAction, store: Store, action: str, **params: Any) -> str:
    """The error message of a call, after checking that it left the store exactly as it was."""
    before = records(store)
    message = api_error(call, action, **params).message
    assert records(store) == before
    return message


def invoice(store: Store, invoiceid: int) -> Invoice:
    found = store.invoices.get(invoiceid)
    assert found is not None
    return found


def balance(call: CallAction, invoiceid: int) -> str:
    answer: str = call("GetInvoice", invoiceid=str(invoiceid))["balance"]
    return answer


# --- GetInvoice -----------------------------------------------------------------------------------


def test_get_invoice_shows_seeded_payments_taxes_and_the_balance(call: CallAction) -> None:
    answer = call("GetInvoice", invoiceid="5")
    assert list(answer)[:9] == ["result", "invoiceid", "invoicenum", "userid", "date", "duedate", "datepaid",
                                "lastcaptureattempt", "subtotal"]
    assert (answer["subtotal"], answer["tax"], answer["total"], answer["balance"], answer["taxrate"]) == (
        "6.00", "0.50", "6.50", "4.00", "10.000")
    assert answer["lastcaptureattempt"] == "0000-00-00 00:00:00"
    assert answer["notes"] == "Seeded"
    assert answer["items"]["item"][1] == {"id": 7, "type": "Hosting", "relid": 10,
                                          "description": "Starter (01/01/2026 - 31/01/2026)",
                                          "amount": "5.00", "taxed": 1}
    assert answer["transactions"] == {"transaction": [{
        "id": 4, "userid": 1, "currency": 0, "gateway": "mailin", "date": "2026-01-02 10:00:00",
        "description": "Invoice Payment", "amountin": "2.50", "fees": "0.10", "amountout": "0.00",
        "rate": "1.00000", "transid": "TX-1", "invoiceid": 5, "refundid": 0,
    }]}


def test_get_invoice_without_payments_has_empty_transactions(call: CallAction) -> None:
    answer = call("GetInvoice", invoiceid="6")
    assert (answer["transactions"], answer["balance"], answer["total"]) == ("", "30.00", "30.00")


def test_get_invoice_not_found_is_keyed_status(call: CallAction) -> None:
    error = api_error(call, "GetInvoice", invoiceid="99")
    assert error.envelope() == {"status": "error", "message": "Invoice ID Not Found"}


# --- GetInvoices ----------------------------------------------------------------------------------


def ids(answer: dict[str, Any]) -> list[int]:
    return [row["id"] for row in answer["invoices"]["invoice"]] if answer["invoices"] else []


def test_get_invoices_lists_all_in_id_order_with_client_and_currency(call: CallAction) -> None:
    answer = call("GetInvoices")
    assert (answer["totalresults"], answer["startnumber"], answer["numreturned"]) == (3, 0, 3)
    assert ids(answer) == [5, 6, 7]
    first = answer["invoices"]["invoice"][1]
    assert list(first) == [
        "id", "userid", "firstname", "lastname", "companyname", "invoicenum", "date", "duedate", "datepaid",
        "last_capture_attempt", "date_refunded", "date_cancelled", "subtotal", "credit", "tax", "tax2",
        "total", "taxrate", "taxrate2", "status", "paymentmethod", "paymethodid", "notes", "created_at",
        "updated_at", "currencycode", "currencyprefix", "currencysuffix",
    ]
    assert (first["firstname"], first["companyname"], first["currencycode"], first["paymethodid"]) == (
        "Grace", "Navy", "USD", None)


@pytest.mark.parametrize(("params", "expected"), [
    ({"userid": "3"}, [6, 7]),
    ({"status": "paid"}, [7]),
    ({"status": "Unpaid"}, [5, 6]),
    # Overdue: unpaid and due before today (2026-01-15).
    ({"status": "Overdue"}, [5]),
    ({"orderby": "total", "order": "desc"}, [6, 5, 7]),
    ({"orderby": "duedate"}, [7, 5, 6]),
    ({"orderby": "date", "order": "DESC"}, [6, 7, 5]),
    ({"orderby": "nonsense"}, [5, 6, 7]),
    ({"limitstart": "1", "limitnum": "1"}, [6]),
])
def test_get_invoices_filters_sorts_and_pages(
    call: CallAction, params: dict[str, str], expected: list[int]
) -> None:
    assert ids(call("GetInvoices", **params)) == expected


def test_get_invoices_with_no_match_gives_an_empty_list(call: CallAction) -> None:
    assert call("GetInvoices", userid="2") == {
        "result": "success", "totalresults": 0, "startnumber": 0, "numreturned": 0, "invoices": []}


# --- CreateInvoice --------------------------------------------------------------------------------

EXAMPLE = {
    "userid": "1", "status": "Unpaid", "sendinvoice": "1", "paymentmethod": "mailin", "taxrate": "10.00",
    "date": "2016-01-01", "duedate": "2016-01-08", "itemdescription1": "Sample Invoice Item",
    "itemamount1": "15.95", "itemtaxed1": "0", "itemdescription2": "Sample Second Invoice Item",
    "itemamount2": "1.00", "itemtaxed2": "1", "autoapplycredit": "0",
}


def test_create_invoice_from_the_pages_example(call: CallAction, store: Store) -> None:
    assert call("CreateInvoice", **EXAMPLE) == {"result": "success", "invoiceid": 8, "status": "Unpaid"}
    answer = call("GetInvoice", invoiceid="8")
    assert (answer["date"], answer["duedate"], answer["subtotal"], answer["tax"], answer["total"]) == (
        "2016-01-01", "2016-01-08", "16.95", "0.10", "17.05")
    assert [(i["description"], i["amount"], i["taxed"], i["type"]) for i in answer["items"]["item"]] == [
        ("Sample Invoice Item", "15.95", 0, ""), ("Sample Second Invoice Item", "1.00", 1, "")]
    assert [(e.template, e.relid, e.sent) for e in store.emails] == [("Invoice Created", 8, True)]


def test_create_invoice_takes_php_array_items_and_defaults(call: CallAction, store: Store) -> None:
    answer = call("CreateInvoice", userid="3", itemdescription={2: "Second", 1: "First <b>"},
                  itemamount={1: "1.50", 2: "2abc"}, notes="Thanks & bye")
    created = invoice(store, answer["invoiceid"])
    assert (created.date, created.duedate, created.status, created.paymentmethod, created.notes) == (
        "2026-01-15", "2026-01-15", "Unpaid", "banktransfer", "Thanks &amp; bye")
    items = store.invoiceitems.where("invoiceid", created.id)
    assert [(i.description, i.amount) for i in items] == [("First &lt;b&gt;", Decimal("1.50")),
                                                          ("Second", Decimal("2.00"))]
    assert [(e.template, e.sent, e.reason) for e in store.emails] == [
        ("Invoice Created", False, "CreateInvoice without sendinvoice")]


def test_create_invoice_reads_item_amounts_like_php(call: CallAction, store: Store) -> None:
    answer = call("CreateInvoice", userid="1", itemdescription1="a", itemamount1="abc", itemdescription2="b",
                  itemamount2={0: "5"}, itemdescription3="c")
    items = store.invoiceitems.where("invoiceid", answer["invoiceid"])
    assert [(i.description, i.amount) for i in items] == [("a", Decimal("0.00")), ("b", Decimal("0.00")),
                                                          ("c", Decimal("0.00"))]


def test_create_invoice_as_draft_sends_nothing(call: CallAction, store: Store) -> None:
    assert call("CreateInvoice", userid="1", draft="1", status="Paid")["status"] == "Draft"
    assert list(store.emails) == []


def test_create_invoice_with_autoapplycredit_uses_the_clients_credit(call: CallAction, store: Store) -> None:
    answer = call("CreateInvoice", userid="3", itemdescription1="Small", itemamount1="4.00",
                  autoapplycredit="1")
    created = invoice(store, answer["invoiceid"])
    assert (created.status, created.credit, created.total) == ("Paid", Decimal("4.00"), Decimal("0.00"))
    assert store.clients.rows[3].credit == Decimal("6.00")


@pytest.mark.parametrize(("params", "message"), [
    ({"userid": "99"}, "Client ID Not Found"),
    ({"userid": "abc"}, "Client ID Not Found"),
    ({"userid": "1", "draft": "1", "sendinvoice": "1"},
     "Cannot create and send a draft invoice in a single API request. Please create and send separately."),
    ({"userid": "1", "status": "Pending"}, "Invalid status Pending"),
])
def test_create_invoice_errors(call: CallAction, store: Store, params: dict[str, str], message: str) -> None:
    assert refused(call, store, "CreateInvoice", itemdescription1="x", itemamount1="1", **params) == message


# --- UpdateInvoice --------------------------------------------------------------------------------


def test_update_invoice_changes_adds_and_deletes_lines_and_recomputes(call: CallAction, store: Store) -> None:
    answer = call("UpdateInvoice", invoiceid="5", status="unpaid", notes="Changed", duedate="2026-02-01",
                  itemdescription={7: "Starter renewed"}, itemamount={7: "8.00"}, itemtaxed={7: "0"},
                  newitemdescription={0: "New 1", 1: "New 2"}, newitemamount={0: "10.00", 1: "2.95"},
                  newitemtaxed={0: "1", 1: "0"}, deletelineids={0: "1"})
    assert answer == {"result": "success", "invoiceid": 5}
    got = call("GetInvoice", invoiceid="5")
    assert [(i["id"], i["description"], i["amount"], i["taxed"]) for i in got["items"]["item"]] == [
        (7, "Starter renewed", "8.00", 0), (8, "New 1", "10.00", 1), (9, "New 2", "2.95", 0)]
    assert (got["subtotal"], got["tax"], got["total"], got["balance"], got["notes"], got["duedate"]) == (
        "20.95", "1.00", "21.95", "19.45", "Changed", "2026-02-01")


def test_update_invoice_ignores_lines_of_other_invoices(call: CallAction, store: Store) -> None:
    call("UpdateInvoice", invoiceid="5", itemdescription={2: "x"}, itemamount={2: "1"}, itemtaxed={2: "0"},
         deletelineids={0: "3"})
    assert [i.description for i in store.invoiceitems.where("invoiceid", 6)] == ["Consulting"]
    assert len(store.invoiceitems.where("invoiceid", 7)) == 1


def test_update_invoice_status_credit_and_taxrate(call: CallAction, store: Store) -> None:
    call("UpdateInvoice", invoiceid="6", taxrate="0", credit="5", status="Cancelled", datepaid="2026-01-10")
    changed = invoice(store, 6)
    assert (changed.status, changed.credit, changed.total, changed.date_cancelled, changed.datepaid) == (
        "Cancelled", Decimal("5.00"), Decimal("25.00"), NOW, "2026-01-10 00:00:00")


def test_update_invoice_publishes_a_draft(call: CallAction, store: Store) -> None:
    draft = call("CreateInvoice", userid="1", draft="1")["invoiceid"]
    call("UpdateInvoice", invoiceid=str(draft), publishandsendemail="1")
    assert invoice(store, draft).status == "Unpaid"
    assert [(e.template, e.sent) for e in store.emails] == [("Invoice Created", True)]


@pytest.mark.parametrize(("params", "message"), [
    ({"invoiceid": "99"}, "Invoice ID Not Found"),
    ({"invoiceid": "5", "publish": "1"}, "Invoice must be in Draft status to be published"),
    ({"invoiceid": "5", "itemdescription": {7: "x"}, "itemamount": {7: "1"}},
     "Missing Variables: itemdescription, itemamount and itemtaxed are required for each item being changed"),
    ({"invoiceid": "5", "itemdescription": "x"},
     "Missing Variables: itemdescription, itemamount and itemtaxed are required for each item being changed"),
    ({"invoiceid": "5", "status": "Open", "notes": "lost"}, "Invalid status Open"),
])
def test_update_invoice_errors(call: CallAction, store: Store, params: dict[str, Any], message: str) -> None:
    assert refused(call, store, "UpdateInvoice", **params) == message


# --- AddInvoicePayment ----------------------------------------------------------------------------


def test_partial_payment_leaves_the_invoice_unpaid(call: CallAction, store: Store) -> None:
    assert call("AddInvoicePayment", invoiceid="6", transid="P1", gateway="paypal", amount="10.00",
                fees="0.59", date="2026-01-14 08:00:00") == {"result": "success"}
    assert (invoice(store, 6).status, balance(call, 6)) == ("Unpaid", "20.00")
    payment = store.transactions.rows[5]
    assert (payment.date, payment.amountin, payment.fees, payment.gateway, payment.transid,
            payment.userid) == ("2026-01-14 08:00:00", Decimal("10.00"), Decimal("0.59"), "paypal", "P1", 3)
    assert list(store.emails) == []


def test_payment_without_amount_pays_the_balance(call: CallAction, store: Store) -> None:
    call("AddInvoicePayment", invoiceid="5", transid="P2", gateway="mailin", date="2026-01-14 08:00:00")
    paid = invoice(store, 5)
    assert (paid.status, paid.datepaid, balance(call, 5)) == ("Paid", "2026-01-14 08:00:00", "0.00")
    assert store.transactions.rows[5].amountin == Decimal("4.00")
    assert [(e.template, e.relid, e.sent) for e in store.emails] == [
        ("Invoice Payment Confirmation", 5, True)]


@pytest.mark.parametrize("amount", ["0", "0.00", ""])
def test_a_zero_or_empty_amount_is_the_full_balance_as_php_reads_it(
    call: CallAction, store: Store, amount: str
) -> None:
    call("AddInvoicePayment", invoiceid="6", transid="P0", gateway="mailin", amount=amount, date="2026-01-14")
    assert (store.transactions.rows[5].amountin, store.transactions.rows[5].date) == (
        Decimal("30.00"), "2026-01-14 00:00:00")
    assert invoice(store, 6).status == "Paid"


def test_a_draft_paid_in_full_stays_a_draft(call: CallAction, store: Store) -> None:
    draft = call("CreateInvoice", userid="1", draft="1", itemdescription1="x", itemamount1="3")["invoiceid"]
    call("AddInvoicePayment", invoiceid=str(draft), transid="PD", gateway="mailin")
    assert (invoice(store, draft).status, balance(call, draft)) == ("Draft", "0.00")


def test_payment_without_date_is_dated_now_and_noemail_suppresses(call: CallAction, store: Store) -> None:
    call("AddInvoicePayment", invoiceid="6", transid="P3", gateway="mailin", amount="30", noemail="1")
    assert invoice(store, 6).datepaid == NOW
    assert [(e.sent, e.reason) for e in store.emails] == [(False, "AddInvoicePayment with noemail")]


def test_overpayment_becomes_client_credit(call: CallAction, store: Store) -> None:
    call("AddInvoicePayment", invoiceid="6", transid="P4", gateway="mailin", amount="35.00")
    assert invoice(store, 6).status == "Paid"
    assert store.clients.rows[3].credit == Decimal("15.00")
    assert call("GetCredits", clientid="3")["credits"]["credit"] == [
        {"id": 1, "date": "2026-01-15", "description": "Invoice #6 Overpayment", "amount": "5.00",
         "relid": 0}]


def test_payment_to_a_paid_invoice_is_all_credit(call: CallAction, store: Store) -> None:
    call("AddInvoicePayment", invoiceid="7", transid="P5", gateway="mailin", amount="3.00")
    paid = invoice(store, 7)
    assert (paid.status, paid.datepaid) == ("Paid", "2026-01-04 09:30:00")
    assert store.clients.rows[3].credit == Decimal("13.00")


@pytest.mark.parametrize(("params", "message"), [
    ({"invoiceid": "99"}, "Invoice ID Not Found"),
    ({"invoiceid": "abc"}, "Invoice ID Not Found"),
    ({"invoiceid": "6", "amount": "abc"}, "Amount must be in decimal format: ### or ###.##"),
    ({"invoiceid": "6", "amount": "-5"}, "Amount must be in decimal format: ### or ###.##"),
    ({"invoiceid": "6", "amount": {0: "1"}}, "Amount must be in decimal format: ### or ###.##"),
    ({"invoiceid": "6", "amount": "1" * 30}, "Amount must be in decimal format: ### or ###.##"),
])
def test_add_invoice_payment_errors(
    call: CallAction, store: Store, params: dict[str, Any], message: str
) -> None:
    assert refused(call, store, "AddInvoicePayment", transid="X", gateway="mailin", **params) == message


def test_a_cancelled_invoice_takes_no_payment(call: CallAction, store: Store) -> None:
    invoice(store, 6).status = "Cancelled"
    assert refused(call, store, "AddInvoicePayment", invoiceid="6", transid="X", gateway="mailin") == (
        "It is not possible to add a payment to an invoice that is Cancelled")


# --- payment-triggered setup ----------------------------------------------------------------------


def order_invoice(store: Store, pid: int) -> tuple[int, int]:
    """An order of ``pid`` as AddOrder leaves it; its invoice id and service id."""
    seeded = seed_order(store, pids=(pid,))
    assert seeded.invoice is not None
    return seeded.invoice.id, seeded.services[0].id


def test_paying_sets_up_a_product_that_sets_up_on_payment(call: CallAction, store: Store) -> None:
    invoiceid, serviceid = order_invoice(store, 6)
    call("AddInvoicePayment", invoiceid=str(invoiceid), transid="P6", gateway="mailin")
    assert store.services.rows[serviceid].status == "Active"
    assert store.orders.rows[1].status == "Pending"
    assert [(log.module, log.action, log.serviceid, log.response) for log in store.module_log] == [
        ("cpanel", "create", serviceid, "success")]
    assert [(e.template, e.relid) for e in store.emails] == [
        ("Invoice Payment Confirmation", invoiceid), ("Hosting Account Welcome Email", serviceid)]


def test_a_failing_module_on_payment_leaves_the_service_pending(call: CallAction, store: Store) -> None:
    invoiceid, serviceid = order_invoice(store, 7)
    assert call("AddInvoicePayment", invoiceid=str(invoiceid), transid="P7", gateway="mailin") == {
        "result": "success"}
    assert (invoice(store, invoiceid).status, store.services.rows[serviceid].status) == ("Paid", "Pending")
    assert [(log.module, log.response) for log in store.module_log] == [
        ("flaky", "Connection to provisioning server timed out")]


@pytest.mark.parametrize("pid", [1, 2, 8])
def test_paying_leaves_products_set_up_otherwise_alone(call: CallAction, store: Store, pid: int) -> None:
    invoiceid, serviceid = order_invoice(store, pid)
    call("AddInvoicePayment", invoiceid=str(invoiceid), transid="P8", gateway="mailin")
    assert store.services.rows[serviceid].status == "Pending"
    assert list(store.module_log) == []


def test_a_partial_payment_sets_nothing_up(call: CallAction, store: Store) -> None:
    invoiceid, serviceid = order_invoice(store, 6)
    call("AddInvoicePayment", invoiceid=str(invoiceid), transid="P9", gateway="mailin", amount="1.00")
    assert store.services.rows[serviceid].status == "Pending"


def test_accept_order_after_payment_keeps_the_active_service(call: CallAction, store: Store) -> None:
    invoiceid, serviceid = order_invoice(store, 6)
    call("AddInvoicePayment", invoiceid=str(invoiceid), transid="P10", gateway="mailin")
    assert call("AcceptOrder", orderid="1") == {"result": "success"}
    assert (store.orders.rows[1].status, store.services.rows[serviceid].status) == ("Active", "Active")
    # The module ran once, on payment; accepting did not run it again.
    assert len(store.module_log) == 1


# --- GetTransactions / AddTransaction -------------------------------------------------------------


@pytest.mark.parametrize(("params", "expected"), [
    ({}, [3, 4]),
    ({"clientid": "3"}, [3]),
    ({"invoiceid": "5"}, [4]),
    ({"transid": "DEP-1"}, [3]),
    ({"clientid": "1", "transid": "DEP-1"}, []),
    ({"invoiceid": "5", "clientid": "3"}, []),
])
def test_get_transactions_filters(call: CallAction, params: dict[str, str], expected: list[int]) -> None:
    answer = call("GetTransactions", **params)
    rows = answer["transactions"]["transaction"] if answer["transactions"] else []
    assert [row["id"] for row in rows] == expected
    assert (answer["totalresults"], answer["startnumber"], answer["numreturned"]) == (
        len(expected), 0, len(expected))


def test_add_transaction_from_the_pages_example(call: CallAction, store: Store) -> None:
    assert call("AddTransaction", paymentmethod="paypal", userid="1", transid="FJWEK32DWO329JFW",
                date="01/01/2016", description="A sample API payment", amountin="10.00", fees="0.89",
                rate="1.00000") == {"result": "success"}
    row = call("GetTransactions", transid="FJWEK32DWO329JFW")["transactions"]["transaction"][0]
    assert row == {"id": 5, "userid": 1, "currency": 0, "gateway": "paypal", "date": "2016-01-01 00:00:00",
                   "description": "A sample API payment", "amountin": "10.00", "fees": "0.89",
                   "amountout": "0.00", "rate": "1.00000", "transid": "FJWEK32DWO329JFW", "invoiceid": 0,
                   "refundid": 0}
    assert store.clients.rows[1].credit == Decimal("0.00")


def test_add_transaction_for_no_client_keeps_its_currency(call: CallAction, store: Store) -> None:
    call("AddTransaction", paymentmethod="banktransfer", currencyid="1", amountout="50", fees="-1.5",
         rate="0.87654", description="Server rent")
    row = store.transactions.rows[5]
    assert (row.userid, row.currency, row.amountout, row.fees, row.rate, row.date) == (
        0, 1, Decimal("50.00"), Decimal("-1.50"), Decimal("0.87654"), NOW)


def test_add_transaction_to_an_invoice_belongs_to_its_client(call: CallAction, store: Store) -> None:
    call("AddTransaction", paymentmethod="mailin", invoiceid="6", amountin="30", credit="1")
    assert (store.transactions.rows[5].userid, balance(call, 6)) == (3, "0.00")
    # Recorded only: AddTransaction does not mark the invoice paid, and credit needs no invoice.
    assert (invoice(store, 6).status, store.clients.rows[3].credit) == ("Unpaid", Decimal("10.00"))


def test_add_transaction_as_credit(call: CallAction, store: Store) -> None:
    call("AddTransaction", paymentmethod="mailin", userid="1", amountin="12.5", credit="1")
    assert store.clients.rows[1].credit == Decimal("12.50")
    logged = call("GetCredits", clientid="1")["credits"]["credit"][0]
    assert logged["description"] == "Manual Transaction Credit"


def test_add_transaction_reads_amounts_like_php(call: CallAction, store: Store) -> None:
    call("AddTransaction", paymentmethod="mailin", userid="1", amountin="abc", fees="1.5xyz",
         amountout={0: "9"}, rate="-2", date="not a date")
    row = store.transactions.rows[5]
    assert (row.amountin, row.fees, row.amountout, row.rate, row.date) == (
        Decimal("0.00"), Decimal("1.50"), Decimal("0.00"), Decimal("1.00000"), NOW)


def test_add_transaction_allows_a_duplicate_transid_when_asked(call: CallAction, store: Store) -> None:
    call("AddTransaction", paymentmethod="mailin", userid="3", transid="DEP-1", allowduplicatetransid="1")
    assert len(store.transactions.where("transid", "DEP-1")) == 2


@pytest.mark.parametrize(("params", "message"), [
    ({"userid": "99", "paymentmethod": "mailin"}, "Client ID Not Found"),
    ({"invoiceid": "99", "paymentmethod": "mailin"}, "Invoice ID Not Found"),
    ({"userid": "1", "invoiceid": "6", "paymentmethod": "mailin"},
     "User ID does not own the given Invoice ID"),
    ({"userid": "1", "currencyid": "9", "paymentmethod": "mailin"}, "Currency ID Not Found"),
    ({"paymentmethod": "mailin"}, "A Currency ID is required for non-customer related transactions"),
    ({"userid": "1"}, "Payment Method is required"),
    ({"userid": "1", "paymentmethod": {0: "mailin"}}, "Payment Method is required"),
    ({"userid": "1", "paymentmethod": "mailin", "transid": "TX-1"}, "Transaction ID must be Unique"),
])
def test_add_transaction_errors(call: CallAction, store: Store, params: dict[str, Any], message: str) -> None:
    assert refused(call, store, "AddTransaction", **params) == message


def test_add_transaction_currency_must_be_the_clients(call: CallAction, store: Store) -> None:
    # Client 1 pays in USD (currency 1); 2 is EUR.
    assert refused(call, store, "AddTransaction", userid="1", currencyid="2", paymentmethod="mailin") == (
        "Currency ID does not match Client currency")


# --- AddCredit / GetCredits -----------------------------------------------------------------------


def test_add_credit_from_the_pages_example(call: CallAction, store: Store) -> None:
    assert call("AddCredit", clientid="1", description="Adding funds via api", amount="12.34",
                adminid="1") == {"result": "success", "newbalance": "12.34"}
    assert call("GetCredits", clientid="1") == {
        "result": "success", "totalresults": 1, "clientid": 1,
        "credits": {"credit": [{"id": 1, "date": "2026-01-15", "description": "Adding funds via api",
                                "amount": "12.34", "relid": 0}]},
    }
    assert store.credits.rows[1].adminid == 1


def test_remove_credit_and_a_chosen_date(call: CallAction, store: Store) -> None:
    assert call("AddCredit", clientid="3", description="Refund <x>", amount="4", type="Remove",
                date="2026-01-02") == {"result": "success", "newbalance": "6.00"}
    logged = store.credits.rows[1]
    assert (logged.amount, logged.date, logged.description, logged.adminid) == (
        Decimal("-4.00"), "2026-01-02", "Refund &lt;x&gt;", 1)


def test_get_credits_of_a_client_without_entries(call: CallAction) -> None:
    assert call("GetCredits", clientid="3") == {"result": "success", "totalresults": 0, "clientid": 3,
                                                "credits": []}


@pytest.mark.parametrize(("params", "message"), [
    ({"clientid": "1", "amount": "1", "type": "take"}, "Type can only be add or remove"),
    ({"clientid": "99", "amount": "1"}, "Client ID Not Found"),
    ({"clientid": "1", "amount": "1", "adminid": "7"}, "Admin ID Not Found"),
    ({"clientid": "1"}, "No Amount Provided"),
    ({"clientid": "1", "amount": ""}, "No Amount Provided"),
    ({"clientid": "1", "amount": "abc"}, "Amount must be in decimal format: ### or ###.##"),
    ({"clientid": "1", "amount": "-5"}, "Amount must be in decimal format: ### or ###.##"),
    ({"clientid": "1", "amount": "1.234"}, "Amount must be in decimal format: ### or ###.##"),
    ({"clientid": "1", "amount": {0: "1"}}, "Amount must be in decimal format: ### or ###.##"),
    ({"clientid": "1", "amount": "1", "date": "15/01/2026"}, "Date Format is not Valid"),
    ({"clientid": "1", "amount": "1", "date": "2026-02-30"}, "Date Format is not Valid"),
])
def test_add_credit_errors(call: CallAction, store: Store, params: dict[str, Any], message: str) -> None:
    assert refused(call, store, "AddCredit", description="x", **params) == message


def test_get_credits_of_an_unknown_client(call: CallAction, store: Store) -> None:
    assert refused(call, store, "GetCredits", clientid="99") == "Client ID Not Found"


# --- ApplyCredit ----------------------------------------------------------------------------------


def test_apply_credit_reduces_the_balance(call: CallAction, store: Store) -> None:
    assert call("ApplyCredit", invoiceid="6", amount="10.00") == {
        "result": "success", "invoiceid": 6, "amount": "10.00", "invoicepaid": "false"}
    answer = call("GetInvoice", invoiceid="6")
    assert (answer["credit"], answer["total"], answer["balance"], answer["status"]) == (
        "10.00", "20.00", "20.00", "Unpaid")
    assert store.clients.rows[3].credit == Decimal("0.00")
    assert [(c.description, c.amount) for c in store.credits] == [
        ("Credit Applied to Invoice #6", Decimal("-10.00"))]


def test_apply_credit_that_clears_the_invoice_pays_it(call: CallAction, store: Store) -> None:
    invoiceid = call("CreateInvoice", userid="3", itemdescription1="x", itemamount1="6")["invoiceid"]
    answer = call("ApplyCredit", invoiceid=str(invoiceid), noemail="1")
    assert answer == {"result": "success", "invoiceid": invoiceid, "amount": "6.00", "invoicepaid": "true"}
    paid = invoice(store, invoiceid)
    assert (paid.status, paid.datepaid, paid.total) == ("Paid", NOW, Decimal("0.00"))
    assert [(e.template, e.sent) for e in store.emails][-1] == ("Invoice Payment Confirmation", False)


def test_apply_full_credit_takes_what_the_client_has(call: CallAction, store: Store) -> None:
    assert call("ApplyCredit", invoiceid="6", amount="full")["amount"] == "10.00"


@pytest.mark.parametrize(("params", "message"), [
    ({"invoiceid": "99"}, "Invoice ID Not Found"),
    ({"invoiceid": "7"}, "Invoice Not in Unpaid Status"),
    ({"invoiceid": "6", "amount": "10.01"}, "Amount exceeds customer credit balance"),
    ({"invoiceid": "6", "amount": "0"}, "Credit Amount to apply must be greater than zero"),
    ({"invoiceid": "6", "amount": "-5"}, "Credit Amount to apply must be greater than zero"),
    ({"invoiceid": "6", "amount": "abc"}, "Credit Amount to apply must be greater than zero"),
    ({"invoiceid": "6", "amount": {0: "1"}}, "Credit Amount to apply must be greater than zero"),
    # Client 1 has no credit.
    ({"invoiceid": "5"}, "Credit Amount to apply must be greater than zero"),
])
def test_apply_credit_errors(call: CallAction, store: Store, params: dict[str, Any], message: str) -> None:
    assert refused(call, store, "ApplyCredit", **params) == message


def test_apply_credit_beyond_the_balance(call: CallAction, store: Store) -> None:
    invoiceid = call("CreateInvoice", userid="3", itemdescription1="x", itemamount1="6")["invoiceid"]
    assert refused(call, store, "ApplyCredit", invoiceid=str(invoiceid), amount="7") == (
        "Amount Exceeds Invoice Balance")
