"""Read-only catalog actions: GetProducts, GetPaymentMethods, GetTLDPricing, GetCurrencies, GetPromotions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..php import intval
from ..store.models import ZERO, ConfigOption, Currency, Product, Promotion, Tld
from ..store.pricing import CYCLE_DISPLAY, money
from ..store.store import Catalog, Store
from .common import client_currency
from .registry import Call, Response, action

ALLOWQTY_COLUMN = {"0": 0, "multiple": 1, "scaling": 2}


@action("GetProducts", list_style=True, params=("pid", "gid", "module"))
def get_products(call: Call) -> Response:
    catalog = call.store.catalog
    products: list[Product] = list(catalog.products.values())
    # intval, not int: isdigit() also passes "²", and a hostile pid can be thousands of digits long.
    pids = {intval(p) for p in call.text("pid").split(",") if p.strip().lstrip("-").isdigit()}
    if call.text("pid"):
        products = [p for p in products if p.id in pids]
    if call.text("gid"):
        products = [p for p in products if p.gid == call.int("gid")]
    if call.text("module"):
        products = [p for p in products if p.module == call.text("module")]
    response: Response = {"result": "success", "totalresults": len(products)}
    if products:
        response["products"] = {"product": [_product(p, catalog) for p in products]}
    return response


def _product(product: Product, catalog: Catalog) -> dict[str, Any]:
    return {
        "pid": product.id,
        "gid": product.gid,
        "type": product.type,
        "name": product.name,
        "slug": product.slug,
        "description": product.description,
        "module": product.module,
        "paytype": product.paytype,
        "allowqty": ALLOWQTY_COLUMN[product.allowqty],
        "pricing": {
            currency.code: {
                "prefix": currency.prefix,
                "suffix": currency.suffix,
                **{key: money(value) for key, value in product.pricing.get(currency.code, {}).items()},
            }
            for currency in catalog.currencies.values()
        },
        "customfields": {
            "customfield": [
                {"id": field.id, "name": field.name, "description": field.description,
                 "required": "on" if field.required else ""}
                for field in product.customfields
            ]
        },
        "configoptions": {"configoption": [_config_option(option, catalog)
                                           for option in product.configoptions]},
    }


# How WHMCS numbers a configurable option's type (tblproductconfigoptions.optiontype).
CONFIG_OPTION_TYPES = {"dropdown": "1", "radio": "2", "yesno": "3", "quantity": "4"}


def _config_option(option: ConfigOption, catalog: Catalog) -> dict[str, Any]:
    # The reference example's shape, null rawName and required included. A configurable option's
    # price WHMCS has no value for is 0.00, not a disabled cycle's -1.00 (docs/fidelity.md).
    return {
        "id": option.id,
        "name": option.name,
        "type": CONFIG_OPTION_TYPES[option.type],
        "minqty": option.minqty,
        "maxqty": option.maxqty,
        "options": {"option": [
            {
                "id": choice.id,
                "name": choice.name,
                "rawName": None,
                "recurring": 0,
                "required": None,
                "pricing": {
                    currency.code: {key: money(max(value, ZERO))
                                    for key, value in choice.pricing.get(currency.code, {}).items()}
                    for currency in catalog.currencies.values()
                },
            }
            for choice in option.options
        ]},
    }


@action("GetPaymentMethods", list_style=True)
def get_payment_methods(call: Call) -> Response:
    methods = call.store.catalog.payment_methods
    return {
        "result": "success",
        "totalresults": len(methods),
        "paymentmethods": {
            "paymentmethod": [{"module": m.module, "displayname": m.displayname} for m in methods]
        },
    }


# --- domains and currencies ----------------------------------------------------------------------


@action("GetTLDPricing", list_style=True, params=("currencyid", "clientid"))
def get_tld_pricing(call: Call) -> Response:
    store = call.store
    currency = _pricing_currency(call)
    return {
        "result": "success",
        "currency": _currency(currency),
        "pricing": {tld.tld[1:]: _tld(tld, currency.code) for tld in store.catalog.tlds.values()},
    }


def _pricing_currency(call: Call) -> Currency:
    """The currency GetTLDPricing prices in: the client's when ``clientid`` is given (it overrides
    ``currencyid``), else ``currencyid``'s; an unknown one is the default currency."""
    store = call.store
    if call.int("clientid"):
        return client_currency(store, store.clients.get(call.int("clientid")))
    currencies = store.catalog.currencies
    return currencies.get(call.int("currencyid")) or store.catalog.default_currency


