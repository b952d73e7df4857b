"""Billing: invoices (GetInvoice, GetInvoices, CreateInvoice, UpdateInvoice), payments and transactions
(AddInvoicePayment, GetTransactions, AddTransaction) and client credit (AddCredit, ApplyCredit, GetCredits).

An invoice's balance is never stored: it is the total (net of the credit applied) less what its
transactions brought in, as WHMCS works it out (``invoicing.balance``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..errors import ApiError
from ..php import html_clean, intval, truthy
from ..store.cart import override_amount
from ..store.invoicing import balance, update_totals
from ..store.models import NO_TIME, ZERO, Client, Credit, Invoice, InvoiceItem, Transaction
from ..store.pricing import money, to_decimal
from ..store.store import Store
from .common import (
    caller_admin_id,
    client_currency,
    page_bounds,
    paginate,
    record_email,
    set_up_service,
    table_page,
)
from .registry import Call, Response, action

INVOICE_STATUSES = ("Draft", "Unpaid", "Paid", "Cancelled", "Refunded", "Collections", "Payment Pending")
# Statuses of an invoice that is still owed: a payment or credit that clears it marks it Paid.
OWED = ("Unpaid", "Payment Pending", "Collections")
NOT_FOUND = "Invoice ID Not Found"
AMOUNT_FORMAT = "Amount must be in decimal format: ### or ###.##"
PAYMENT_CONFIRMATION = "Invoice Payment Confirmation"
_DECIMAL = re.compile(r"\d+(\.\d{1,2})?")
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_RATE = re.compile(r"\s*(\d{1,12}(\.\d*)?|\.\d+)")
_MAX_RATE = Decimal("100000")


# --- shared shapes -------------------------------------------------------------------------------


def _places(value: Decimal, places: int) -> str:
    """A rate as WHMCS's decimal columns hold it: tax rates with 3 places, exchange rates with 5."""
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _transaction(row: Transaction) -> dict[str, Any]:
    return {
        "id": row.id,
        "userid": row.userid,
        "currency": row.currency,
        "gateway": row.gateway,
        "date": row.date,
        "description": row.description,
        "amountin": money(row.amountin),
        "fees": money(row.fees),
        "amountout": money(row.amountout),
        "rate": _places(row.rate, 5),
        "transid": row.transid,
        "invoiceid": row.invoiceid,
        "refundid": row.refundid,
    }


def _invoice(call: Call) -> Invoice:
    invoice = call.store.invoices.get(call.int("invoiceid"))
    if invoice is None:
        raise ApiError(NOT_FOUND)
    return invoice


def _client(store: Store, clientid: int) -> Client:
    client = store.clients.get(clientid)
    if client is None:
        raise ApiError("Client ID Not Found")
    return client


def _status(text: str) -> str:
    """A status as WHMCS spells it, whatever the case it was sent in; unknown ones are refused."""
    for status in INVOICE_STATUSES:
        if status.lower() == text.lower():
            return status
    raise ApiError(f"Invalid status {text}")


def _day(text: str) -> str | None:
    """A ``YYYY-MM-DD`` date that exists, else None."""
    try:
        return datetime.strptime(text, "%Y-%m-%d").strftime("%Y-%m-%d") if len(text) == 10 else None
    except ValueError:
        return None


def _moment(call: Call, name: str, formats: tuple[str, ...]) -> str:
    """A date or time parameter in one of ``formats`` as WHMCS stores it (``Y-m-d H:i:s``); now when it
    is absent or unreadable. A date without a time is midnight."""
    text = call.text(name).strip()
    for form in formats:
        try:
            return datetime.strptime(text, form).strftime(_TIME_FORMAT)
        except ValueError:
            continue
    return call.store.now()


def _float(call: Call, name: str) -> Decimal:
    """An amount read like PHP's ``(float)`` cast ("12abc" is 12, "abc" is 0), 0 when absent."""
    amount = override_amount(call.params.get(name))
    return ZERO if amount is None else amount


def _add_credit(
    store: Store, client: Client, amount: Decimal, description: str, *, date: str = "", adminid: int = 0
) -> None:
    """Change a client's credit balance and log it in the credit log (dated today unless ``date``)."""
    client.credit += amount
    store.credits.add(Credit(
        id=store.credits.new_id(), clientid=client.id, date=date or store.today(), description=description,
        amount=amount, adminid=adminid,
    ))


