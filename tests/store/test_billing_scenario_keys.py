"""The scenario's billing sections: every key of ``invoices`` (with items and payments) and
``transactions`` reaches a record, and a reference to nothing is refused with its file and line."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any

import pytest

from mockwhmcs.store.scenario import _SCHEMA, ScenarioError, parse_scenario
from mockwhmcs.store.store import Store

BILLING = """\
extends: default
invoices:
  - id: 4
    client: 1
    status: Payment Pending
    date: "2026-01-02"
    duedate: "2026-01-09"
    datepaid: "2026-01-03 04:05:06"
    paymentmethod: paypal
    notes: Seeded note
    taxrate: 20
    items: [{id: 9, type: Hosting, relid: 10, description: Line, amount: 12.50, taxed: true}]
    payments: [{transid: TX-9, gateway: banktransfer, amount: 3.25, date: "2026-01-04 01:02:03", fees: 0.15}]
transactions:
  - {id: 2, client: 1, invoice: 4, date: "2026-01-05 06:07:08", gateway: mailin, description: Refund,
     transid: RF-1, amountin: 0, fees: 0.20, amountout: 1.75}
"""

# Each schema key, and the record field the value above must arrive in.
INVOICE_KEYS = {
    "id": ("id", 4), "client": ("userid", 1), "status": ("status", "Payment Pending"),
    "date": ("date", "2026-01-02"), "duedate": ("duedate", "2026-01-09"),
    "datepaid": ("datepaid", "2026-01-03 04:05:06"), "paymentmethod": ("paymentmethod", "paypal"),
    "notes": ("notes", "Seeded note"), "taxrate": ("taxrate", Decimal("20")),
}
ITEM_KEYS = {
    "id": ("id", 9), "type": ("type", "Hosting"), "relid": ("relid", 10),
    "description": ("description", "Line"), "amount": ("amount", Decimal("12.50")), "taxed": ("taxed", True),
}
PAYMENT_KEYS = {
    "transid": ("transid", "TX-9"), "gateway": ("gateway", "banktransfer"),
    "amount": ("amountin", Decimal("3.25")), "date": ("date", "2026-01-04 01:02:03"),
    "fees": ("fees", Decimal("0.15")),
}
TRANSACTION_KEYS = {
    "id": ("id", 2), "client": ("userid", 1), "invoice": ("invoiceid", 4),
    "date": ("date", "2026-01-05 06:07:08"), "gateway": ("gateway", "mailin"),
    "description": ("description", "Refund"), "transid": ("transid", "RF-1"),
    "amountin": ("amountin", Decimal("0")), "fees": ("fees", Decimal("0.20")),
    "amountout": ("amountout", Decimal("1.75")),
}


def store_of(text: str) -> Store:
    return Store(parse_scenario(textwrap.dedent(text), "shop.yaml"))


def schema_keys(definition: str, *path: str) -> set[str]:
    schema: dict[str, Any] = _SCHEMA["$defs"][definition]
    for key in path:
        schema = schema["properties"][key]["items"]
    return set(schema["properties"])


def arrived(row: Any, keys: dict[str, tuple[str, Any]]) -> None:
    for key, (field, value) in keys.items():
        assert getattr(row, field) == value, f"{key} did not reach {type(row).__name__}.{field}"


def test_every_invoice_key_reaches_a_record() -> None:
    assert set(INVOICE_KEYS) | {"items", "payments"} == schema_keys("invoice")
    assert set(ITEM_KEYS) == schema_keys("invoice", "items")
    assert set(PAYMENT_KEYS) == schema_keys("invoice", "payments")
    store = store_of(BILLING)
    invoice = store.invoices.rows[4]
    arrived(invoice, INVOICE_KEYS)
    arrived(store.invoiceitems.rows[9], ITEM_KEYS)
    # Payments are numbered after the transactions the scenario lists.
    arrived(store.transactions.rows[3], PAYMENT_KEYS)
    payment = store.transactions.rows[3]
    assert (payment.invoiceid, payment.userid, payment.description) == (4, 1, "Invoice Payment")
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("12.50"), Decimal("2.50"), Decimal("15.00"))


def test_every_transaction_key_reaches_a_record() -> None:
    assert set(TRANSACTION_KEYS) == schema_keys("transaction")
    arrived(store_of(BILLING).transactions.rows[2], TRANSACTION_KEYS)


def test_new_records_are_numbered_after_the_seeded_ones() -> None:
    store = store_of(BILLING)
    assert (store.invoices.next_id, store.invoiceitems.next_id, store.transactions.next_id) == (5, 10, 4)


def test_an_invoice_left_undated_is_dated_and_due_today() -> None:
    invoice = store_of("extends: default\ninvoices: [{client: 1}]\n").invoices.rows[1]
    assert (invoice.date, invoice.duedate, invoice.status, invoice.total) == (
        "2026-01-15", "2026-01-15", "Unpaid", Decimal("0.00"))


@pytest.mark.parametrize(("text", "problem"), [
    ("invoices:\n  - {client: 9}\n", "shop.yaml:3: invoices[0].client: no client with id 9"),
    ("transactions:\n  - {client: 9, date: \"2026-01-01 00:00:00\"}\n",
     "shop.yaml:3: transactions[0].client: no client with id 9"),
    ("transactions:\n  - {client: 1, invoice: 3, date: \"2026-01-01 00:00:00\"}\n",
     "shop.yaml:3: transactions[0].invoice: no invoice with id 3"),
])
def test_references_to_nothing_are_refused_with_file_and_line(text: str, problem: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario("extends: default\n" + text, "shop.yaml")
    assert caught.value.problems == [problem]


def test_a_payment_needs_an_amount_and_a_date() -> None:
    with pytest.raises(ScenarioError) as caught:
        text = "extends: default\ninvoices:\n  - client: 1\n    payments: [{transid: X}]\n"
        parse_scenario(text, "shop.yaml")
    assert caught.value.problems == [
        "shop.yaml:4: invoices[0].payments[0]: missing required key 'amount'",
        "shop.yaml:4: invoices[0].payments[0]: missing required key 'date'",
    ]
