"""Invoices: billable lines become one Unpaid invoice with one item per line and totals that add up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .models import ZERO, Invoice, InvoiceItem
from .pricing import invoice_totals
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
    today, now = store.today(), store.now()
    total = sum((line.amount for line in lines), ZERO)
    invoice = store.invoices.add(Invoice(
        id=store.invoices.new_id(), userid=userid, date=today, duedate=today, subtotal=total,
        total=total, paymentmethod=paymentmethod, created_at=now, updated_at=now,
    ))
    for line in lines:
        store.invoiceitems.add(InvoiceItem(
            id=store.invoiceitems.new_id(), invoiceid=invoice.id, userid=userid, type=line.type,
            relid=line.relid, description=line.description, amount=line.amount, duedate=today,
            paymentmethod=paymentmethod,
        ))
    return invoice


def update_totals(store: Store, invoice: Invoice) -> None:
    """Recompute an invoice's subtotal, taxes and total after its items, rates or credit changed."""
    invoice_totals(invoice, store.invoiceitems.where("invoiceid", invoice.id))
    invoice.updated_at = store.now()


def amount_paid(store: Store, invoice: Invoice) -> Decimal:
    """What the invoice's transactions brought in, net of what they paid back out (refunds)."""
    return sum((t.amountin - t.amountout for t in store.transactions.where("invoiceid", invoice.id)), ZERO)


def balance(store: Store, invoice: Invoice) -> Decimal:
    """What is left to pay: the total (already net of credit applied) less the payments."""
    return invoice.total - amount_paid(store, invoice)