def _settle(store: Store, invoice: Invoice, paid_at: str, *, suppressed_by: str) -> bool:
    """Mark an owed invoice Paid once nothing is left to pay, and run what WHMCS runs then.

    The payment confirmation email goes out (unless ``suppressed_by`` names the request that stopped
    it), and each pending service the invoice bills whose product sets up on payment
    (``autosetup: payment``) is set up: its module's create runs; success makes it Active with its
    welcome email, failure leaves it Pending with the failure in the module log. The order stays as it
    is: WHMCS activates items on payment "while the order remains pending".
    """
    if invoice.status not in OWED or balance(store, invoice) > 0:
        return False
    invoice.status, invoice.datepaid, invoice.updated_at = "Paid", paid_at, store.now()
    record_email(store, invoice.userid, PAYMENT_CONFIRMATION, invoice.id, sent=not suppressed_by,
                 reason=suppressed_by)
    for item in store.invoiceitems.where("invoiceid", invoice.id):
        service = store.services.get(item.relid) if item.type == "Hosting" else None
        if service is None or service.userid != invoice.userid or service.status != "Pending":
            continue
        if store.catalog.products[service.packageid].autosetup == "payment":
            set_up_service(store, service, autosetup=True, sendemail=True, reason="")
    return True


# --- invoices ------------------------------------------------------------------------------------


@action("GetInvoice", list_style=True, params=("invoiceid",))
def get_invoice(call: Call) -> Response:
    store = call.store
    invoice = store.invoices.get(call.int("invoiceid"))
    if invoice is None:
        # The one WHMCS error envelope keyed "status" instead of "result".
        raise ApiError(NOT_FOUND, result_key="status")
    items = store.invoiceitems.where("invoiceid", invoice.id)
    transactions = store.transactions.where("invoiceid", invoice.id)
    return {
        "result": "success",
        "invoiceid": invoice.id,
        "invoicenum": invoice.invoicenum,
        "userid": invoice.userid,
        "date": invoice.date,
        "duedate": invoice.duedate,
        "datepaid": invoice.datepaid,
        "lastcaptureattempt": invoice.last_capture_attempt,
        "subtotal": money(invoice.subtotal),
        "credit": money(invoice.credit),
        "tax": money(invoice.tax),
        "tax2": money(invoice.tax2),
        "total": money(invoice.total),
        "balance": money(balance(store, invoice)),
        "taxrate": _places(invoice.taxrate, 3),
        "taxrate2": _places(invoice.taxrate2, 3),
        "status": invoice.status,
        "paymentmethod": invoice.paymentmethod,
        "notes": invoice.notes,
        # None of the mock's gateways takes card details.
        "ccgateway": False,
        "items": {"item": [
            {"id": item.id, "type": item.type, "relid": item.relid, "description": item.description,
             "amount": money(item.amount), "taxed": int(item.taxed)}
            for item in items
        ]},
        "transactions": {"transaction": [_transaction(row) for row in transactions]} if transactions else "",
    }


# GetInvoices' orderby values and the field each sorts by.
_INVOICE_ORDER: dict[str, Callable[[Invoice], Any]] = {
    "id": lambda invoice: invoice.id,
    "invoicenumber": lambda invoice: invoice.invoicenum,
    "date": lambda invoice: invoice.date,
    "duedate": lambda invoice: invoice.duedate,
    "total": lambda invoice: invoice.total,
    "status": lambda invoice: invoice.status,
}


@action("GetInvoices", list_style=True,
        params=("limitstart", "limitnum", "userid", "status", "orderby", "order"))
def get_invoices(call: Call) -> Response:
    store = call.store
    start, limit = page_bounds(call)
    userid, status, today = call.int("userid"), call.text("status").lower(), store.today()
    key = _INVOICE_ORDER.get(call.text("orderby").lower(), _INVOICE_ORDER["id"])
    descending = call.text("order").lower() == "desc"
    if not userid and not status and key is _INVOICE_ORDER["id"]:
        # Every invoice in id order, the common case: no row but the page's is looked at.
        total, page = table_page(store.invoices, start, limit, descending=descending)
    else:
        rows = store.invoices.where("userid", userid) if userid else list(store.invoices)
        if status == "overdue":
            # Overdue is no stored status: an unpaid invoice past its due date.
            rows = [row for row in rows if row.status == "Unpaid" and row.duedate < today]
        elif status:
            rows = [row for row in rows if row.status.lower() == status]
        rows = sorted(rows, key=lambda row: (key(row), row.id), reverse=descending)
        total, page = paginate(rows, start, limit)
    return {
        "result": "success",
        "totalresults": total,
        "startnumber": start,
        "numreturned": len(page),
        "invoices": {"invoice": [_listed_invoice(store, invoice) for invoice in page]} if page else [],
    }


