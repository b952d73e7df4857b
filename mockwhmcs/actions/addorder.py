"""AddOrder: an order placed the way WHMCS 8.12 places it (FIDELITY §4, AddOrder.md).

Four steps, and nothing is written until the first two have passed:
1. the checks, in WHMCS's order, each raising WHMCS's exact message;
2. the cart: every service, addon, domain and renewal the request asks for, priced;
3. the records: the order, its services, addons and domains, the invoice and the notifications;
4. the answer: the ids created.

The product parameters are index-aligned PHP arrays: ``domain[i]``, ``billingcycle[i]``, ``qty[i]``,
``addons[i]`` ... belong to ``pid[i]``, and the domain parameters to ``domaintype[i]``. A scalar
reads as index 0, so ``pid=1&domain=example.com`` orders one product for one domain.
"""

from __future__ import annotations

import ipaddress
import re
import string
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

import phpserialize

from ..errors import ApiError
from ..php import as_array, html_clean, intval, is_array, php_text, truthy, unserialize_base64
from ..store.cart import (
    NO_DISCOUNT,
    Discount,
    Price,
    addon_price,
    config_options_price,
    domain_price,
    find_tld,
    override_amount,
    product_price,
    promotion_discount,
    promotion_is_current,
    select_config_options,
)
from ..store.invoicing import InvoiceLine, create_invoice
from ..store.models import (
    NO_DATE,
    ZERO,
    Addon,
    Client,
    Currency,
    Domain,
    Order,
    Product,
    Promotion,
    Service,
    ServiceAddon,
    Tld,
)
from ..store.pricing import CYCLE_DISPLAY, CYCLE_MONTHS, RECURRING_CYCLES, add_months, money, system_cycle
from ..store.store import Store
from .common import caller_admin_id, formatted, record_email
from .registry import Call, Response, action

# Every parameter of AddOrder.md's table but `action` itself (the wire reads that). The example's
# `$addonsqty` is a documentation slip that WHMCS ignores, so it is not listed.
FLAGS = (
    "promooverride", "noinvoice", "noinvoiceemail", "noemail", "dnsmanagement", "emailforwarding",
    "idprotection",
)
ARRAYS = (
    "pid", "qty", "domain", "billingcycle", "domaintype", "regperiod", "idnlanguage", "eppcode",
    "customfields", "configoptions", "priceoverride", "addons", "addonsqty", "hostname", "ns1prefix",
    "ns2prefix", "rootpw", "dnsmanagement", "domainfields", "emailforwarding", "idprotection",
    "domainpriceoverride", "domainrenewoverride", "domainrenewals", "addonids", "addonidsqty", "serviceids",
    "servicerenewals", "addonrenewals",
)
NAMESERVERS = tuple(f"nameserver{n}" for n in range(1, 6))
PARAMS = (
    "clientid", "paymentmethod", *NAMESERVERS,
    "promocode", "affid", "contactid", "clientip", "addonid", "addonidqty", "serviceid",
)
# Since 8.6, when `domaintype` is an array these must be arrays too; WHMCS checks them in this order.
DOMAIN_ARRAYS = (
    "domainfields", "domain", "regperiod", "idnlanguage", "dnsmanagement", "emailforwarding", "idprotection",
    "eppcode", "domainpriceoverride", "domainrenewoverride",
)
DOMAIN_TYPES = {"register": "Register", "transfer": "Transfer"}
RENEWABLE_DOMAIN_STATUSES = ("Active", "Expired", "Grace", "Redemption")
RENEWABLE_STATUSES = ("Active", "Suspended")
# WHMCS gives hosting accounts a username made from the domain when the order is placed.
USERNAME_TYPES = ("hostingaccount", "reselleraccount")
# WHMCS would try to create any number of services (`qty` of an allowqty "multiple" product) and run
# out of time or memory; the mock refuses an order past this many, before writing anything.
MAX_SERVICES = 1000
PASSWORD_CHARACTERS = string.ascii_letters + string.digits

