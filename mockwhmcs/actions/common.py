"""What several action modules share: paging, request echoes, currencies, gateway names, emails."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from itertools import islice
from typing import Any, TypeVar

from ..store.models import Client, Currency, Email, ModuleLog, Service
from ..store.pricing import money
from ..store.store import Catalog, Store
from ..store.tables import Table
from .registry import Call

Row = TypeVar("Row")

# WHMCS's default page size for every paged list action.
DEFAULT_LIMIT = 25
# What 8.12 takes for "no limit" where an action pages only when asked to (GetClientsProducts).
NO_LIMIT = 999999

# What WHMCS's email check comes down to for API callers: one @, a dot in the domain, no spaces.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")

PRODUCT_TYPES = {
    "hostingaccount": "Hosting Account",
    "reselleraccount": "Reseller Account",
    "server": "Dedicated/VPS Server",
    "other": "Other Product/Service",
}


def valid_email(text: str) -> bool:
    return _EMAIL.fullmatch(text) is not None


def page_bounds(call: Call, default: int = DEFAULT_LIMIT) -> tuple[int, int]:
    """``limitstart`` and ``limitnum`` as WHMCS reads them: a missing or non-positive limit is
    ``default`` (25 for most actions)."""
    limit = call.int("limitnum")
    return max(call.int("limitstart"), 0), limit if limit > 0 else default


def paginate(rows: Iterable[Row], start: int, limit: int) -> tuple[int, list[Row]]:
    """How many rows there are, and the page of them the caller asked for."""
    total = 0
    page: list[Row] = []
    for row in rows:
        if start <= total < start + limit:
            page.append(row)
        total += 1
    return total, page


def table_page(table: Table[Row], start: int, limit: int, *,
               descending: bool = False) -> tuple[int, list[Row]]:
    """A page of a whole table in id order, and its size, reading no row outside the page."""
    # Bounded by the size: islice refuses positions past sys.maxsize, and limitstart can be anything.
    total = len(table)
    first, last = min(start, total), min(start + limit, total)
    # Reaching a page skips the rows before it, so skip from the nearer end: the last page of 100,000
    # clients took 4.4 ms from the front (benchmarks/paging.py), the cost of the first from the back.
    if first > total - last:
        page = list(islice(iter(table) if descending else reversed(table), total - last, total - first))
        page.reverse()
        return total, page
    return total, list(islice(reversed(table) if descending else iter(table), first, last))


def listed(total: int, start: int, key: str, item: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A paged list answer: the counts, then the rows as ``{key: {item: rows}}``, a key WHMCS leaves
    out when there are none (it builds the list by appending rows)."""
    response: dict[str, Any] = {"result": "success", "totalresults": total, "startnumber": start,
                                "numreturned": len(rows)}
    if rows:
        response[key] = {item: rows}
    return response


def candidates(table: Table[Row], row_id: int, index: str, key: int) -> Iterable[Row]:
    """Where a filtered list starts: the one row asked for by id, else one client's rows, else all."""
    if row_id:
        row = table.get(row_id)
        return [row] if row is not None else []
    return table.where(index, key) if key else table


def echo(call: Call, name: str) -> str | None:
    """A request value as WHMCS echoes it back: the string sent, or null when it was not sent."""
    value = call.params.get(name)
    return value if isinstance(value, str) else None


def caller_admin_id(call: Call) -> int:
    """The id of the admin making the call: the one the API credential belongs to, or who logged in."""
    admin = call.store.catalog.admins.get(call.admin)
    return admin.id if admin is not None else 0


def client_currency(store: Store, client: Client | None) -> Currency:
    """The currency a client is billed in (the default one when the client is gone)."""
    catalog = store.catalog
    currency = catalog.currencies.get(client.currency) if client else None
    return currency or catalog.default_currency


def formatted(currency: Currency, amount: Decimal) -> str:
    """An amount the way WHMCS shows it to people: ``$10.00 USD``."""
    return f"{currency.prefix}{money(amount)}{currency.suffix}"


def gateway_name(catalog: Catalog, module: str) -> str:
    """The display name of a payment gateway module; empty when the gateway is not active."""
    return catalog.gateway_names.get(module, "")


def record_email(store: Store, userid: int, template: str, relid: int, *, sent: bool, reason: str) -> None:
    """Keep the email WHMCS sends at this point, or the fact that the request suppressed it (``reason``)."""
    store.emails.add(Email(
        id=store.emails.new_id(), userid=userid, template=template, relid=relid, date=store.now(),
        sent=sent, reason="" if sent else reason,
    ))


def outcome(outcomes: dict[str, dict[str, str]], name: str, command: str) -> str | None:
    """What the scenario says a module or registrar answers ``command``: None for success, else the error.

    A module or registrar the scenario does not list succeeds, so a scenario only describes failures.
    """
    answer = outcomes.get(name, {}).get(command, "success")
    return None if answer == "success" else answer


def run_module(store: Store, service: Service, command: str) -> str | None:
    """Run ``command`` (create, suspend …) of the service's provisioning module as the scenario says,
    and log it; None for success, else the module's error. A product without a module always succeeds
    and logs nothing: WHMCS has nothing to call."""
    module = store.catalog.products[service.packageid].module
    if not module:
        return None
    failure = outcome(store.catalog.modules, module, command)
    store.module_log.add(ModuleLog(
        id=store.module_log.new_id(), date=store.now(), module=module, action=command, serviceid=service.id,
        response=failure or "success",
    ))
    return failure


def set_up_service(
    store: Store, service: Service, *, autosetup: bool, sendemail: bool, reason: str
) -> str | None:
    """Activate a pending service, running its module's create first when ``autosetup``.

    Success: the service is Active and its welcome email is kept (sent, or suppressed for ``reason``).
    Failure: the service stays Pending (the module log has the failure) and its error is returned.
    """
    if autosetup:
        failure = run_module(store, service, "create")
        if failure:
            return failure
    service.status = "Active"
    product = store.catalog.products[service.packageid]
    record_email(store, service.userid, f"{PRODUCT_TYPES[product.type]} Welcome Email", service.id,
                 sent=sendemail, reason=reason)
    return None