def _listed_invoice(store: Store, invoice: Invoice) -> dict[str, Any]:
    client = store.clients.get(invoice.userid)
    currency = client_currency(store, client)
    return {
        "id": invoice.id,
        "userid": invoice.userid,
        "firstname": client.firstname if client else "",
        "lastname": client.lastname if client else "",
        "companyname": client.companyname if client else "",
        "invoicenum": invoice.invoicenum,
        "date": invoice.date,
        "duedate": invoice.duedate,
        "datepaid": invoice.datepaid,
        "last_capture_attempt": invoice.last_capture_attempt,
        "date_refunded": invoice.date_refunded,
        "date_cancelled": invoice.date_cancelled,
        "subtotal": money(invoice.subtotal),
        "credit": money(invoice.credit),
        "tax": money(invoice.tax),
        "tax2": money(invoice.tax2),
        "total": money(invoice.total),
        "taxrate": _places(invoice.taxrate, 3),
        "taxrate2": _places(invoice.taxrate2, 3),
        "status": invoice.status,
        "paymentmethod": invoice.paymentmethod,
        # Stored pay methods (saved cards) are not modelled.
        "paymethodid": None,
        "notes": invoice.notes,
        "created_at": invoice.created_at,
        "updated_at": invoice.updated_at,
        "currencycode": currency.code,
        "currencyprefix": currency.prefix,
        "currencysuffix": currency.suffix,
    }


_ITEM_FIELDS = ("itemdescription", "itemamount", "itemtaxed")


@action(
    "CreateInvoice",
    params=("userid", "status", "paymentmethod", "taxrate", "taxrate2", "date", "duedate", "notes"),
    flags=("draft", "sendinvoice", "autoapplycredit"),
    arrays=_ITEM_FIELDS,
    numbered=_ITEM_FIELDS,
    mutates=True,
)
def create_invoice(call: Call) -> Response:
    store = call.store
    client = _client(store, call.int("userid"))
    if call.flag("draft") and call.flag("sendinvoice"):
        raise ApiError("Cannot create and send a draft invoice in a single API request. "
                       "Please create and send separately.")
    status = "Draft" if call.flag("draft") else _status(call.text("status") or "Unpaid")
    today, now = store.today(), store.now()
    date = _day(call.text("date")) or today
    # Without one, the invoice is paid by the first active gateway: WHMCS's default.
    paymentmethod = call.text("paymentmethod") or next(
        (method.module for method in store.catalog.payment_methods), "")
    invoice = Invoice(
        id=store.invoices.new_id(), userid=client.id, date=date, duedate=_day(call.text("duedate")) or date,
        status=status, paymentmethod=paymentmethod, notes=call.clean("notes"),
        taxrate=_float(call, "taxrate"), taxrate2=_float(call, "taxrate2"), created_at=now, updated_at=now,
        datepaid=now if status == "Paid" else NO_TIME,
    )
    store.invoices.add(invoice)
    for number in _item_numbers(call):
        values = [_numbered(call, name, number) for name in _ITEM_FIELDS]
        _add_item(store, invoice, values[0], values[1], values[2])
    update_totals(store, invoice)
    applicable = min(client.credit, balance(store, invoice))
    if call.flag("autoapplycredit") and applicable > 0 and invoice.status in OWED:
        _apply_credit(store, invoice, client, applicable, suppressed_by="")
    if status != "Draft":
        record_email(store, client.id, "Invoice Created", invoice.id, sent=call.flag("sendinvoice"),
                     reason="CreateInvoice without sendinvoice")
    return {"result": "success", "invoiceid": invoice.id, "status": invoice.status}


def _item_numbers(call: Call) -> list[int]:
    """The numbers of the items a CreateInvoice request describes: ``itemdescription1`` or the PHP
    array form ``itemdescription[1]``, in numeric order."""
    numbers = {int(name[len("itemdescription"):]) for name in call.params
               if name.startswith("itemdescription") and name[len("itemdescription"):].isdigit()}
    numbers |= {key for key in call.array("itemdescription") if isinstance(key, int)}
    return sorted(numbers)