Key = int | str


@action("AddOrder", params=PARAMS, flags=FLAGS, arrays=ARRAYS, mutates=True)
def add_order(call: Call) -> Response:
    client = _client(call)
    paymentmethod = _payment_method(call)
    ipaddress = _client_ip(call)
    _check_domain_arrays(call)
    addon_only = _addon_only_orders(call, client)
    renewals = _renewals(call, client)
    products, domains = _product_requests(call), _domain_requests(call)
    if not (products or domains or addon_only or renewals):
        raise ApiError("No items added to cart so order cannot proceed")
    cart = _cart(call, client, products, domains, addon_only, renewals)
    services = sum(item.copies for item in cart.services)
    if services > MAX_SERVICES:
        raise ApiError(f"mockwhmcs creates at most {MAX_SERVICES} services in one order, not {services}")
    return _place_order(call, client, cart, paymentmethod, ipaddress)


# --- 1. the checks, in WHMCS's order ---------------------------------------------------------------


def _client(call: Call) -> Client:
    client = call.store.clients.get(call.int("clientid"))
    if client is None:
        raise ApiError("Client ID Not Found")
    if client.status == "Closed":
        raise ApiError("Unable to add order when client status is Closed")
    return client


def _payment_method(call: Call) -> str:
    modules = [method.module for method in call.store.catalog.payment_methods]
    paymentmethod = call.text("paymentmethod")
    if paymentmethod not in modules:
        raise ApiError(f"Invalid Payment Method. Valid options include {','.join(sorted(modules))}")
    return paymentmethod


def _client_ip(call: Call) -> str:
    """The order's IP address: ``clientip`` when given, else the caller's."""
    value = call.params.get("clientip")
    if value is None or value == "":
        return call.ip
    if not isinstance(value, str) or not _is_ip(value):
        raise ApiError("Invalid IP address provided for 'clientip'")
    return value


def _is_ip(text: str) -> bool:
    # PHP's FILTER_VALIDATE_IP refuses an IPv6 zone ("fe80::1%eth0"), which Python accepts.
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return "%" not in text


def _check_domain_arrays(call: Call) -> None:
    if not is_array(call.params.get("domaintype")):
        return
    for name in DOMAIN_ARRAYS:
        if call.has(name) and not is_array(call.params[name]):
            raise ApiError(f"Expecting parameter '{name}' to be an array")


@dataclass(frozen=True, slots=True)
class AddonRequest:
    """An addon for a service the client already has (an addon-only order)."""

    addon: Addon
    service: Service
    qty: int


def _addon_only_orders(call: Call, client: Client) -> list[AddonRequest]:
    """``addonid`` + ``serviceid`` (+ ``addonidqty``), then ``addonids[i]`` + ``serviceids[i]``."""
    store = call.store
    requests: list[AddonRequest] = []
    if call.int("addonid"):
        addon = store.catalog.addons.get(call.int("addonid"))
        if addon is None:
            raise ApiError("Addon ID invalid")
        service = _client_service(store, client, call.int("serviceid"))
        if service is None:
            raise ApiError("Service ID not owned by Client ID provided")
        requests.append(AddonRequest(addon, service, _quantity(call.params.get("addonidqty"))))
    serviceids, quantities = call.array("serviceids"), call.array("addonidsqty")
    for key, addonid in call.array("addonids").items():
        addon = store.catalog.addons.get(intval(addonid))
        if addon is None:
            raise ApiError("Addon ID invalid")
        serviceid = intval(serviceids.get(key))
        service = _client_service(store, client, serviceid)
        if service is None:
            raise ApiError(f"Service ID {serviceid} not owned by Client ID provided")
        requests.append(AddonRequest(addon, service, _quantity(quantities.get(key))))
    return requests


def _client_service(store: Store, client: Client, serviceid: int) -> Service | None:
    service = store.services.get(serviceid)
    return service if service is not None and service.userid == client.id else None


