"""GetClientsDetails (and its older names GetClientsData, GetClientsDataByEmail) in WHMCS 8's shape."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..errors import ApiError
from ..store.countries import COUNTRIES
from ..store.invoicing import balance
from ..store.models import EMAIL_KINDS, ZERO, Client, Currency, Invoice, User
from ..store.pricing import money
from ..store.store import TIME_FORMAT, Store
from .clients import client_by_email, owner_of
from .common import client_currency, formatted
from .registry import Call, Response, action

# Invoice statuses GetClientsDetails counts, as (count key, amount key).
_INVOICE_STATS = (
    ("Unpaid", "numunpaidinvoices", "unpaidinvoicesamount"),
    ("Paid", "numpaidinvoices", "paidinvoicesamount"),
    ("Cancelled", "numcancelledinvoices", "cancelledinvoicesamount"),
    ("Refunded", "numrefundedinvoices", "refundedinvoicesamount"),
    ("Collections", "numcollectionsinvoices", "collectionsinvoicesamount"),
    ("Payment Pending", "numpaymentpendinginvoices", "paymentpendinginvoicesamount"),
)
# Product types as GetClientsDetails' stats name them.
_PRODUCT_STATS = (("hostingaccount", "hosting"), ("reselleraccount", "reseller"), ("server", "servers"),
                  ("other", "other"))


@action("GetClientsDetails", params=("clientid", "email"), flags=("stats",),
        aliases=("GetClientsData", "GetClientsDataByEmail"))
def get_clients_details(call: Call) -> Response:
    store = call.store
    if call.int("clientid"):
        client = store.clients.get(call.int("clientid"))
    elif call.text("email"):
        client = client_by_email(store, call.text("email"))
    else:
        raise ApiError("Either clientid Or email Is Required")
    if client is None:
        raise ApiError("Client Not Found")
    details = _client(store, client)
    # WHMCS still repeats the client's fields at the top level (deprecated, getclientsdetails.md).
    response: Response = {"result": "success", **details, "client": details}
    if call.flag("stats"):
        response["stats"] = _stats(store, client)
    return response


def _client(store: Store, client: Client) -> dict[str, Any]:
    currency = client_currency(store, client)
    owner = owner_of(store, client)
    name, phonecc = COUNTRIES.get(client.country, (client.country, ""))
    phone = _phone(client.phonenumber, phonecc)
    return {
        "client_id": client.id,
        "owner_user_id": owner.id if owner else 0,
        "userid": client.id,
        "id": client.id,
        "uuid": client.uuid,
        "firstname": client.firstname,
        "lastname": client.lastname,
        "fullname": f"{client.firstname} {client.lastname}",
        "companyname": client.companyname,
        "email": client.email,
        "address1": client.address1,
        "address2": client.address2,
        "city": client.city,
        "fullstate": client.state,
        "state": client.state,
        "postcode": client.postcode,
        "countrycode": client.country,
        "country": client.country,
        "phonenumber": client.phonenumber,
        "tax_id": client.tax_id,
        "email_preferences": {kind: "1" if kind in client.email_preferences else "0" for kind in EMAIL_KINDS},
        "statecode": client.state,
        "countryname": name,
        "phonecc": phonecc,
        "phonenumberformatted": phone,
        "telephoneNumber": phone,
        "billingcid": 0,
        "notes": client.notes,
        "currency": currency.id,
        "defaultgateway": client.defaultgateway,
        "groupid": client.groupid,
        "status": client.status,
        "credit": money(client.credit),
        "taxexempt": client.taxexempt,
        "latefeeoveride": client.latefeeoveride,
        "overideduenotices": client.overideduenotices,
        "separateinvoices": client.separateinvoices,
        "disableautocc": client.disableautocc,
        "emailoptout": False,
        "marketing_emails_opt_in": client.marketing_emails_opt_in,
        "overrideautoclose": client.overrideautoclose,
        "allowSingleSignOn": int(client.allow_sso),
        "email_verified": owner.email_verified if owner else False,
        "language": client.language,
        "isOptedInToMarketingEmails": client.marketing_emails_opt_in,
        "lastlogin": _last_login(owner),
        "currency_code": currency.code,
        # Client custom fields are not modelled: WHMCS answers an empty list for a client without any.
        "customfields": [],
        "users": {"user": [
            {"id": user.id, "name": f"{user.firstname} {user.lastname}", "email": user.email,
             "is_owner": link.owner}
            for link in store.user_clients.where("client_id", client.id)
            for user in (store.users.rows[link.auth_user_id],)
        ]},
    }


def _phone(number: str, phonecc: str) -> str:
    """WHMCS's international form of a phone number: ``+44.1234567890`` (the trunk 0 dropped)."""
    digits = re.sub(r"\D", "", number)
    if not digits or not phonecc:
        return digits
    if number.lstrip().startswith("+") and digits.startswith(phonecc):
        digits = digits[len(phonecc):]
    return f"+{phonecc}.{digits.lstrip('0')}"