def _numbered(call: Call, name: str, number: int) -> Any:
    value = call.params.get(f"{name}{number}")
    return value if value is not None else call.item(name, number)


def _add_item(store: Store, invoice: Invoice, description: Any, amount: Any, taxed: Any) -> None:
    store.invoiceitems.add(InvoiceItem(
        id=store.invoiceitems.new_id(), invoiceid=invoice.id, userid=invoice.userid, type="",
        relid=0, description=_cleaned(description), amount=override_amount(amount) or ZERO,
        taxed=truthy(taxed), duedate=invoice.duedate, paymentmethod=invoice.paymentmethod,
    ))


def _cleaned(value: Any) -> str:
    """An array element as WHMCS stores text: entity-encoded; anything but a string is empty."""
    return html_clean(value) if isinstance(value, str) else ""


@action(
    "UpdateInvoice",
    params=("invoiceid", "status", "paymentmethod", "taxrate", "taxrate2", "credit", "date", "duedate",
            "datepaid", "notes"),
    flags=("publish", "publishandsendemail"),
    arrays=("itemdescription", "itemamount", "itemtaxed", "newitemdescription", "newitemamount",
            "newitemtaxed", "deletelineids"),
    mutates=True,
)
def update_invoice(call: Call) -> Response:
    store = call.store
    invoice = _invoice(call)
    status = _status(call.text("status")) if call.text("status") else None
    publish = call.flag("publish") or call.flag("publishandsendemail")
    if publish and invoice.status != "Draft":
        raise ApiError("Invoice must be in Draft status to be published")
    descriptions, amounts, taxed = (call.array(name) for name in _ITEM_FIELDS)
    if any(key not in amounts or key not in taxed for key in descriptions):
        raise ApiError("Missing Variables: itemdescription, itemamount and itemtaxed are required for each "
                       "item being changed")
    # Only this invoice's own lines can be changed or deleted; other ids are ignored.
    lines = {item.id: item for item in store.invoiceitems.where("invoiceid", invoice.id)}
    for key, description in descriptions.items():
        line = lines.get(intval(key))
        if line is not None:
            line.description = _cleaned(description)
            line.amount = override_amount(amounts[key]) or ZERO
            line.taxed = truthy(taxed[key])
    new_amounts, new_taxed = call.array("newitemamount"), call.array("newitemtaxed")
    for key, description in call.array("newitemdescription").items():
        _add_item(store, invoice, description, new_amounts.get(key), new_taxed.get(key))
    for line_id in {intval(value) for value in call.array("deletelineids").values()}:
        if line_id in lines:
            store.invoiceitems.remove(line_id)
    _update_fields(call, invoice)
    if status is not None:
        _change_status(store, invoice, status)
    if publish:
        invoice.status = "Unpaid"
        record_email(store, invoice.userid, "Invoice Created", invoice.id,
                     sent=call.flag("publishandsendemail"), reason="UpdateInvoice publish without email")
    update_totals(store, invoice)
    return {"result": "success", "invoiceid": invoice.id}


def _update_fields(call: Call, invoice: Invoice) -> None:
    """The plain fields UpdateInvoice sets when they are sent; a date that is not YYYY-MM-DD is ignored."""
    if call.text("paymentmethod"):
        invoice.paymentmethod = call.text("paymentmethod")
    for name in ("taxrate", "taxrate2", "credit"):
        if call.text(name):
            setattr(invoice, name, _float(call, name))
    if _day(call.text("date")):
        invoice.date = call.text("date")
    if _day(call.text("duedate")):
        invoice.duedate = call.text("duedate")
    if _day(call.text("datepaid")):
        invoice.datepaid = f"{call.text('datepaid')} 00:00:00"
    if call.has("notes"):
        invoice.notes = call.clean("notes")


def _change_status(store: Store, invoice: Invoice, status: str) -> None:
    invoice.status = status
    if status == "Cancelled":
        invoice.date_cancelled = store.now()
    elif status == "Refunded":
        invoice.date_refunded = store.now()


# --- payments and transactions -------------------------------------------------------------------


