"""What the dashboard shows of each record table: its columns, declared once, and the tables a record's
own page lists beside it (a client's orders, an invoice's items).

A table joins the dashboard with one ``Listing`` in ``LISTINGS``; its list page, paged newest first,
and a page per record follow from that. Cells are worked out under the store lock, a page's rows only
(paging.py), so a page renders from plain values while the API carries on.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import url_for

from ..store.pricing import money
from ..store.snapshot import REDACTED, SECRET_FIELDS
from ..store.store import Store

# Fields holding another record's id, and the table that record is in: shown as a link to it.
REFERENCES = {"userid": "clients", "clientid": "clients", "orderid": "orders", "invoiceid": "invoices",
              "serviceid": "services", "hostingid": "services", "ticketid": "tickets"}
# Records carry WHMCS's clock (frozen or shifted by the scenario), the journal the machine's: say which.
WHMCS_TIME = "(WHMCS time)"


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str
    anchor: str = ""  # the element id a row's own link carries, for a keyboard or a test to find it


@dataclass(frozen=True, slots=True)
class Column:
    heading: str
    value: Callable[[Any, Store], Any]  # (row, store) -> text, a number, or a Link
    kind: str = "text"  # how the cell is set: text, number (right-aligned), status (a badge), prewrap


@dataclass(frozen=True, slots=True)
class Related:
    """A table a record's page lists: the rows whose indexed ``field`` equals the record's ``key``."""

    table: str
    field: str
    key: str = "id"


@dataclass(frozen=True, slots=True)
class Listing:
    table: str  # its name in store.tables(), and its page's address under /_mock/ui/
    title: str  # "Invoice items"
    noun: str  # a row's link reads "<noun> <id>"
    columns: tuple[Column, ...]
    related: tuple[Related, ...] = ()
    nav: bool = True  # in the header's links (tables seen mostly from their parent's page are not)


def record_url(table: str, row_id: int) -> str:
    # An order has its own page, with the buttons that send order actions.
    if table == "orders":
        return url_for(".order", order_id=row_id)
    return url_for(".record", table=table, row_id=row_id)


def reference(table: str, row_id: int) -> Link | str:
    """A link to the record ``row_id`` of ``table``; "—" for WHMCS's 0, meaning none."""
    if not row_id:
        return "—"
    listing = LISTINGS.get(table)
    return Link(f"{listing.noun if listing else table} {row_id}", record_url(table, row_id))


def money_of(store: Store, userid: int, amount: Decimal) -> str:
    """``amount`` in the client's currency, as WHMCS's admin area shows it: "$6.00 USD"."""
    client = store.clients.get(userid)
    currencies = store.catalog.currencies
    currency = (currencies.get(client.currency) if client else None) or store.catalog.default_currency
    return f"{currency.prefix}{money(amount)}{currency.suffix}"


def client_name(store: Store, userid: int) -> str:
    client = store.clients.get(userid)
    return f"{client.firstname} {client.lastname}" if client else ""


# --- column kinds ------------------------------------------------------------------------------------


def _field(name: str) -> Callable[[Any, Store], Any]:
    return lambda row, _: getattr(row, name)


def text(heading: str, name: str, kind: str = "text") -> Column:
    return Column(heading, _field(name), kind)


def status(heading: str = "Status") -> Column:
    return Column(heading, _field("status"), "status")


def date(heading: str, name: str) -> Column:
    return Column(f"{heading} {WHMCS_TIME}", _field(name))


def amount(heading: str, name: str, owner: str = "userid") -> Column:
    """Money in the currency of the client whose id is in the field ``owner``."""
    return Column(heading, lambda row, store: money_of(store, getattr(row, owner), getattr(row, name)),
                  "number")


def ref(heading: str, name: str) -> Column:
    table = REFERENCES[name]
    return Column(heading, lambda row, _: reference(table, getattr(row, name)))


CLIENT = Column("Client", lambda row, store: Link(client_name(store, row.userid) or f"Client {row.userid}",
                                                  record_url("clients", row.userid)))


def _payment_status(order: Any, store: Store) -> str:
    # WHMCS's order list shows the invoice's status as the order's payment status.
    invoice = store.invoices.get(order.invoiceid)
    return invoice.status if invoice else ""


def _product(service: Any, store: Store) -> str:
    product = store.catalog.products.get(service.packageid)
    return product.name if product else f"product {service.packageid}"


def _addon(addon: Any, store: Store) -> str:
    # WHMCS keeps a name on the service addon only for a custom one; otherwise it is the catalog's.
    catalog_addon = store.catalog.addons.get(addon.addonid)
    return addon.name or (catalog_addon.name if catalog_addon is not None else "")


def _sent(email: Any, _: Store) -> str:
    return "sent" if email.sent else f"not sent: {email.reason}" if email.reason else "not sent"


