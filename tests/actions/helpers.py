"""Action-test helpers: seed orders straight into the store (as AddOrder leaves them), catch errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from mockwhmcs.errors import ApiError
from mockwhmcs.store.models import Domain, Invoice, InvoiceItem, Order, Service, ServiceAddon
from mockwhmcs.store.store import Store

TODAY = "2026-01-15"


@dataclass
class Seeded:
    order: Order
    services: list[Service] = field(default_factory=list)
    addons: list[ServiceAddon] = field(default_factory=list)
    domains: list[Domain] = field(default_factory=list)
    invoice: Invoice | None = None


def seed_order(
    store: Store,
    *,
    userid: int = 1,
    status: str = "Pending",
    pids: tuple[int, ...] = (1,),
    addons: tuple[int, ...] = (),
    domains: tuple[tuple[str, str], ...] = (),
    invoice_status: str | None = "Unpaid",
    paymentmethod: str = "mailin",
) -> Seeded:
    """An order of ``pids`` (addons go on the first service), ``domains`` as (name, Register|Transfer).

    Items take the order's status (a Pending transfer is "Pending" too, as AddOrder leaves it).
    """
    order_id = store.orders.new_id()
    seeded = Seeded(store.orders.add(Order(
        id=order_id, ordernum=str(1000000000 + order_id), userid=userid, date=f"{TODAY} 10:00:00",
        status=status, requestor_id=userid, amount=Decimal("0.00"), paymentmethod=paymentmethod,
        ipaddress="127.0.0.1",
    )))
    for pid in pids:
        seeded.services.append(store.services.add(Service(
            id=store.services.new_id(), userid=userid, orderid=order_id, packageid=pid, regdate=TODAY,
            billingcycle="Monthly", status=status, domain=f"site{order_id}.example.com",
            paymentmethod=paymentmethod, firstpaymentamount=Decimal("6.00"), amount=Decimal("5.00"),
            nextduedate=TODAY,
        )))
    for addonid in addons:
        seeded.addons.append(store.service_addons.add(ServiceAddon(
            id=store.service_addons.new_id(), orderid=order_id, hostingid=seeded.services[0].id,
            addonid=addonid, userid=userid, name="", billingcycle="Monthly", regdate=TODAY, status=status,
            recurring=Decimal("2.00"), nextduedate=TODAY, paymentmethod=paymentmethod,
        )))
    for name, kind in domains:
        seeded.domains.append(store.domains.add(Domain(
            id=store.domains.new_id(), userid=userid, orderid=order_id, domain=name, type=kind,
            registrationdate=TODAY, status=status, firstpaymentamount=Decimal("9.95"),
            recurringamount=Decimal("9.95"), paymentmethod=paymentmethod,
        )))
    if invoice_status is not None:
        seeded.invoice = _invoice(store, seeded, invoice_status)
        seeded.order.invoiceid = seeded.invoice.id
    seeded.order.amount = sum(
        (*(s.firstpaymentamount for s in seeded.services), *(a.recurring for a in seeded.addons),
         *(d.firstpaymentamount for d in seeded.domains)),
        Decimal("0.00"),
    )
    return seeded


def _invoice(store: Store, seeded: Seeded, status: str) -> Invoice:
    invoice = store.invoices.add(Invoice(
        id=store.invoices.new_id(), userid=seeded.order.userid, date=TODAY, duedate=TODAY, status=status,
        paymentmethod=seeded.order.paymentmethod,
    ))
    lines = [
        *(("Hosting", s.id, s.firstpaymentamount) for s in seeded.services),
        *(("Addon", a.id, a.recurring) for a in seeded.addons),
        *((f"Domain{d.type}", d.id, d.firstpaymentamount) for d in seeded.domains),
    ]
    for kind, relid, amount in lines:
        store.invoiceitems.add(InvoiceItem(
            id=store.invoiceitems.new_id(), invoiceid=invoice.id, userid=invoice.userid, type=kind,
            relid=relid, description=f"{kind} #{relid}", amount=amount,
        ))
    invoice.subtotal = invoice.total = sum((amount for _, _, amount in lines), Decimal("0.00"))
    return invoice


def api_error(call: Callable[..., dict[str, Any]], action: str, **params: Any) -> ApiError:
    """The ApiError an action call raises (failing the test if it answers instead)."""
    with pytest.raises(ApiError) as raised:
        call(action, **params)
    return raised.value
