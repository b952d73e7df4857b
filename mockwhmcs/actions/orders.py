"""The order lifecycle after AddOrder (accept, back to pending, cancel, fraud, delete) and its read-back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from itertools import islice
from typing import Any

from ..errors import ApiError
from ..php import intval
from ..store.cart import domain_price, find_tld
from ..store.models import ZERO, Currency, Domain, Order, Service, ServiceAddon
from ..store.pricing import money
from ..store.store import Store
from ..store.tables import Table
from .common import (
    PRODUCT_TYPES,
    Row,
    client_currency,
    formatted,
    gateway_name,
    outcome,
    page_bounds,
    paginate,
    record_email,
    set_up_service,
)
from .registry import Call, Response, action

ORDER_STATUSES = ("Pending", "Active", "Fraud", "Cancelled")

# Sending any of these switches AcceptOrder from the products' own auto-setup setting to explicit flags.
ACCEPT_OPTIONS = (
    "serverid", "serviceusername", "servicepassword", "registrar", "sendregistrar", "autosetup", "sendemail",
)
SUPPRESSED_BY_ACCEPT = "AcceptOrder without sendemail"


def _success() -> Response:
    return {"result": "success"}


def _pending_order(call: Call) -> Order:
    order = call.store.orders.get(call.int("orderid"))
    if order is None or order.status != "Pending":
        raise ApiError("Order ID not found or Status not Pending")
    return order


# --- AcceptOrder ---------------------------------------------------------------------------------


@action(
    "AcceptOrder",
    params=("orderid", "serverid", "serviceusername", "servicepassword", "registrar"),
    flags=("sendregistrar", "autosetup", "sendemail"),
    mutates=True,
)
def accept_order(call: Call) -> Response:
    store = call.store
    order = _pending_order(call)
    explicit = any(call.has(name) for name in ACCEPT_OPTIONS)
    failures: list[str] = []
    for service in store.services.where("orderid", order.id):
        if service.status == "Pending":
            failures += _accept_service(call, service, explicit)
    for addon in store.service_addons.where("orderid", order.id):
        if addon.status == "Pending":
            addon.status = "Active"
    for domain in store.domains.where("orderid", order.id):
        if domain.status == "Pending":
            failures += _accept_domain(call, domain)
    if failures:
        # 8.12 answers every failure at once and leaves the order Pending; what did succeed stays done.
        raise ApiError(", ".join(failures))
    order.status = "Active"
    return _success()


def _accept_service(call: Call, service: Service, explicit: bool) -> list[str]:
    """Set up one pending service; the module's error, if it fails, is the one item returned."""
    store = call.store
    # WHMCS does not check serverid against its servers: an unknown one is stored as sent.
    if call.text("serverid"):
        service.server = call.int("serverid")
    if call.text("serviceusername"):
        service.username = call.clean("serviceusername")
    if call.text("servicepassword"):
        service.password = call.text("servicepassword")
    if explicit:
        autosetup, sendemail = call.flag("autosetup"), call.flag("sendemail")
    else:
        # With no optional parameter at all, both follow the product's own auto-setup setting.
        autosetup = sendemail = store.catalog.products[service.packageid].autosetup != ""
    failure = set_up_service(store, service, autosetup=autosetup, sendemail=sendemail,
                             reason=SUPPRESSED_BY_ACCEPT)
    return [failure] if failure else []


def _accept_domain(call: Call, domain: Domain) -> list[str]:
    """Activate one pending domain, through its registrar with ``sendregistrar``; errors are returned."""
    store = call.store
    if call.text("registrar"):
        domain.registrar = call.text("registrar")
    if not (call.flag("sendregistrar") and domain.registrar):
        domain.status = "Active"
        return []
    transfer = domain.type == "Transfer"
    failure = outcome(store.catalog.registrars, domain.registrar, "transfer" if transfer else "register")
    if failure:
        return [failure]
    # A transfer the registrar accepted is under way, not done: WHMCS shows it as Pending Transfer.
    domain.status = "Pending Transfer" if transfer else "Active"
    template = "Domain Transfer Initiated" if transfer else "Domain Registration Confirmation"
    record_email(store, domain.userid, template, domain.id, sent=call.flag("sendemail"),
                 reason=SUPPRESSED_BY_ACCEPT)
    return []


# --- the other transitions -----------------------------------------------------------------------


def _move_order(store: Store, order: Order, status: str, *, invoice_from: str, invoice_to: str) -> None:
    """Put an order and everything it ordered in ``status``; its invoice moves only from ``invoice_from``."""
    order.status = status
    items: list[Service | ServiceAddon] = [
        *store.services.where("orderid", order.id), *store.service_addons.where("orderid", order.id),
    ]
    for item in items:
        item.status = status
    for domain in store.domains.where("orderid", order.id):
        # A pending transfer has its own status in WHMCS.
        domain.status = "Pending Transfer" if status == "Pending" and domain.type == "Transfer" else status
    invoice = store.invoices.get(order.invoiceid)
    if invoice is not None and invoice.status == invoice_from:
        invoice.status = invoice_to


