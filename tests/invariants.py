"""What must hold of the store whatever clients send, however many at once: the fuzz and stress tests
check it after every request or run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from mockwhmcs.actions.orders import ORDER_STATUSES
from mockwhmcs.actions.support import PRIORITIES, STATUSES
from mockwhmcs.store.store import RECORD_TABLES, Store
from mockwhmcs.store.tables import Table

_ORDERNUM = re.compile(r"[1-9][0-9]{9}")


def check_invariants(store: Store) -> None:
    """AssertionError listing every broken invariant."""
    with store.lock:
        problems = list(_problems(store))
    assert not problems, "store invariants broken:\n" + "\n".join(problems[:20])


def _problems(store: Store) -> Iterator[str]:
    for name, table in store.tables().items():
        yield from _table_problems(name, table)
    clients, orders, invoices = store.clients.rows, store.orders.rows, store.invoices.rows
    ordernums = [order.ordernum for order in orders.values()]
    if len(set(ordernums)) != len(ordernums):
        yield "two orders share an ordernum"
    for order in orders.values():
        if not _ORDERNUM.fullmatch(order.ordernum):
            yield f"order {order.id}: ordernum {order.ordernum!r} is not ten digits"
        if order.status not in ORDER_STATUSES:
            yield f"order {order.id}: status {order.status!r}"
        if order.userid not in clients:
            yield f"order {order.id}: client {order.userid} does not exist"
        invoice = invoices.get(order.invoiceid)
        if order.invoiceid and invoice is None:
            yield f"order {order.id}: invoice {order.invoiceid} does not exist"
        # An invoice's lines can be edited (UpdateInvoice) after the order: only an untouched one agrees.
        untouched = invoice is not None and invoice.created_at == invoice.updated_at
        if invoice is not None and untouched and invoice.subtotal != order.amount:
            yield f"order {order.id}: amount {order.amount} but its invoice totals {invoice.subtotal}"
    for table in (store.services, store.service_addons, store.domains):
        for item in table:
            order = orders.get(item.orderid)
            if item.orderid and order is None:
                yield f"{type(item).__name__} {item.id}: order {item.orderid} does not exist"
            if order is not None and order.userid != item.userid:
                yield f"{type(item).__name__} {item.id}: client {item.userid}, its order's is {order.userid}"
    yield from _ticket_problems(store)
    owners: dict[int, int] = {}
    for link in store.user_clients:
        if link.auth_user_id not in store.users.rows or link.client_id not in clients:
            yield f"user link {link.id}: user {link.auth_user_id} or client {link.client_id} does not exist"
        owners[link.client_id] = owners.get(link.client_id, 0) + link.owner
    for client_id in clients:
        if owners.get(client_id) != 1:
            yield f"client {client_id}: {owners.get(client_id, 0)} owner users, not one"
    totals: dict[int, Decimal] = {}
    for item in store.invoiceitems:
        if item.invoiceid not in invoices:
            yield f"invoice item {item.id}: invoice {item.invoiceid} does not exist"
        totals[item.invoiceid] = totals.get(item.invoiceid, Decimal("0.00")) + item.amount
    for invoice in invoices.values():
        items_total = totals.get(invoice.id, Decimal("0.00"))
        if invoice.subtotal != items_total:
            yield f"invoice {invoice.id}: subtotal {invoice.subtotal}, items {items_total}"
        if invoice.total != invoice.subtotal + invoice.tax + invoice.tax2 - invoice.credit:
            yield f"invoice {invoice.id}: total {invoice.total} is not subtotal + taxes - credit"


def _ticket_problems(store: Store) -> Iterator[str]:
    tickets = store.tickets.rows
    tids = [ticket.tid for ticket in tickets.values()]
    if len(set(tids)) != len(tids):
        yield "two tickets share a tid"
    statuses = {status.title for status in STATUSES}
    for ticket in tickets.values():
        if ticket.status not in statuses or ticket.urgency not in PRIORITIES:
            yield f"ticket {ticket.id}: status {ticket.status!r}, priority {ticket.urgency!r}"
        if ticket.did not in store.catalog.support_departments:
            yield f"ticket {ticket.id}: department {ticket.did} does not exist"
        if ticket.userid and ticket.userid not in store.clients.rows:
            yield f"ticket {ticket.id}: client {ticket.userid} does not exist"
    for reply in store.ticket_replies:
        if reply.tid not in tickets:
            yield f"ticket reply {reply.id}: ticket {reply.tid} does not exist"
    for note in store.ticket_notes:
        if note.ticketid not in tickets:
            yield f"ticket note {note.id}: ticket {note.ticketid} does not exist"


def _table_problems(name: str, table: Table[Any]) -> Iterator[str]:
    """Ids match their keys and are never handed out again; every index finds exactly its rows."""
    for row_id, row in table.rows.items():
        if row.id != row_id:
            yield f"{name}: row {row.id} filed under id {row_id}"
    if table.rows and table.next_id <= max(table.rows):
        yield f"{name}: next id {table.next_id} would reuse an id"
    for field in RECORD_TABLES[name]:
        expected: dict[Any, list[int]] = {}
        # where() answers in id order, also when a scenario lists rows out of it (an addon or domain
        # id below the default scenario's).
        for row in sorted(table, key=lambda row: row.id):
            expected.setdefault(getattr(row, field), []).append(row.id)
        for value, ids in expected.items():
            if [row.id for row in table.where(field, value)] != ids:
                yield f"{name}: the {field} index is out of step for {value!r}"
