"""Invoices as integrations read them back: GetInvoice."""

from __future__ import annotations

from ..errors import ApiError
from ..store.models import ZERO
from ..store.pricing import money
from .registry import Call, Response, action


@action("GetInvoice", list_style=True, params=("invoiceid",))
def get_invoice(call: Call) -> Response:
    store = call.store
    invoice = store.invoices.get(call.int("invoiceid"))
    if invoice is None:
        # The one WHMCS error envelope keyed "status" instead of "result".
        raise ApiError("Invoice ID Not Found", result_key="status")
    items = store.invoiceitems.where("invoiceid", invoice.id)
    return {
        "result": "success",
        "invoiceid": invoice.id,
        "invoicenum": invoice.invoicenum,
        "userid": invoice.userid,
        "date": invoice.date,
        "duedate": invoice.duedate,
        "datepaid": invoice.datepaid,
        "subtotal": money(invoice.subtotal),
        "credit": money(invoice.credit),
        "tax": money(invoice.tax),
        "tax2": money(invoice.tax2),
        "total": money(invoice.total),
        # The mock records no transactions: a paid invoice owes nothing, any other owes its total.
        "balance": money(ZERO if invoice.status == "Paid" else invoice.total),
        "taxrate": money(invoice.taxrate),
        "taxrate2": money(invoice.taxrate2),
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
        "transactions": "",
    }