@dataclass(slots=True)
class Renewals:
    """What the order renews: client domains (with years), services and service addons."""

    domains: list[tuple[Domain, int]] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    addons: list[ServiceAddon] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.domains or self.services or self.addons)


def _renewals(call: Call, client: Client) -> Renewals:
    store = call.store
    documented = store.catalog.settings.behaviour == "documented"
    renewals = Renewals()
    requested = call.params.get("domainrenewals")
    # Only a name => years array means anything: PHP's foreach over a plain string does nothing.
    for name, years in as_array(requested).items() if is_array(requested) else ():
        domain = _client_domain(store, client, str(name))
        if domain is None:
            raise ApiError("Domain not owned by Client ID provided")
        if domain.status not in RENEWABLE_DOMAIN_STATUSES:
            raise ApiError(f"Domain status is set to '{domain.status}' and cannot be renewed")
        renewals.domains.append((domain, intval(years)))
    for value in call.array("servicerenewals").values():
        serviceid = intval(value)
        service = _client_service(store, client, serviceid)
        if service is None or not _renewable(service.status, service.billingcycle):
            raise ApiError(f"Service ID {serviceid} can not be renewed at this time." if documented
                           else f"The system cannot renew Service ID {serviceid}.")
        renewals.services.append(service)
    for value in call.array("addonrenewals").values():
        addonid = intval(value)
        addon = store.service_addons.get(addonid)
        if addon is None or addon.userid != client.id or not _renewable(addon.status, addon.billingcycle):
            raise ApiError(f"Service Addon ID {addonid} can not be renewed at this time." if documented
                           else f"The system cannot renew Service Addon ID {addonid}.")
        renewals.addons.append(addon)
    return renewals


def _client_domain(store: Store, client: Client, name: str) -> Domain | None:
    """The client's newest domain record with this name (domain names are case-insensitive)."""
    matches = [d for d in store.domains.where("userid", client.id) if d.domain.lower() == name.lower()]
    return matches[-1] if matches else None


def _renewable(status: str, billingcycle: str) -> bool:
    """On-demand renewal needs a live service on a recurring cycle (not free, not one-time)."""
    return status in RENEWABLE_STATUSES and system_cycle(billingcycle) in RECURRING_CYCLES


def _product_requests(call: Call) -> list[tuple[Key, Product]]:
    products = call.store.catalog.products
    found = [(key, products.get(intval(pid))) for key, pid in call.array("pid").items()]
    # A product id the catalog does not have is skipped, as WHMCS's cart skips it.
    return [(key, product) for key, product in found if product is not None]


def _domain_requests(call: Call) -> list[tuple[Key, str]]:
    """(index, Register|Transfer) for each ``domaintype[i]`` that orders a domain."""
    return [
        (key, DOMAIN_TYPES[kind.lower()])
        for key, kind in call.array("domaintype").items()
        if isinstance(kind, str) and kind.lower() in DOMAIN_TYPES
    ]


# --- 2. the cart ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Terms:
    """What every price in one order depends on: the client's currency and the promotion, if any."""

    currency: Currency
    promotion: Promotion | None
    promooverride: bool

    def product_discount(self, product: Product, price: Price) -> Discount:
        promotion = self.promotion
        if promotion is None:
            return NO_DISCOUNT
        # promooverride applies the promotion to products it does not list.
        listed = self.promooverride or product.id in promotion.appliesto
        in_cycle = not promotion.cycles or price.cycle in promotion.cycles
        return self._discount(promotion, price) if listed and in_cycle else NO_DISCOUNT

    def addon_discount(self, addon: Addon, price: Price) -> Discount:
        promotion = self.promotion
        listed = promotion is not None and addon.id in promotion.addons
        return self._discount(promotion, price) if listed else NO_DISCOUNT

    def domain_discount(self, tld: Tld, amount: Decimal) -> Discount:
        """A promotion takes its share of a registration or transfer; the renewal price is kept."""
        promotion = self.promotion
        listed = promotion is not None and tld.tld in promotion.tlds
        return self._discount(promotion, Price("", recurring=amount)) if listed else NO_DISCOUNT

    def _discount(self, promotion: Promotion | None, price: Price) -> Discount:
        return NO_DISCOUNT if promotion is None else promotion_discount(promotion, price, self.currency.rate)