def _currency(currency: Currency) -> dict[str, Any]:
    return {
        "id": currency.id,
        "code": currency.code,
        "prefix": currency.prefix,
        "suffix": currency.suffix,
        "format": currency.format,
        "rate": str(currency.rate),
    }


def _tld(tld: Tld, code: str) -> dict[str, Any]:
    def years(prices: dict[str, dict[int, Decimal]]) -> dict[int, str] | list[str]:
        # Integer keys: a PHP array keyed by years, an object in JSON; a disabled year is left out,
        # and with none left it is PHP's empty array, [] in JSON.
        priced = {year: money(price) for year, price in sorted(prices.get(code, {}).items()) if price >= 0}
        return priced or []

    return {
        "tld": tld.tld[1:],
        "categories": list(tld.categories),
        "addons": {"dns": tld.dnsmanagement, "email": tld.emailforwarding, "idprotect": tld.idprotection},
        "group": tld.group,
        "register": years(tld.register),
        "transfer": years(tld.transfer),
        "renew": years(tld.renew),
        "grace_period": tld.grace_period,
        "redemption_period": tld.redemption_period,
    }


@action("GetCurrencies", list_style=True)
def get_currencies(call: Call) -> Response:
    currencies = call.store.catalog.currencies.values()
    return {
        "result": "success",
        "totalresults": len(currencies),
        "currencies": {"currency": [_currency(currency) for currency in currencies]},
    }


# The upgrade settings of a promotion nobody configured upgrades for, as WHMCS stores them.
NO_UPGRADE_CONFIG = (
    'a:4:{s:5:"value";s:4:"0.00";s:4:"type";s:0:"";s:12:"discounttype";s:10:"Percentage";'
    's:13:"configoptions";s:0:"";}'
)


@action("GetPromotions", list_style=True, params=("code",))
def get_promotions(call: Call) -> Response:
    store = call.store
    code = call.text("code").strip().lower()
    promotions = sorted(
        (p for p in store.catalog.promotions.values() if not code or p.code.lower() == code),
        key=lambda p: p.id,
    )
    response: Response = {"result": "success", "totalresults": len(promotions)}
    if promotions:
        response["promotions"] = {"promotion": [_promotion(store, p) for p in promotions]}
    return response


def _promotion(store: Store, promotion: Promotion) -> dict[str, Any]:
    # WHMCS keeps what a promotion applies to in one list: product ids, A<addon id>, D<tld>.
    applies = [str(pid) for pid in promotion.appliesto]
    applies += [f"A{addon}" for addon in promotion.addons] + [f"D{tld}" for tld in promotion.tlds]
    used = sum(1 for order in store.orders if order.promocode.lower() == promotion.code.lower())
    return {
        "id": promotion.id,
        "code": promotion.code,
        "type": promotion.type,
        "recurring": int(promotion.recurring),
        "value": _number(promotion.value),
        "cycles": ",".join(CYCLE_DISPLAY[cycle] for cycle in promotion.cycles),
        "appliesto": ",".join(applies),
        "requires": "",
        "requiresexisting": 0,
        "startdate": promotion.startdate,
        "expirationdate": promotion.expires,
        "maxuses": promotion.maxuses,
        "uses": promotion.uses + used,
        "lifetimepromo": int(promotion.lifetimepromo),
        "applyonce": int(promotion.applyonce),
        "newsignups": int(promotion.newsignups),
        "existingclient": int(promotion.existingclient),
        "onceperclient": int(promotion.onceperclient),
        "recurfor": promotion.recurfor,
        "upgrades": 0,
        "upgradeconfig": NO_UPGRADE_CONFIG,
        "notes": promotion.notes,
    }


def _number(value: Decimal) -> int | str:
    """A promotion's value as the reference example shows it: a whole number is a number (10); a
    fraction keeps its decimal string ("12.50"), which every format renders exactly."""
    return int(value) if value == value.to_integral_value() else money(value)
