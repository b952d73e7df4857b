"""What the AddOrder tests share: their scenario, a request with sensible defaults, PHP serialized arrays."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import phpserialize
import pytest

from mockwhmcs.errors import ApiError
from mockwhmcs.store.models import Invoice, InvoiceItem
from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction
from tests.support import TEST_SCENARIOS

# The default scenario plus records in every state the checks look at (see the file's description).
ADDORDER_SCENARIO = str(TEST_SCENARIOS / "addorder.yaml")
DOCUMENTED_SCENARIO = str(TEST_SCENARIOS / "addorder_documented.yaml")
SEED_SCENARIO = str(TEST_SCENARIOS / "seed_example.yaml")

TODAY = "2026-01-15"
NOW = "2026-01-15 10:00:00"


def serialized(value: dict[Any, Any]) -> str:
    """``base64_encode(serialize($value))``, how PHP clients send customfields, configoptions and
    domainfields. PHP turns the key "1" into the integer 1, so tests write integer keys."""
    return base64.b64encode(phpserialize.dumps(value)).decode()


def add_order(call: CallAction, **params: Any) -> dict[str, Any]:
    """AddOrder for the active client 1 paying by mail, with ``params`` on top (None leaves one out)."""
    merged = {"clientid": "1", "paymentmethod": "mailin", **params}
    return call("AddOrder", **{name: value for name, value in merged.items() if value is not None})


def refusal(call: CallAction, **params: Any) -> str:
    """The message AddOrder refuses ``params`` with."""
    with pytest.raises(ApiError) as raised:
        add_order(call, **params)
    assert raised.value.http_status == 200
    return raised.value.message


def items_of(store: Store, invoice: Invoice) -> list[InvoiceItem]:
    return store.invoiceitems.where("invoiceid", invoice.id)


def billed(store: Store, invoiceid: int) -> list[tuple[str, int, Decimal]]:
    """(type, relid, amount) of every item on the invoice, in order."""
    invoice = store.invoices.get(invoiceid)
    assert invoice is not None
    return [(item.type, item.relid, item.amount) for item in items_of(store, invoice)]


def assert_invoice_adds_up(store: Store, orderid: int) -> Invoice:
    """The order's invoice totals the sum of its items, and that sum is the order's amount."""
    order = store.orders.get(orderid)
    assert order is not None
    invoice = store.invoices.get(order.invoiceid)
    assert invoice is not None
    items = sum((item.amount for item in items_of(store, invoice)), Decimal("0.00"))
    assert invoice.total == invoice.subtotal == items == order.amount
    return invoice