@dataclass(frozen=True, slots=True)
class AddonItem:
    addon: Addon
    qty: int
    price: Price  # all `qty` units
    discount: Discount


@dataclass(frozen=True, slots=True)
class ServiceItem:
    product: Product
    copies: int  # services to create: `qty` of them for an allowqty "multiple" product
    qty: int  # each service's own quantity: `qty` for a "scaling" product
    price: Price  # one service, options and quantity included, before the promotion
    discount: Discount
    domain: str
    ns1: str
    ns2: str
    rootpw: str
    customfields: dict[int, str]
    configoptions: dict[int, str]
    addons: tuple[AddonItem, ...]


@dataclass(frozen=True, slots=True)
class DomainItem:
    name: str
    type: str  # Register | Transfer
    years: int
    tld: Tld
    first: Decimal
    recurring: Decimal
    discount: Discount
    dnsmanagement: bool
    emailforwarding: bool
    idprotection: bool
    idnlanguage: str
    eppcode: str
    domainfields: dict[Key, str]


@dataclass(frozen=True, slots=True)
class Cart:
    terms: Terms
    services: list[ServiceItem]
    addons: list[tuple[AddonItem, Service]]  # addon-only orders: each for an existing service
    domains: list[DomainItem]
    renewals: Renewals
    renewal_lines: list[InvoiceLine]


def _cart(
    call: Call,
    client: Client,
    products: list[tuple[Key, Product]],
    domains: list[tuple[Key, str]],
    addon_only: list[AddonRequest],
    renewals: Renewals,
) -> Cart:
    currency = call.store.catalog.currencies[client.currency]
    terms = Terms(currency, _promotion(call), call.flag("promooverride"))
    return Cart(
        terms=terms,
        services=[_service_item(call, key, product, terms) for key, product in products],
        addons=[
            (_addon_item(r.addon, r.qty, system_cycle(r.service.billingcycle) or "monthly", terms), r.service)
            for r in addon_only
        ],
        domains=[_domain_item(call, key, kind, terms) for key, kind in domains],
        renewals=renewals,
        renewal_lines=_renewal_lines(call.store, renewals, terms.currency.code),
    )


def _promotion(call: Call) -> Promotion | None:
    """The promotion ``promocode`` names, if it is current; the cart ignores any other code."""
    store = call.store
    promotion = store.catalog.promotions.get(call.text("promocode").strip().lower())
    if promotion is None:
        return None
    used = sum(1 for order in store.orders if order.promocode.lower() == promotion.code.lower())
    return promotion if promotion_is_current(promotion, store.today(), promotion.uses + used) else None


def _service_item(call: Call, key: Key, product: Product, terms: Terms) -> ServiceItem:
    code = terms.currency.code
    qty = _quantity(call.item("qty", key))
    base = product_price(product, code, system_cycle(_item(call, "billingcycle", key)))
    configoptions = select_config_options(product, _serialized(call, "configoptions", key))
    units = qty if product.allowqty == "scaling" else 1
    if product.configoptions:
        base += config_options_price(product, configoptions, code, base.cycle)
    price = base.times(units)
    override = override_amount(call.item("priceoverride", key))
    if override is not None and price.cycle != "free":
        # An overridden price is the whole first payment (no setup fee) and the recurring amount.
        price = Price(price.cycle, ZERO, override)
    customfields = _serialized(call, "customfields", key)
    return ServiceItem(
        product=product,
        copies=qty if product.allowqty == "multiple" else 1,
        qty=units,
        price=price,
        discount=terms.product_discount(product, price),
        # Without a domain, the hostname of a server order names the service.
        domain=_domain_name(_item(call, "domain", key)) or _text(call, "hostname", key).strip(),
        ns1=_text(call, "ns1prefix", key),
        ns2=_text(call, "ns2prefix", key),
        # A password is kept as sent: WHMCS's input cleaning leaves passwords alone.
        rootpw=_item(call, "rootpw", key),
        customfields={
            f.id: _stored_text(customfields[f.id]) for f in product.customfields if f.id in customfields
        },
        configoptions=configoptions,
        addons=_product_addons(call, key, price.cycle, terms),
    )