def _cancel_subscriptions(store: Store, order: Order) -> None:
    """``cancelsub``: the gateway cancels each service's recurring subscription (the mock's never fail)."""
    for service in store.services.where("orderid", order.id):
        service.subscriptionid = ""


@action("PendingOrder", params=("orderid",), mutates=True)
def pending_order(call: Call) -> Response:
    order = call.store.orders.get(call.int("orderid"))
    if order is None:
        raise ApiError("Order ID Not Found")
    _move_order(call.store, order, "Pending", invoice_from="Cancelled", invoice_to="Unpaid")
    return _success()


# `noemail` stops the payment confirmation WHMCS sends if cancelling leaves the invoice paid. The mock
# only cancels an Unpaid invoice and never marks one paid here, so there is no email to suppress.
@action("CancelOrder", params=("orderid",), flags=("cancelsub", "noemail"), mutates=True)
def cancel_order(call: Call) -> Response:
    order = _pending_order(call)
    if call.flag("cancelsub"):
        _cancel_subscriptions(call.store, order)
    _move_order(call.store, order, "Cancelled", invoice_from="Unpaid", invoice_to="Cancelled")
    return _success()


@action("FraudOrder", params=("orderid",), flags=("cancelsub",), mutates=True)
def fraud_order(call: Call) -> Response:
    order = call.store.orders.get(call.int("orderid"))
    if order is None:
        raise ApiError("Order ID Not Found")
    if call.flag("cancelsub"):
        _cancel_subscriptions(call.store, order)
    _move_order(call.store, order, "Fraud", invoice_from="Unpaid", invoice_to="Cancelled")
    return _success()


@action("DeleteOrder", params=("orderid",), mutates=True)
def delete_order(call: Call) -> Response:
    store = call.store
    order = store.orders.get(call.int("orderid"))
    if order is None:
        raise ApiError("Order ID not found")
    if order.status not in ("Cancelled", "Fraud"):
        raise ApiError("The order status must be in Cancelled or Fraud to be deleted")
    for service in store.services.where("orderid", order.id):
        store.services.remove(service.id)
    for addon in store.service_addons.where("orderid", order.id):
        store.service_addons.remove(addon.id)
    for domain in store.domains.where("orderid", order.id):
        store.domains.remove(domain.id)
    if store.invoices.get(order.invoiceid) is not None:
        for item in store.invoiceitems.where("invoiceid", order.invoiceid):
            store.invoiceitems.remove(item.id)
        store.invoices.remove(order.invoiceid)
    store.orders.remove(order.id)
    return _success()


# --- read-back -----------------------------------------------------------------------------------


@action("GetOrders", list_style=True,
        params=("limitstart", "limitnum", "id", "userid", "requestor_id", "status"))
def get_orders(call: Call) -> Response:
    store = call.store
    start, limit = page_bounds(call)
    newest, count = _newest_orders(store, call.int("id"), call.int("userid"))
    status, requestor = call.text("status").lower(), call.int("requestor_id")
    if status or requestor:
        # totalresults needs every match counted; only the page is turned into dicts.
        matches = (
            order for order in newest
            if (not status or order.status.lower() == status)
            and (not requestor or order.requestor_id == requestor)
        )
        total, page = paginate(matches, start, limit)
    else:
        # Bounded by the count: islice refuses positions past sys.maxsize, and limitstart can be anything.
        total, page = count, list(islice(newest, min(start, count), min(start + limit, count)))
    response: Response = {"result": "success", "totalresults": total, "startnumber": start,
                          "numreturned": len(page)}
    if page:
        response["orders"] = {"order": [_order(store, order) for order in page]}
    return response


def _newest_orders(store: Store, order_id: int, userid: int) -> tuple[Iterator[Order], int]:
    """The orders a GetOrders request can match, newest first, and how many there are.

    Tables are in id order, so walking one backwards (or one client's index) needs no sort.
    """
    if order_id:
        order = store.orders.get(order_id)
        rows = [order] if order is not None and (not userid or order.userid == userid) else []
    elif userid:
        rows = store.orders.where("userid", userid)
    else:
        return reversed(store.orders), len(store.orders)
    return reversed(rows), len(rows)


def _order(store: Store, order: Order) -> dict[str, Any]:
    client = store.clients.get(order.userid)
    currency = client_currency(store, client)
    invoice = store.invoices.get(order.invoiceid)
    lineitems = _line_items(store, order, currency)
    return {
        "id": order.id,
        "ordernum": int(order.ordernum),
        "userid": order.userid,
        "contactid": order.contactid,
        "requestor_id": order.requestor_id,
        "admin_requestor_id": order.admin_requestor_id,
        "date": order.date,
        "nameservers": order.nameservers,
        "transfersecret": order.transfersecret,
        "renewals": order.renewals,
        "promocode": order.promocode,
        "promotype": order.promotype,
        "promovalue": order.promovalue,
        "orderdata": order.orderdata,
        "amount": money(order.amount),
        "paymentmethod": order.paymentmethod,
        "invoiceid": order.invoiceid,
        "status": order.status,
        "ipaddress": order.ipaddress,
        "fraudmodule": order.fraudmodule,
        "fraudoutput": order.fraudoutput,
        "notes": order.notes,
        "purchase_source": order.purchase_source,
        "has_referral_products": order.has_referral_products,
        "paymentmethodname": gateway_name(store.catalog, order.paymentmethod),
        "paymentstatus": invoice.status if invoice is not None else "",
        "name": f"{client.firstname} {client.lastname}" if client is not None else "",
        "currencyprefix": currency.prefix,
        "currencysuffix": currency.suffix,
        # Filled by fraud checks and order validation, neither of which the mock runs.
        "frauddata": "",
        "validationdata": "",
        "lineitems": {"lineitem": lineitems} if lineitems else [],
    }


