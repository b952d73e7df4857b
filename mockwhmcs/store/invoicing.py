"""Invoices: billable lines become one Unpaid invoice with one item per line and totals that add up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .models import ZERO, Invoice, InvoiceItem
from .store import Store


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One thing an invoice charges for.

    ``type`` is WHMCS's item type: Hosting, Addon, DomainRegister, DomainTransfer, Domain (a renewal),
    and PromoHosting, PromoAddon or PromoDomain for a promotion's (negative) discount. ``relid`` is the
    id of the service, service addon or domain the line bills.
    """

    type: str
    relid: int
    description: str
    amount: Decimal


def create_invoice(store: Store, userid: int, lines: Sequence[InvoiceLine], paymentmethod: str) -> Invoice:
    """Write an Unpaid invoice for ``lines``, dated and due today, and its items.

    No tax is configured in a scenario, so the total is the subtotal: the sum of the items.
    """
    today = store.today()
    total = sum((line.amount for line in lines), ZERO)
    invoice = store.invoices.add(Invoice(
        id=store.invoices.new_id(), userid=userid, date=today, duedate=today, subtotal=total,
        total=total, paymentmethod=paymentmethod,
    ))
    for line in lines:
        store.invoiceitems.add(InvoiceItem(
            id=store.invoiceitems.new_id(), invoiceid=invoice.id, userid=userid, type=line.type,
            relid=line.relid, description=line.description, amount=line.amount, duedate=today,
            paymentmethod=paymentmethod,
        ))
    return invoice