def _product_addons(call: Call, key: Key, service_cycle: str, terms: Terms) -> tuple[AddonItem, ...]:
    """``addons[key]``, comma-separated addon ids, with ``addonsqty[key]`` their quantities by position."""
    addonids = _item(call, "addons", key)
    if not addonids:
        return ()
    quantities = _item(call, "addonsqty", key).split(",")
    items = []
    for position, addonid in enumerate(addonids.split(",")):
        addon = call.store.catalog.addons.get(intval(addonid))
        # Unknown addon ids are skipped, like unknown products.
        if addon is not None:
            qty = _quantity(quantities[position] if position < len(quantities) else "")
            items.append(_addon_item(addon, qty, service_cycle, terms))
    return tuple(items)


def _addon_item(addon: Addon, qty: int, service_cycle: str, terms: Terms) -> AddonItem:
    price = addon_price(addon, terms.currency.code, service_cycle).times(qty)
    return AddonItem(addon, qty, price, terms.addon_discount(addon, price))


def _domain_item(call: Call, key: Key, kind: str, terms: Terms) -> DomainItem:
    code = terms.currency.code
    name = _domain_name(_item(call, "domain", key))
    years = intval(_item(call, "regperiod", key)) or 1
    tld = find_tld(call.store.catalog.tlds, name)
    price = None
    if tld is not None:
        price = domain_price(tld.register if kind == "Register" else tld.transfer, code, years)
    # WHMCS raises the registration message for transfers too.
    if tld is None or price is None:
        raise ApiError("Invalid TLD/Registration Period Supplied for Domain Registration")
    first = _override(call, "domainpriceoverride", key, price)
    renew = domain_price(tld.renew, code, years)
    domainfields = _serialized(call, "domainfields", key)
    return DomainItem(
        name=name,
        type=kind,
        years=years,
        tld=tld,
        first=first,
        recurring=_override(call, "domainrenewoverride", key, price if renew is None else renew),
        discount=terms.domain_discount(tld, first),
        dnsmanagement=truthy(call.item("dnsmanagement", key)),
        emailforwarding=truthy(call.item("emailforwarding", key)),
        idprotection=truthy(call.item("idprotection", key)),
        idnlanguage=_text(call, "idnlanguage", key),
        # An EPP code is the domain's transfer password, kept as sent like other passwords.
        eppcode=_item(call, "eppcode", key) if kind == "Transfer" else "",
        domainfields={field_name: _stored_text(value) for field_name, value in domainfields.items()},
    )


def _renewal_lines(store: Store, renewals: Renewals, currency: str) -> list[InvoiceLine]:
    """What the renewals bill: the TLD's renewal price for the years asked, a service's or an addon's
    recurring amount for one more period from its next due date."""
    lines = []
    for domain, years in renewals.domains:
        tld = find_tld(store.catalog.tlds, domain.domain)
        price = None if tld is None else domain_price(tld.renew, currency, years)
        if price is None:
            raise ApiError("Invalid TLD/Registration Period Supplied for Domain Renewal")
        period = _period(_renewal_start(store, domain.nextduedate), 12 * years)
        description = f"Domain Renewal - {domain.domain} - {years} Year/s{period}"
        lines.append(InvoiceLine("Domain", domain.id, description, price))
    for service in renewals.services:
        product = store.catalog.products[service.packageid]
        start = _renewal_start(store, service.nextduedate)
        description = _service_description(store, product, service.domain, service.billingcycle, start)
        lines.append(InvoiceLine("Hosting", service.id, description, service.amount))
    for addon in renewals.addons:
        period = _cycle_period(_renewal_start(store, addon.nextduedate), addon.billingcycle)
        lines.append(InvoiceLine("Addon", addon.id, f"{addon.name}{period}", addon.recurring))
    return lines