def _line_items(store: Store, order: Order, currency: Currency) -> list[dict[str, Any]]:
    """What the order bought, then what it renews (domains, services, addons), each like a new item."""
    items = [_service_item(store, s, s.firstpaymentamount, currency)
             for s in store.services.where("orderid", order.id)]
    items += [_addon_item(store, a, a.setupfee + a.recurring, currency)
              for a in store.service_addons.where("orderid", order.id)]
    items += [_domain_item(d, d.type, d.registrationperiod, d.firstpaymentamount, currency)
              for d in store.domains.where("orderid", order.id)]
    for domainid, years in _domain_renewals(order):
        domain = store.domains.get(domainid)
        if domain is not None:
            price = _renewal_price(store, domain, currency.code, years)
            items.append(_domain_item(domain, "Renewal", years, price, currency))
    for service in _renewed(store.services, order.servicerenewals):
        items.append(_service_item(store, service, service.amount, currency))
    for addon in _renewed(store.service_addons, order.addonrenewals):
        items.append(_addon_item(store, addon, addon.recurring, currency))
    return items


def _service_item(store: Store, service: Service, amount: Decimal, currency: Currency) -> dict[str, Any]:
    catalog = store.catalog
    product = catalog.products[service.packageid]
    return {
        "type": "product",
        "relid": service.id,
        "producttype": PRODUCT_TYPES[product.type],
        "product": f"{catalog.product_groups[product.gid].name} - {product.name}",
        "domain": service.domain,
        "billingcycle": service.billingcycle,
        "amount": formatted(currency, amount),
        "status": service.status,
    }


def _addon_item(store: Store, addon: ServiceAddon, amount: Decimal, currency: Currency) -> dict[str, Any]:
    parent = store.services.get(addon.hostingid)
    return {
        "type": "addon",
        "relid": addon.id,
        "producttype": "Addon",
        "product": addon_name(store, addon),
        "domain": parent.domain if parent is not None else "",
        "billingcycle": addon.billingcycle,
        "amount": formatted(currency, amount),
        "status": addon.status,
    }


def _domain_item(
    domain: Domain, product: str, years: int, amount: Decimal, currency: Currency
) -> dict[str, Any]:
    return {
        "type": "domain",
        "relid": domain.id,
        "producttype": "Domain",
        "product": product,
        "domain": domain.domain,
        "billingcycle": years,
        "amount": formatted(currency, amount),
        "status": domain.status,
        # tbldomains' integer columns, 0 or 1, as GetClientsDomains answers them.
        "dnsmanagement": int(domain.dnsmanagement),
        "emailforwarding": int(domain.emailforwarding),
        "idprotection": int(domain.idprotection),
    }


def _domain_renewals(order: Order) -> list[tuple[int, int]]:
    """(domain id, years) from the order's ``renewals`` column, ``"3=1,5=2"``."""
    pairs = (entry.partition("=") for entry in order.renewals.split(",") if entry)
    return [(intval(domainid), intval(years)) for domainid, _, years in pairs]


def _renewed(table: Table[Row], ids: str) -> list[Row]:
    """The rows a comma-separated id column names that still exist."""
    rows = (table.get(intval(row_id)) for row_id in ids.split(",") if row_id)
    return [row for row in rows if row is not None]


def _renewal_price(store: Store, domain: Domain, currency: str, years: int) -> Decimal:
    """What renewing ``domain`` for ``years`` costs: the TLD's renewal price, as AddOrder billed it."""
    tld = find_tld(store.catalog.tlds, domain.domain)
    price = None if tld is None else domain_price(tld.renew, currency, years)
    return ZERO if price is None else price


def addon_name(store: Store, addon: ServiceAddon) -> str:
    """A service addon's own name, else its catalog addon's (WHMCS stores a name only for custom ones)."""
    catalog_addon = store.catalog.addons.get(addon.addonid)
    return addon.name or (catalog_addon.name if catalog_addon is not None else "")


@action("GetOrderStatuses", list_style=True)
def get_order_statuses(call: Call) -> Response:
    counts = Counter(order.status for order in call.store.orders)
    return {
        "result": "success",
        "totalresults": len(ORDER_STATUSES),
        "statuses": {"status": [{"title": status, "count": counts[status]} for status in ORDER_STATUSES]},
    }