@action("AddInvoicePayment", params=("invoiceid", "transid", "gateway", "date", "amount", "fees"),
        flags=("noemail",), mutates=True)
def add_invoice_payment(call: Call) -> Response:
    store = call.store
    invoice = _invoice(call)
    if invoice.status == "Cancelled":
        raise ApiError("It is not possible to add a payment to an invoice that is Cancelled")
    # A paid invoice owes nothing, however it was paid: all of a payment to it is overpayment.
    owed = ZERO if invoice.status == "Paid" else max(balance(store, invoice), ZERO)
    amount = _payment_amount(call) or owed
    client = store.clients.get(invoice.userid)
    paid_at = _moment(call, "date", (_TIME_FORMAT, "%Y-%m-%d"))
    store.transactions.add(Transaction(
        id=store.transactions.new_id(), userid=invoice.userid, date=paid_at, gateway=call.text("gateway"),
        description="Invoice Payment", amountin=amount, fees=_float(call, "fees"),
        transid=call.text("transid"), invoiceid=invoice.id,
    ))
    # What is paid beyond the balance becomes the client's credit (WHMCS: overpayments are credited).
    if amount > owed and client is not None:
        _add_credit(store, client, amount - owed, f"Invoice #{invoice.id} Overpayment")
    invoice.updated_at = store.now()
    _settle(store, invoice, paid_at,
            suppressed_by="AddInvoicePayment with noemail" if call.flag("noemail") else "")
    return {"result": "success"}


def _payment_amount(call: Call) -> Decimal | None:
    """AddInvoicePayment's ``amount``: None (the full balance) when absent or zero; a negative or
    non-numeric amount is refused."""
    value = call.params.get("amount")
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value.strip()) or len(value) > 20:
        raise ApiError(AMOUNT_FORMAT)
    return to_decimal(value) or None


@action("GetTransactions", list_style=True, params=("invoiceid", "clientid", "transid"))
def get_transactions(call: Call) -> Response:
    store = call.store
    invoiceid, clientid, transid = call.int("invoiceid"), call.int("clientid"), call.text("transid")
    if invoiceid:
        rows = store.transactions.where("invoiceid", invoiceid)
    elif clientid:
        rows = store.transactions.where("userid", clientid)
    elif transid:
        rows = store.transactions.where("transid", transid)
    else:
        rows = list(store.transactions)
    rows = [
        row for row in rows
        if (not clientid or row.userid == clientid) and (not transid or row.transid == transid)
    ]
    return {
        "result": "success",
        "totalresults": len(rows),
        "startnumber": 0,
        "numreturned": len(rows),
        "transactions": {"transaction": [_transaction(row) for row in rows]} if rows else [],
    }


@action(
    "AddTransaction",
    params=("paymentmethod", "userid", "invoiceid", "transid", "date", "currencyid", "description",
            "amountin", "fees", "amountout", "rate"),
    flags=("credit", "allowduplicatetransid"),
    mutates=True,
)
def add_transaction(call: Call) -> Response:
    store = call.store
    userid, invoiceid, currencyid = call.int("userid"), call.int("invoiceid"), call.int("currencyid")
    client = _client(store, userid) if userid else None
    invoice = _invoice(call) if invoiceid else None
    if client is not None and invoice is not None and invoice.userid != client.id:
        raise ApiError("User ID does not own the given Invoice ID")
    if client is None and invoice is not None:
        client = store.clients.get(invoice.userid)
    if currencyid and currencyid not in store.catalog.currencies:
        raise ApiError("Currency ID Not Found")
    if currencyid and client is not None and currencyid != client_currency(store, client).id:
        raise ApiError("Currency ID does not match Client currency")
    if client is None and not currencyid:
        raise ApiError("A Currency ID is required for non-customer related transactions")
    if not call.text("paymentmethod"):
        raise ApiError("Payment Method is required")
    transid = call.text("transid")
    if transid and not call.flag("allowduplicatetransid") and store.transactions.where("transid", transid):
        raise ApiError("Transaction ID must be Unique")
    rate = _rate(call.text("rate"))
    transaction = store.transactions.add(Transaction(
        id=store.transactions.new_id(), userid=client.id if client else 0,
        date=_moment(call, "date", ("%d/%m/%Y", "%Y-%m-%d", _TIME_FORMAT)),
        gateway=call.text("paymentmethod"),
        description=call.clean("description"), currency=0 if client else currencyid,
        amountin=_float(call, "amountin"), fees=_float(call, "fees"), amountout=_float(call, "amountout"),
        rate=rate, transid=transid, invoiceid=invoice.id if invoice else 0,
    ))
    # ``credit`` puts the money on the client's credit balance; the page: "Invoice ID must not be provided".
    if call.flag("credit") and client is not None and invoice is None:
        description = transaction.description or "Manual Transaction Credit"
        _add_credit(store, client, transaction.amountin, description)
    return {"result": "success"}