def _renewal_start(store: Store, nextduedate: str) -> str:
    return store.today() if nextduedate == NO_DATE else nextduedate


# --- reading the request ---------------------------------------------------------------------------


def _item(call: Call, name: str, key: Key) -> str:
    """``name[key]`` as a string; absent, or an array where a string belongs, reads as empty."""
    value = call.item(name, key)
    return value if isinstance(value, str) else ""


def _quantity(value: Any) -> int:
    """A quantity: at least 1, whatever was sent."""
    return max(intval(value), 1)


def _override(call: Call, name: str, key: Key, price: Decimal) -> Decimal:
    override = override_amount(call.item(name, key))
    return price if override is None else override


def _text(call: Call, name: str, key: Key) -> str:
    """``name[key]`` as WHMCS stores request text: entity-encoded by its input cleaning."""
    return html_clean(_item(call, name, key))


def _domain_name(text: str) -> str:
    # Domain names are case-insensitive; WHMCS keeps them lower-cased, and cleaned like all request text.
    return html_clean(text.strip().lower())


def _serialized(call: Call, name: str, key: Key) -> dict[Key, Any]:
    """``name[key]``: a base64-encoded PHP serialized array (customfields, configoptions, domainfields)."""
    value = call.item(name, key)
    if value is None or value == "":
        return {}
    try:
        return unserialize_base64(value, param=f"{name}[{key}]")
    except ValueError as error:
        raise ApiError(str(error)) from error


def _stored_text(value: Any) -> str:
    """A decoded PHP value (a custom or TLD field) as WHMCS stores it: text, entity-encoded."""
    return html_clean(php_text(value))


# --- 3. the records --------------------------------------------------------------------------------


def _place_order(call: Call, client: Client, cart: Cart, paymentmethod: str, ipaddress: str) -> Response:
    store = call.store
    promotion = cart.terms.promotion
    # Written to its table once its amount is known, which takes its items' ids first.
    order = Order(
        id=store.orders.new_id(),
        ordernum=_ordernum(store),
        userid=client.id,
        date=store.now(),
        contactid=call.int("contactid"),
        admin_requestor_id=caller_admin_id(call),
        nameservers=",".join(filter(None, (call.clean(name).strip() for name in NAMESERVERS))),
        transfersecret=_transfer_secrets(cart.domains),
        renewals=",".join(f"{domain.id}={years}" for domain, years in cart.renewals.domains),
        servicerenewals=",".join(str(service.id) for service in cart.renewals.services),
        addonrenewals=",".join(str(addon.id) for addon in cart.renewals.addons),
        promocode=promotion.code if promotion else "",
        promotype=promotion.type if promotion else "",
        promovalue=money(promotion.value) if promotion else "",
        paymentmethod=paymentmethod,
        ipaddress=ipaddress,
        affid=call.int("affid"),
    )
    writer = _OrderWriter(store, order, cart.terms)
    for service_item in cart.services:
        writer.services(service_item)
    for addon_item, service in cart.addons:
        writer.addon(addon_item, service)
    for domain_item in cart.domains:
        writer.domain(domain_item)
    lines = writer.lines + cart.renewal_lines
    order.amount = sum((line.amount for line in lines), ZERO)
    store.orders.add(order)

    response: Response = {
        "result": "success",
        "orderid": order.id,
        # 7.8 renamed productids to serviceids; WHMCS still sends both, and clients still read productids.
        "productids": _ids(writer.service_ids),
        "serviceids": _ids(writer.service_ids),
        "addonids": _ids(writer.addon_ids),
        "domainids": _ids(writer.domain_ids),
    }
    record_email(store, client.id, "Order Confirmation", order.id, sent=not call.flag("noemail"),
                 reason="noemail")
    if call.flag("noinvoice"):
        return response
    # Free items bill nothing: an order of only those gets no invoice, and 8.12 answers invoiceid 0.
    if lines:
        invoice = create_invoice(store, client.id, lines, paymentmethod)
        order.invoiceid = invoice.id
        record_email(store, client.id, "Invoice Created", invoice.id, sent=not call.flag("noinvoiceemail"),
                     reason="noinvoiceemail")
    response["invoiceid"] = order.invoiceid
    return response


