"""The dashboard's pages, server-rendered from the store and the journal.

    GET  /                              a small page pointing at the API, the dashboard and the control API
    GET  /_mock/ui                      overview: scenario, clocks, a count of each record table
    GET  /_mock/ui/<table>[?page=&userid=…]  a record table, newest first, a page at a time (listings.py)
    GET  /_mock/ui/<table>/<id>         one record: its fields and the tables listing it (a client's orders…)
    GET  /_mock/ui/orders/<id>          one order: as above, with its API requests and buttons
    POST /_mock/ui/orders/<id>          action=AcceptOrder|CancelOrder|FraudOrder, sent to /includes/api.php
    GET  /_mock/ui/journal[?action=&page=]  the request journal, newest first
    GET  /_mock/ui/journal/<seq>        one request: decoded parameters and the answer
    GET  /_mock/ui/faults               the fault rules in force
    POST /_mock/ui/faults               add a rule
    POST /_mock/ui/faults/<id>/remove   remove one
    POST /_mock/ui/reset                what POST /_mock/reset does

Every page costs the rows it shows, however big the store: it holds the store lock while it reads them
and renders after (paging.py). Forms post and redirect, so every page works without JavaScript;
static/dashboard.js only keeps the parts marked ``data-live`` up to date by fetching the page again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ..control.engine import Engine, engine_of
from ..control.faults import ConnectionFault, FaultRuleError
from ..control.journal import JournalEntry
from ..control.matching import params_match
from ..control.routes import PREFIX
from ..store.store import RECORD_TABLES, Store
from ..wire.phpform import decode_query
from .listings import (
    LISTINGS,
    REFERENCES,
    Link,
    Listing,
    Related,
    cells,
    client_name,
    facts,
    money_of,
    reference,
)
from .paging import Page, page_of, requested_page

ui = Blueprint("mockwhmcs_ui", __name__, url_prefix=PREFIX + "/ui",
               template_folder="templates", static_folder="static")
# The site's front page, outside the control plane: what a person opening the server's address finds.
front = Blueprint("mockwhmcs_front", __name__, template_folder="templates")

# What the order page's buttons send.
ORDER_ACTIONS = ("AcceptOrder", "CancelOrder", "FraudOrder")
# The fault form's fields, in the order a rule lists them, and those that hold numbers.
RULE_FIELDS = ("action", "when", "error", "status", "body", "connection", "times", "after", "probability",
               "delay")
_NUMBERS: dict[str, Callable[[str], int | float]] = {
    "status": int, "times": int, "after": int, "probability": float, "delay": float,
}


def _engine() -> Engine:
    return engine_of(current_app)


@ui.before_request
def same_origin_posts() -> None:
    # The forms change the mock's state; a page on another site must not be able to submit them.
    origin = request.headers.get("Origin")
    if request.method == "POST" and origin is not None and origin != request.host_url.rstrip("/"):
        abort(403, "The dashboard only accepts forms from its own pages.")


@ui.context_processor
def page_header() -> dict[str, Any]:
    return {"scenario_name": _engine().scenario.name,
            "sections": [(listing.table, listing.title) for listing in LISTINGS.values() if listing.nav]}


@ui.errorhandler(HTTPException)
def error_page(error: HTTPException) -> tuple[str, int]:
    # Errors elsewhere under /_mock/ are JSON; a person in a browser gets a page with a way back.
    return render_template("error.html", error=error), error.code or 500


@ui.app_template_filter("as_json")
def as_json(value: Any, indent: int | None = None) -> str:
    """Parameters, answers and rules as JSON to read (Jinja's tojson escapes for scripts instead); a raw
    answer (a fault's body) as it was sent."""
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=indent, ensure_ascii=False, default=str)


@ui.app_template_filter("outcome")
def outcome(entry: Mapping[str, Any]) -> str:
    """A journal entry's answer in a few words: "success", "error: <message>", "HTTP 503"…"""
    if entry["status"] is None:
        return f"connection {(entry['fault'] or {}).get('connection', 'broken')}"
    response = entry["response"]
    if isinstance(response, Mapping) and "result" in response:
        message = response.get("message")
        return f"{response['result']}: {message}" if message else str(response["result"])
    return f"HTTP {entry['status']}"


@ui.app_template_test("link")
def is_link(value: Any) -> bool:
    return isinstance(value, Link)


# --- the way in --------------------------------------------------------------------------------------


@front.get("/")
def home() -> str:
    engine = _engine()
    return render_template("front.html", scenario_name=engine.scenario.name, control=PREFIX,
                           whmcs_version=engine.store.catalog.settings.whmcs_version)


# With or without the slash, /_mock/ui answers the overview itself: a bookmark needs no redirect.
@ui.get("/", strict_slashes=False)
def overview() -> str:
    engine = _engine()
    store = engine.store
    with store.lock:
        now, frozen = store.now(), store.clock.frozen
        # Every table, listed or not yet, so a record kind the dashboard cannot show still gets counted.
        counts = [(LISTINGS.get(name), name, len(table)) for name, table in store.tables().items()]
    return render_template("overview.html", section="overview", now=now, frozen=frozen, counts=counts,
                           requests=len(engine.journal.entries()), faults=len(engine.faults.to_json()))


# --- records ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shown:
    """A page of one record table, ready to render."""

    listing: Listing
    page: Page[list[Any]]
    of: Link | str | None = None  # the record the rows belong to, when they are one record's
    more: str | None = None  # the list page of all of them, when more than a page belong to it


def _listing(table: str) -> Listing:
    listing = LISTINGS.get(table)
    if listing is None:
        abort(404, f"The dashboard has no page {table!r}.")
    return listing


def _rows(store: Store, listing: Listing, number: int, where: tuple[str, int] | None = None
          ) -> Page[list[Any]]:
    """Page ``number`` of a table, newest first, optionally only rows whose indexed field has a value."""
    with store.lock:
        table = store.tables()[listing.table]
        if where:
            rows, total = table.newest_where(*where), table.count(*where)
        else:
            rows, total = reversed(table), len(table)
        return page_of(rows, total, number, lambda row: cells(listing, row, store))


def _related(store: Store, relation: Related, row: Any) -> Shown:
    listing = LISTINGS[relation.table]
    value = getattr(row, relation.key)
    page = _rows(store, listing, 1, (relation.field, value))
    more = url_for(".records", table=listing.table, **{relation.field: value}) if page.pages > 1 else None
    return Shown(listing, page, more=more)


def _where(listing: Listing) -> tuple[str, int] | None:
    """The list page's filter: ``?userid=1`` keeps the rows of client 1 (any indexed reference field)."""
    fields = [name for name in RECORD_TABLES[listing.table] if name in REFERENCES and name in request.args]
    if not fields:
        return None
    name, value = fields[0], request.args[fields[0]]
    if not value.isdigit():
        abort(404, f"There is no {name} {value!r}: ids are whole numbers.")
    return name, int(value)


@ui.get("/<table>")
def records(table: str) -> str:
    listing = _listing(table)
    where = _where(listing)
    page = _rows(_engine().store, listing, requested_page(), where)
    of = reference(REFERENCES[where[0]], where[1]) if where else None
    return render_template("records.html", section=table, shown=Shown(listing, page, of))


@ui.get("/<table>/<int:row_id>")
def record(table: str, row_id: int) -> str:
    listing = _listing(table)
    store = _engine().store
    with store.lock:
        row = _found(store, listing, row_id)
        fields = facts(row)
        related = [_related(store, relation, row) for relation in listing.related]
    return render_template("record.html", section=table, listing=listing, row_id=row_id, facts=fields,
                           related=related)


def _found(store: Store, listing: Listing, row_id: int) -> Any:
    row = store.tables()[listing.table].get(row_id)
    if row is None:
        abort(404, f"There is no {listing.noun.lower()} {row_id}.")
    return row


@ui.route("/orders/<int:order_id>", methods=["GET", "POST"])
def order(order_id: int) -> str | Response:
    if request.method == "POST":
        action = request.form.get("action", "")
        if action not in ORDER_ACTIONS:
            abort(400, f"The order page sends one of {', '.join(ORDER_ACTIONS)}, not {action!r}.")
        _call_api(action, orderid=str(order_id))
        return redirect(url_for(".order", order_id=order_id, sent=action), 303)
    engine = _engine()
    store = engine.store
    listing = LISTINGS["orders"]
    with store.lock:
        found = _found(store, listing, order_id)
        invoice = store.invoices.get(found.invoiceid)
        shown = {
            "id": found.id, "ordernum": found.ordernum, "status": found.status, "userid": found.userid,
            "client": client_name(store, found.userid), "date": found.date,
            "total": money_of(store, found.userid, found.amount), "paymentmethod": found.paymentmethod,
            "promocode": found.promocode, "invoice": reference("invoices", found.invoiceid),
            "paymentstatus": invoice.status if invoice else "",
            "invoicetotal": money_of(store, found.userid, invoice.total) if invoice else "",
            "duedate": invoice.duedate if invoice else "",
        }
        related = [_related(store, relation, found) for relation in listing.related]
    about = [entry for entry in reversed(engine.journal.entries()) if _about(entry, order_id)]
    requests = page_of(about, len(about), 1, JournalEntry.to_json)
    sent = request.args.get("sent")
    return render_template(
        "order.html", section="orders", order=shown, actions=ORDER_ACTIONS, related=related,
        requests=requests,
        answer=next((entry for entry in map(JournalEntry.to_json, about) if entry["action"] == sent), None),
    )


def _about(entry: JournalEntry, order_id: int) -> bool:
    """Whether a request names the order (orderid=…) or created it (AddOrder answers its orderid)."""
    response = entry.response
    return params_match({"orderid": order_id}, entry.params) or (
        isinstance(response, Mapping) and response.get("orderid") == order_id)


def _call_api(action: str, **params: str) -> None:
    """Send ``action`` to /includes/api.php as a client would, with the scenario's first API credential.

    The call goes through the whole WSGI app rather than straight to the action, so it is journalled
    and fault rules, access control and warnings treat it like any other client's. Made server-side,
    it keeps the secret out of the page.
    """
    credential = next(iter(_engine().store.catalog.credentials.values()), None)
    if credential is None:
        abort(409, f"Scenario {_engine().scenario.name} has no api_credentials to call the API with.")
    fields = {"action": action, "identifier": credential.identifier, "secret": credential.secret,
              "responsetype": "json", **params}
    # An injected connection fault raises here instead of breaking a socket; its journal entry shows it.
    with suppress(ConnectionFault):
        # From the browser's address, so the scenario's allowed_ips judge the person clicking.
        current_app.test_client().post("/includes/api.php", data=fields,
                                       environ_base={"REMOTE_ADDR": request.remote_addr or ""})


# --- journal -------------------------------------------------------------------------------------


@ui.get("/journal")
def journal() -> str:
    # The journal is bounded (control/journal.py) and has its own lock: reading it never holds the store.
    log = _engine().journal
    action = request.args.get("action", "")
    everything = log.entries()
    matching = log.entries(action) if action else everything
    return render_template(
        "journal.html", section="journal", action=action,
        entries=page_of(reversed(matching), len(matching), requested_page(), JournalEntry.to_json),
        actions=sorted({entry.action for entry in everything if entry.action} | ({action} - {""})),
    )


@ui.get("/journal/<int:seq>")
def journal_entry(seq: int) -> str:
    found = next((entry for entry in _engine().journal.entries() if entry.seq == seq), None)
    if found is None:
        abort(404, f"Request #{seq} is not in the journal: it was emptied since, or the entry aged out.")
    return render_template("entry.html", section="journal", entry=found.to_json())


# --- faults and reset ----------------------------------------------------------------------------


@ui.route("/faults", methods=["GET", "POST"])
def faults() -> tuple[str, int] | Response:
    form: dict[str, str] = {}
    problems: list[str] = []
    if request.method == "POST":
        form = request.form.to_dict()
        try:
            _engine().faults.add(_posted_rule(form))
        except FaultRuleError as error:
            problems = error.problems
        else:
            return redirect(url_for(".faults"), 303)
    page = render_template("faults.html", section="faults", rules=_engine().faults.to_json(), form=form,
                           problems=problems)
    return page, 400 if problems else 200


def _posted_rule(form: Mapping[str, str]) -> dict[str, Any]:
    """A fault rule from the form: blank fields left out, ``when`` read as a query string
    (``orderid=5&pid[]=1``), numbers converted."""
    rule: dict[str, Any] = {}
    for key in RULE_FIELDS:
        text = form.get(key, "")
        if not text.strip():
            continue
        if key == "when":
            rule[key] = decode_query(text.strip())
        elif key in _NUMBERS:
            rule[key] = _number(text, _NUMBERS[key])
        else:
            rule[key] = text.strip() if key == "action" else text
    return rule


def _number(text: str, kind: Callable[[str], int | float]) -> int | float | str:
    try:
        return kind(text)
    except ValueError:
        return text  # left as text, so the rule's schema names the problem as the control API would


@ui.post("/faults/<int:rule_id>/remove")
def remove_fault(rule_id: int) -> Response:
    # A rule already gone (a reset in between) is what the person wanted anyway.
    _engine().faults.remove(rule_id)
    return redirect(url_for(".faults"), 303)


@ui.post("/reset")
def reset() -> Response:
    _engine().reset()
    return redirect(url_for(".overview"), 303)