_LISTINGS = (
    Listing("clients", "Clients", "Client", (
        Column("Name", lambda row, store: client_name(store, row.id)), text("Company", "companyname"),
        text("Email", "email"), status(), amount("Credit", "credit", owner="id"),
        date("Created", "datecreated"),
    ), related=(Related("orders", "userid"), Related("services", "userid"), Related("domains", "userid"),
                Related("invoices", "userid"), Related("transactions", "userid"),
                Related("credits", "clientid"), Related("emails", "userid"))),
    Listing("orders", "Orders", "Order", (
        text("Order number", "ordernum"), CLIENT, status(), amount("Amount", "amount"),
        Column("Payment status", _payment_status, "status"), date("Date", "date"),
    ), related=(Related("services", "orderid"), Related("service_addons", "orderid"),
                Related("domains", "orderid"), Related("invoiceitems", "invoiceid", key="invoiceid"))),
    Listing("services", "Services", "Service", (
        Column("Product", _product), CLIENT, text("Domain", "domain"), text("Billing cycle", "billingcycle"),
        amount("Recurring", "amount"), status(), date("Next due", "nextduedate"), ref("Order", "orderid"),
    ), related=(Related("service_addons", "hostingid"), Related("module_log", "serviceid"))),
    Listing("service_addons", "Service addons", "Addon", (
        Column("Addon", _addon), ref("On service", "hostingid"), CLIENT,
        text("Billing cycle", "billingcycle"), amount("Recurring", "recurring"), status(),
        ref("Order", "orderid"),
    ), nav=False),
    Listing("domains", "Domains", "Domain", (
        text("Domain", "domain"), CLIENT, text("Type", "type"), text("Years", "registrationperiod", "number"),
        status(), text("Registrar", "registrar"), date("Expires", "expirydate"), ref("Order", "orderid"),
    )),
    Listing("invoices", "Invoices", "Invoice", (
        CLIENT, date("Date", "date"), date("Due", "duedate"), amount("Total", "total"), status(),
        text("Payment method", "paymentmethod"),
    ), related=(Related("invoiceitems", "invoiceid"), Related("transactions", "invoiceid"))),
    Listing("invoiceitems", "Invoice items", "Item", (
        ref("Invoice", "invoiceid"), text("Type", "type"), text("Description", "description", "prewrap"),
        amount("Amount", "amount"),
    ), nav=False),
    Listing("transactions", "Transactions", "Transaction", (
        date("Date", "date"), CLIENT, text("Gateway", "gateway"), text("Transaction id", "transid"),
        amount("In", "amountin"), amount("Fees", "fees"), amount("Out", "amountout"),
        ref("Invoice", "invoiceid"),
    )),
    Listing("credits", "Credit log", "Credit entry", (
        date("Date", "date"), ref("Client", "clientid"), text("Description", "description", "prewrap"),
        amount("Amount", "amount", owner="clientid"),
    )),
    Listing("tickets", "Tickets", "Ticket", (
        text("Number", "tid"), text("Subject", "title"), CLIENT, status(), text("Priority", "urgency"),
        date("Opened", "date"), date("Last reply", "lastreply"),
    ), related=(Related("ticket_notes", "ticketid"),)),
    Listing("ticket_replies", "Ticket replies", "Reply", (
        Column("Ticket", lambda row, _: reference("tickets", row.tid)), date("Date", "date"),
        Column("From", lambda row, store: row.admin or client_name(store, row.userid) or row.name),
        text("Message", "message", "prewrap"),
    ), nav=False),
    Listing("ticket_notes", "Ticket notes", "Note", (
        ref("Ticket", "ticketid"), date("Date", "date"), text("Admin", "admin"),
        text("Note", "message", "prewrap"),
    ), nav=False),
    Listing("emails", "Emails", "Email", (
        date("Date", "date"), CLIENT, text("Template", "template"), text("About id", "relid", "number"),
        Column("Sent", _sent),
    )),
    Listing("module_log", "Module log", "Module call", (
        date("Date", "date"), text("Module", "module"), text("Command", "action"),
        ref("Service", "serviceid"), text("Response", "response"),
    )),
)
LISTINGS: dict[str, Listing] = {listing.table: listing for listing in _LISTINGS}


# --- what a page shows ---------------------------------------------------------------------------------


def cells(listing: Listing, row: Any, store: Store) -> list[Any]:
    """One row as its page shows it: a link to the record, then a value per column."""
    anchor = f"{listing.noun.lower().replace(' ', '-')}-{row.id}"
    return [Link(f"{listing.noun} {row.id}", record_url(listing.table, row.id), anchor),
            *(column.value(row, store) for column in listing.columns)]


def facts(row: Any) -> list[tuple[str, Any]]:
    """Every field of a record under WHMCS's column name: other records' ids as links, money as
    "8.00", secrets masked."""
    return [(field.name, _fact(field.name, getattr(row, field.name))) for field in dataclasses.fields(row)]


def _fact(name: str, value: Any) -> Any:
    if name in SECRET_FIELDS:
        return REDACTED if value else ""
    if name in REFERENCES:
        return reference(REFERENCES[name], value)
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return json.dumps({str(key): item for key, item in value.items()}, ensure_ascii=False)
    return value