def _ordernum(store: Store) -> str:
    """Ten random digits, the first not 0, unused by any other order."""
    while True:
        ordernum = str(store.random.randint(1_000_000_000, 9_999_999_999))
        if not store.orders.where("ordernum", ordernum):
            return ordernum


def _transfer_secrets(domains: list[DomainItem]) -> str:
    """The EPP codes of the transfers, as WHMCS keeps them on the order: a PHP serialized array."""
    secrets = {item.name: item.eppcode for item in domains if item.eppcode}
    return phpserialize.dumps(secrets).decode() if secrets else ""


def _ids(ids: list[int]) -> str:
    return ",".join(map(str, ids))


class _OrderWriter:
    """Writes an order's services, addons and domains, keeping their ids and the lines they bill."""

    def __init__(self, store: Store, order: Order, terms: Terms) -> None:
        self.store = store
        self.order = order
        self.terms = terms
        self.today = store.today()
        self.service_ids: list[int] = []
        self.addon_ids: list[int] = []
        self.domain_ids: list[int] = []
        self.lines: list[InvoiceLine] = []

    def services(self, item: ServiceItem) -> None:
        product, price, discount = item.product, item.price, item.discount
        for _ in range(item.copies):
            due = self._due(price.cycle)
            service = self.store.services.add(Service(
                id=self.store.services.new_id(), userid=self.order.userid, orderid=self.order.id,
                packageid=product.id, regdate=self.today, billingcycle=CYCLE_DISPLAY[price.cycle],
                domain=item.domain, paymentmethod=self.order.paymentmethod, qty=item.qty,
                firstpaymentamount=price.first - discount.first, amount=price.recurring - discount.recurring,
                nextduedate=due, nextinvoicedate=due, username=self._username(product, item.domain),
                password=item.rootpw or self._password(), promoid=discount.promoid, ns1=item.ns1,
                ns2=item.ns2, customfields=dict(item.customfields), configoptions=dict(item.configoptions),
            ))
            self.service_ids.append(service.id)
            description = _service_description(self.store, product, item.domain, service.billingcycle,
                                               self.today)
            self._bill("Hosting", "PromoHosting", service.id, description, price, discount)
            for addon_item in item.addons:
                self.addon(addon_item, service)

    def addon(self, item: AddonItem, service: Service) -> None:
        price, discount = item.price, item.discount
        due = self._due(price.cycle)
        addon = self.store.service_addons.add(ServiceAddon(
            id=self.store.service_addons.new_id(), orderid=self.order.id, hostingid=service.id,
            addonid=item.addon.id, userid=self.order.userid, name=item.addon.name,
            billingcycle=CYCLE_DISPLAY[price.cycle], regdate=self.today, qty=item.qty, setupfee=price.setup,
            recurring=price.recurring - discount.recurring, nextduedate=due, nextinvoicedate=due,
            paymentmethod=self.order.paymentmethod,
        ))
        self.addon_ids.append(addon.id)
        period = _cycle_period(self.today, addon.billingcycle)
        self._bill("Addon", "PromoAddon", addon.id, f"{item.addon.name}{period}", price, discount)

    def domain(self, item: DomainItem) -> None:
        domain = self.store.domains.add(Domain(
            id=self.store.domains.new_id(), userid=self.order.userid, orderid=self.order.id, domain=item.name,
            type=item.type, registrationdate=self.today, registrationperiod=item.years,
            nextduedate=self.today, nextinvoicedate=self.today, registrar=item.tld.registrar,
            firstpaymentamount=item.first - item.discount.first, recurringamount=item.recurring,
            paymentmethod=self.order.paymentmethod, dnsmanagement=item.dnsmanagement,
            emailforwarding=item.emailforwarding, idprotection=item.idprotection,
            idnlanguage=item.idnlanguage, promoid=item.discount.promoid, domainfields=item.domainfields,
        ))
        self.domain_ids.append(domain.id)
        action = "Registration" if item.type == "Register" else "Transfer"
        period = _period(self.today, 12 * item.years)
        description = f"Domain {action} - {item.name} - {item.years} Year/s{period}"
        self._bill(f"Domain{item.type}", "PromoDomain", domain.id, description,
                   Price("", recurring=item.first), item.discount)

    def _bill(self, kind: str, promo_kind: str, relid: int, description: str, price: Price,
              discount: Discount) -> None:
        """The item's first payment, and the promotion's discount on it as a negative line of its own."""
        if price.cycle == "free":
            return
        self.lines.append(InvoiceLine(kind, relid, description, price.first))
        promotion = self.terms.promotion
        if discount.first and promotion is not None:
            text = _promotion_text(promotion, self.terms.currency, discount)
            self.lines.append(InvoiceLine(promo_kind, relid, text, -discount.first))

    def _due(self, cycle: str) -> str:
        # A free item is never due.
        return NO_DATE if cycle == "free" else self.today

    def _username(self, product: Product, domain: str) -> str:
        """The first eight letters and digits of the domain, or eight random letters without one."""
        if product.type not in USERNAME_TYPES:
            return ""
        name = re.sub(r"[^a-z0-9]", "", domain.lower())[:8] if domain else ""
        if name[:1].isalpha():
            return name
        return "".join(self.store.random.choices(string.ascii_lowercase, k=8))

    def _password(self) -> str:
        return "".join(self.store.random.choices(PASSWORD_CHARACTERS, k=12))


