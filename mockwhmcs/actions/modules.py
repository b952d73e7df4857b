"""Services and their provisioning modules: ModuleCreate … ModuleTerminate, UpdateClientProduct, addons,
OrderFraudCheck."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import phpserialize

from ..errors import ApiError
from ..php import intval, php_text, unserialize_base64
from ..store.cart import config_options_price, cycle_price, override_amount, select_config_options
from ..store.models import NO_DATE, Product, Service, ServiceAddon
from ..store.pricing import CYCLE_DISPLAY, money, system_cycle
from ..store.store import Store
from .common import client_currency, gateway_name, run_module
from .orders import addon_name
from .registry import Call, Response, action

# The statuses tblhosting and tblhostingaddons hold; MySQL matches an enum value case-insensitively.
_STATUSES = {status.lower(): status for status in
            ("Pending", "Active", "Suspended", "Terminated", "Cancelled", "Fraud", "Completed")}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- module commands -----------------------------------------------------------------------------


def _module_service(call: Call) -> Service:
    """The service a module command names; ``accountid`` is its name before WHMCS 7.7, still accepted."""
    store = call.store
    serviceid = call.int("serviceid") or call.int("accountid")
    if not serviceid:
        raise ApiError("Service ID is required")
    service = store.services.get(serviceid)
    if service is None:
        raise ApiError("Service ID not found")
    if not store.catalog.products[service.packageid].module:
        raise ApiError("Service not assigned to a module")
    return service


def _run(call: Call, command: str, done: Callable[[Service], None]) -> Response:
    """Run the module ``command`` for the service asked for; on success ``done`` moves the service on.

    A module's failure is WHMCS's error envelope with the module's own message, and the service is left
    as it was (the module log keeps the attempt, as WHMCS's module log does).
    """
    service = _module_service(call)
    failure = run_module(call.store, service, command)
    if failure:
        raise ApiError(failure)
    done(service)
    return {"result": "success"}


_MODULE_PARAMS = ("serviceid", "accountid")


@action("ModuleCreate", params=_MODULE_PARAMS, mutates=True)
def module_create(call: Call) -> Response:
    return _run(call, "create", lambda service: setattr(service, "status", "Active"))


@action("ModuleSuspend", params=(*_MODULE_PARAMS, "suspendreason"), mutates=True)
def module_suspend(call: Call) -> Response:
    def suspended(service: Service) -> None:
        service.status = "Suspended"
        service.suspendreason = call.clean("suspendreason")

    return _run(call, "suspend", suspended)


@action("ModuleUnsuspend", params=_MODULE_PARAMS, mutates=True)
def module_unsuspend(call: Call) -> Response:
    def unsuspended(service: Service) -> None:
        service.status = "Active"
        service.suspendreason = ""

    return _run(call, "unsuspend", unsuspended)


@action("ModuleTerminate", params=_MODULE_PARAMS, mutates=True)
def module_terminate(call: Call) -> Response:
    def terminated(service: Service) -> None:
        service.status = "Terminated"
        service.termination_date = call.store.today()

    return _run(call, "terminate", terminated)


@action("ModuleChangePw", params=(*_MODULE_PARAMS, "servicepassword"), mutates=True)
def module_change_pw(call: Call) -> Response:
    def changed(service: Service) -> None:
        # A password is kept exactly as sent: WHMCS's input cleaning does not apply to passwords.
        if call.text("servicepassword"):
            service.password = call.text("servicepassword")

    return _run(call, "changepassword", changed)


@action("ModuleChangePackage", params=_MODULE_PARAMS, mutates=True)
def module_change_package(call: Call) -> Response:
    return _run(call, "changepackage", lambda service: None)


# --- what several updates share ------------------------------------------------------------------


def _status(call: Call) -> str | None:
    """``status`` as the table stores it; None when not sent, or not one of the statuses (MySQL keeps
    no other value in the enum column, so the service keeps its own)."""
    return _STATUSES.get(call.text("status").strip().lower())


def _cycle(call: Call) -> str | None:
    """``billingcycle`` in WHMCS's display form ("Semi-Annually"); None when not sent or unknown."""
    cycle = system_cycle(call.text("billingcycle").strip())
    return CYCLE_DISPLAY[cycle] if cycle is not None else None


def _date(call: Call, name: str) -> str | None:
    """A ``Y-m-d`` date parameter; anything else in a date column is MySQL's zero date."""
    text = call.text(name).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat() if _DATE.fullmatch(text) else NO_DATE
    except ValueError:
        return NO_DATE


def _amount(call: Call, name: str) -> Decimal | None:
    """A money parameter as PHP's (float) cast reads it; None when not sent."""
    return override_amount(call.params.get(name))


def _serialized(call: Call, name: str) -> dict[int | str, Any] | None:
    """A base64-encoded PHP serialized array parameter (customfields, configoptions); None when not sent."""
    value = call.params.get(name)
    if value is None or value == "":
        return None
    try:
        return unserialize_base64(value, param=name)
    except ValueError as error:
        raise ApiError(str(error)) from error


def _apply(record: Service | ServiceAddon, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(record, name, value)


# --- UpdateClientProduct -------------------------------------------------------------------------

# Text fields: request parameter -> Service field. WHMCS skips a parameter sent empty; `unset[]` clears.
_SERVICE_TEXT = {
    "domain": "domain", "serviceusername": "username", "subscriptionid": "subscriptionid", "ns1": "ns1",
    "ns2": "ns2", "dedicatedip": "dedicatedip", "assignedips": "assignedips",
    "paymentmethod": "paymentmethod",
}
# Free text WHMCS's input cleaning entity-encodes before storing it.
_SERVICE_CLEANED = {"notes": "notes", "suspendreason": "suspendreason"}
_SERVICE_INTS = {
    "serverid": "server", "promoid": "promoid", "diskusage": "diskusage", "disklimit": "disklimit",
    "bwusage": "bwusage", "bwlimit": "bwlimit",
}
_SERVICE_DATES = {
    "regdate": "regdate", "terminationdate": "termination_date", "overidesuspenduntil": "overidesuspenduntil",
}
# What `unset[]` may name, and the field each clears.
_UNSETTABLE = {
    **{name: field for name, field in _SERVICE_TEXT.items() if name != "paymentmethod"},
    "servicepassword": "password", **_SERVICE_CLEANED,
}


@action(
    "UpdateClientProduct",
    params=(
        "serviceid", "pid", *_SERVICE_INTS, *_SERVICE_DATES, "nextduedate", *_SERVICE_TEXT, *_SERVICE_CLEANED,
        "firstpaymentamount", "recurringamount", "billingcycle", "status", "servicepassword",
        "overideautosuspend", "customfields", "configoptions",
    ),
    flags=("autorecalc",),
    arrays=("unset",),
    mutates=True,
)
def update_client_product(call: Call) -> Response:
    service = call.store.services.get(call.int("serviceid"))
    if service is None:
        raise ApiError("Service ID Not Found")
    # Every change is worked out (and every parameter decoded) before any is made.
    _apply(service, _service_changes(call, service))
    return {"result": "success", "serviceid": service.id}


def _service_changes(call: Call, service: Service) -> dict[str, Any]:
    store = call.store
    changes: dict[str, Any] = {}
    pid = call.int("pid")
    # A product id the catalog does not hold is not stored: the service keeps its product.
    if pid in store.catalog.products:
        changes["packageid"] = pid
    for name, field in _SERVICE_TEXT.items():
        if call.text(name):
            changes[field] = call.text(name).strip()
    for name, field in _SERVICE_CLEANED.items():
        if call.text(name):
            changes[field] = call.clean(name)
    if call.text("servicepassword"):
        changes["password"] = call.text("servicepassword")
    for name, field in _SERVICE_INTS.items():
        if call.text(name):
            changes[field] = call.int(name)
    for name, field in _SERVICE_DATES.items():
        if (day := _date(call, name)) is not None:
            changes[field] = day
    if (day := _date(call, "nextduedate")) is not None:
        # Editing the due date moves the next invoice date with it, as WHMCS's service editor does.
        changes["nextduedate"] = changes["nextinvoicedate"] = day
    for name, field in (("firstpaymentamount", "firstpaymentamount"), ("recurringamount", "amount")):
        if (amount := _amount(call, name)) is not None:
            changes[field] = amount
    if (cycle := _cycle(call)) is not None:
        changes["billingcycle"] = cycle
    if (status := _status(call)) is not None:
        changes["status"] = status
    if override := call.text("overideautosuspend").strip().lower():
        # The page documents 'on' and 'off', and 'off' is a true string to PHP: it is read by name.
        changes["overideautosuspend"] = override not in ("off", "0")
    product = store.catalog.products[changes.get("packageid", service.packageid)]
    customfields = _serialized(call, "customfields")
    if customfields is not None:
        changes["customfields"] = service.customfields | {
            f.id: php_text(customfields[f.id]) for f in product.customfields if f.id in customfields
        }
    configoptions = _serialized(call, "configoptions")
    if configoptions is not None:
        changes["configoptions"] = _config_options(product, service.configoptions, configoptions)
    for name in call.array("unset").values():
        if isinstance(name, str) and name in _UNSETTABLE:
            changes[_UNSETTABLE[name]] = ""
    if call.flag("autorecalc"):
        changes["amount"] = _service_recurring(store, replace(service, **changes))
    return changes


def _config_options(product: Product, kept: dict[int, str], sent: dict[int | str, Any]) -> dict[int, str]:
    """The service's options with those sent replacing theirs. An entry is a choice id, or the page's
    ``['optionid' => choice, 'qty' => count]``, of which a dropdown reads the choice and the others the
    count."""
    requested: dict[int | str, Any] = dict(kept)
    for option in product.configoptions:
        if option.id in sent:
            value = sent[option.id]
            if isinstance(value, dict):
                value = value.get("optionid") if option.type in ("dropdown", "radio") else value.get("qty")
            requested[option.id] = value
    return select_config_options(product, requested)


def _service_recurring(store: Store, service: Service) -> Decimal:
    """``autorecalc``: the product's price in the service's cycle and currency, with its options."""
    product = store.catalog.products[service.packageid]
    currency = client_currency(store, store.clients.get(service.userid)).code
    cycle = system_cycle(service.billingcycle) or "monthly"
    price = cycle_price(product.pricing, currency, cycle)
    if product.configoptions:
        selected = select_config_options(product, service.configoptions)
        price += config_options_price(product, selected, currency, cycle)
    units = service.qty if product.allowqty == "scaling" else 1
    return price.times(units).recurring


# --- service addons ------------------------------------------------------------------------------


@action("GetClientsAddons", list_style=True, params=("serviceid", "clientid", "addonid"))
def get_clients_addons(call: Call) -> Response:
    store = call.store
    # One id or a comma-separated list, each cast like PHP's (int): "abc" is 0, which no service has.
    sent = call.text("serviceid")
    serviceids = {intval(part) for part in sent.split(",")} if sent else None
    clientid, addonid = call.int("clientid"), call.int("addonid")
    rows = [
        _addon(store, addon) for addon in store.service_addons
        if (serviceids is None or addon.hostingid in serviceids)
        and (not clientid or addon.userid == clientid)
        and (not addonid or addon.addonid == addonid)
    ]
    return {
        "result": "success",
        # The page's example echoes a filter not sent as an empty string.
        "serviceid": call.text("serviceid"),
        "clientid": call.text("clientid"),
        "totalresults": len(rows),
        "addons": {"addon": rows} if rows else "",
    }


def _addon(store: Store, addon: ServiceAddon) -> dict[str, Any]:
    return {
        "id": addon.id,
        "qty": addon.qty,
        "userid": addon.userid,
        "orderid": addon.orderid,
        "serviceid": addon.hostingid,
        "addonid": addon.addonid,
        "name": addon_name(store, addon),
        "setupfee": money(addon.setupfee),
        "recurring": money(addon.recurring),
        "billingcycle": addon.billingcycle,
        "tax": "",
        "status": addon.status,
        "regdate": addon.regdate,
        "nextduedate": addon.nextduedate,
        "nextinvoicedate": addon.nextinvoicedate,
        "paymentmethod": addon.paymentmethod,
        "paymentmethodname": gateway_name(store.catalog, addon.paymentmethod),
        "notes": addon.notes,
    }


@action(
    "UpdateClientAddon",
    params=("id", "status", "addonid", "name", "setupfee", "recurring", "billingcycle", "nextduedate",
            "terminationdate", "notes"),
    flags=("autorecalc",),
    mutates=True,
)
def update_client_addon(call: Call) -> Response:
    addon = call.store.service_addons.get(call.int("id"))
    if addon is None:
        raise ApiError("Addon ID Not Found")
    changes = _addon_changes(call, addon)
    if not changes:
        raise ApiError("Nothing to Update")
    # The page documents no module run on a status change: the addon's status is only recorded.
    _apply(addon, changes)
    return {"result": "success", "id": addon.id}


def _addon_changes(call: Call, addon: ServiceAddon) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if (status := _status(call)) is not None:
        changes["status"] = status
    if call.int("addonid"):
        changes["addonid"] = call.int("addonid")
    for name in ("name", "notes"):
        if call.text(name):
            changes[name] = call.clean(name)
    for name in ("setupfee", "recurring"):
        if (amount := _amount(call, name)) is not None:
            changes[name] = amount
    if (cycle := _cycle(call)) is not None:
        changes["billingcycle"] = cycle
    if (day := _date(call, "nextduedate")) is not None:
        changes["nextduedate"] = changes["nextinvoicedate"] = day
    if (day := _date(call, "terminationdate")) is not None:
        changes["termination_date"] = day
    if call.flag("autorecalc"):
        changes["recurring"] = _addon_recurring(call.store, replace(addon, **changes))
    return changes


def _addon_recurring(store: Store, addon: ServiceAddon) -> Decimal:
    """``autorecalc``: the catalog addon's price in the addon's cycle and currency, per unit held."""
    catalog_addon = store.catalog.addons.get(addon.addonid)
    if catalog_addon is None:
        return addon.recurring
    currency = client_currency(store, store.clients.get(addon.userid)).code
    cycle = system_cycle(addon.billingcycle) or "monthly"
    return cycle_price(catalog_addon.pricing, currency, cycle).times(addon.qty).recurring


# --- OrderFraudCheck -----------------------------------------------------------------------------


@action("OrderFraudCheck", list_style=True, params=("orderid", "ipaddress"), mutates=True)
def order_fraud_check(call: Call) -> Response:
    store = call.store
    order = store.orders.get(call.int("orderid"))
    if order is None:
        raise ApiError("Order ID Not Found")
    # WHMCS runs its one active fraud module; the scenario's first active one plays that part.
    module = next((m for m in store.catalog.fraud_modules.values() if m.active), None)
    if module is None:
        raise ApiError("No Active Fraud Module")
    if module.check not in ("Pass", "Fail"):
        raise ApiError(module.check)
    ipaddress = call.text("ipaddress").strip() or order.ipaddress
    results = phpserialize.dumps({"ipaddress": ipaddress, "status": module.check}).decode()
    # The order keeps which module checked it and what it found, pass or fail; marking the order as
    # fraud is the caller's decision (FraudOrder), as it is an admin's after a manual check.
    order.fraudmodule = module.name
    order.fraudoutput = results
    return {"result": "success", "module": module.name, "status": module.check, "results": results}