def _last_login(owner: User | None) -> str:
    if owner is None or not owner.last_login:
        return "No Login Logged"
    when = datetime.strptime(owner.last_login, TIME_FORMAT).strftime("%d/%m/%Y %H:%M")
    # The host is the address's reverse lookup, which for a caller without one is the address itself.
    return f"Date: {when}<br>IP Address: {owner.last_ip}<br>Host: {owner.last_ip}"


def _stats(store: Store, client: Client) -> dict[str, Any]:
    currency = client_currency(store, client)
    invoices = store.invoices.where("userid", client.id)
    today = store.today()
    unpaid = [invoice for invoice in invoices if invoice.status == "Unpaid"]
    overdue = [invoice for invoice in unpaid if invoice.duedate < today]
    drafts = [invoice for invoice in invoices if invoice.status == "Draft"]
    transactions = store.transactions.where("userid", client.id)
    gross = sum((transaction.amountin for transaction in transactions), ZERO)
    expenses = sum((transaction.fees + transaction.amountout for transaction in transactions), ZERO)

    def owed(rows: list[Invoice]) -> str:
        """What is left to pay on the invoices: their totals less the payments made."""
        return formatted(currency, sum((balance(store, invoice) for invoice in rows), ZERO))

    stats: dict[str, Any] = {
        "numdueinvoices": len(unpaid),
        "dueinvoicesbalance": owed(unpaid),
        "incredit": client.credit > 0,
        "creditbalance": formatted(currency, client.credit),
        "grossRevenue": formatted(currency, gross),
        "expenses": formatted(currency, expenses),
        "income": formatted(currency, gross - expenses),
        "numoverdueinvoices": len(overdue),
        "overdueinvoicesbalance": owed(overdue),
        "numDraftInvoices": len(drafts),
        "draftInvoicesBalance": _sum(currency, drafts),
    }
    for status, count_key, amount_key in _INVOICE_STATS:
        matching = [invoice for invoice in invoices if invoice.status == status]
        stats[count_key] = len(matching)
        stats[amount_key] = _sum(currency, matching)
    services = store.services.where("userid", client.id)
    types = [(store.catalog.products[service.packageid].type, service.status) for service in services]
    for product_type, name in _PRODUCT_STATS:
        of_type = [status for kind, status in types if kind == product_type]
        stats[f"productsnumactive{name}"] = of_type.count("Active")
        stats[f"productsnum{name}"] = len(of_type)
    domains = store.domains.where("userid", client.id)
    stats |= {
        "productsnumactive": sum(status == "Active" for _, status in types),
        "productsnumtotal": len(types),
        "numactivedomains": sum(domain.status == "Active" for domain in domains),
        "numdomains": len(domains),
        # Quotes, tickets and affiliates are not kept: WHMCS's zero values.
        "numacceptedquotes": 0,
        "numquotes": 0,
        "numtickets": 0,
        "numactivetickets": 0,
        "numaffiliatesignups": 0,
        "isAffiliate": False,
    }
    return stats


def _sum(currency: Currency, invoices: Iterable[Invoice]) -> str:
    return formatted(currency, sum((invoice.total for invoice in invoices), Decimal("0.00")))