# --- invoice descriptions --------------------------------------------------------------------------


def _promotion_text(promotion: Promotion, currency: Currency, discount: Discount) -> str:
    """``Promotional Code: SAVE10 - 10.00% One Time Discount``."""
    if promotion.type == "Free Setup":
        return f"Promotional Code: {promotion.code} - Free Setup"
    value = (f"{money(promotion.value)}%" if promotion.type == "Percentage"
             else formatted(currency, promotion.value * currency.rate))
    kind = "Recurring" if discount.recurring else "One Time"
    return f"Promotional Code: {promotion.code} - {value} {kind} Discount"


def _service_description(store: Store, product: Product, domain: str, billingcycle: str, start: str) -> str:
    """``Shared Hosting - Starter - example.com (2026-01-15 - 2026-02-14)``."""
    group = store.catalog.product_groups[product.gid].name
    name = f"{group} - {product.name}" + (f" - {domain}" if domain else "")
    return name + _cycle_period(start, billingcycle)


def _cycle_period(start: str, billingcycle: str) -> str:
    """The period one payment in ``billingcycle`` covers; nothing for one-time and free items."""
    cycle = system_cycle(billingcycle)
    return _period(start, CYCLE_MONTHS[cycle]) if cycle in CYCLE_MONTHS else ""


@lru_cache(maxsize=1024)  # most items of a day's orders bill the same few periods
def _period(start: str, months: int) -> str:
    first = date.fromisoformat(start)
    last = add_months(first, months) - timedelta(days=1)
    return f" ({first.isoformat()} - {last.isoformat()})"