def _rate(text: str) -> Decimal:
    """An exchange rate read like PHP's ``(float)``, kept to 5 places; 1 when absent or zero."""
    match = _RATE.match(text)
    rate = Decimal(match.group(1)).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP) if match else ZERO
    return rate if 0 < rate < _MAX_RATE else Decimal("1.00000")


# --- credit --------------------------------------------------------------------------------------


@action("AddCredit", params=("clientid", "description", "amount", "date", "adminid", "type"), mutates=True)
def add_credit(call: Call) -> Response:
    store = call.store
    kind = call.text("type", "add").lower() or "add"
    if kind not in ("add", "remove"):
        raise ApiError("Type can only be add or remove")
    client = _client(store, call.int("clientid"))
    adminid = _admin_id(call)
    value = call.params.get("amount")
    if value is None or value == "":
        raise ApiError("No Amount Provided")
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value) or len(value) > 17:
        raise ApiError(AMOUNT_FORMAT)
    date = store.today()
    if call.text("date"):
        date = _day(call.text("date")) or ""
        if not date:
            raise ApiError("Date Format is not Valid")
    amount = to_decimal(value)
    _add_credit(store, client, amount if kind == "add" else -amount, call.clean("description"), date=date,
                adminid=adminid)
    return {"result": "success", "newbalance": money(client.credit)}


def _admin_id(call: Call) -> int:
    """The admin a credit is logged against: ``adminid`` if it names an active admin, else the caller."""
    admins = call.store.catalog.admins.values()
    if call.has("adminid"):
        adminid = call.int("adminid")
        if not any(admin.id == adminid and not admin.disabled for admin in admins):
            raise ApiError("Admin ID Not Found")
        return adminid
    return caller_admin_id(call)


@action("ApplyCredit", params=("invoiceid", "amount"), flags=("noemail",), mutates=True)
def apply_credit(call: Call) -> Response:
    store = call.store
    invoice = _invoice(call)
    if invoice.status != "Unpaid":
        raise ApiError("Invoice Not in Unpaid Status")
    client = _client(store, invoice.userid)
    owed = balance(store, invoice)
    # "full" (the page types amount as float|string), like an absent amount, applies all it can.
    value = call.params.get("amount")
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "full")):
        amount = min(client.credit, owed)
    else:
        amount = _float(call, "amount")
    if amount <= 0:
        raise ApiError("Credit Amount to apply must be greater than zero")
    if amount > client.credit:
        raise ApiError("Amount exceeds customer credit balance")
    if amount > owed:
        raise ApiError("Amount Exceeds Invoice Balance")
    paid = _apply_credit(store, invoice, client, amount,
                         suppressed_by="ApplyCredit with noemail" if call.flag("noemail") else "")
    return {"result": "success", "invoiceid": invoice.id, "amount": money(amount),
            "invoicepaid": "true" if paid else "false"}


def _apply_credit(
    store: Store, invoice: Invoice, client: Client, amount: Decimal, *, suppressed_by: str
) -> bool:
    """Move ``amount`` of the client's credit onto the invoice; True if that paid it."""
    _add_credit(store, client, -amount, f"Credit Applied to Invoice #{invoice.id}")
    invoice.credit += amount
    update_totals(store, invoice)
    return _settle(store, invoice, store.now(), suppressed_by=suppressed_by)


@action("GetCredits", list_style=True, params=("clientid",))
def get_credits(call: Call) -> Response:
    client = _client(call.store, call.int("clientid"))
    credits = call.store.credits.where("clientid", client.id)
    return {
        "result": "success",
        "totalresults": len(credits),
        "clientid": client.id,
        "credits": {"credit": [
            {"id": row.id, "date": row.date, "description": row.description, "amount": money(row.amount),
             "relid": row.relid}
            for row in credits
        ]} if credits else [],
    }

