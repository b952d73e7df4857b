"""The dashboard's pages, server-rendered from the same data the control API serves.

    GET  /_mock/ui/                     overview: scenario, clock, record counts
    GET  /_mock/ui/orders               orders, newest first
    GET  /_mock/ui/orders/<id>          one order: services, addons, domains, invoice, its API requests
    POST /_mock/ui/orders/<id>          action=AcceptOrder|CancelOrder|FraudOrder, sent to /includes/api.php
    GET  /_mock/ui/journal[?action=]    the request journal, newest first
    GET  /_mock/ui/journal/<seq>        one request: decoded parameters and the answer
    GET  /_mock/ui/faults               the fault rules in force
    POST /_mock/ui/faults               add a rule
    POST /_mock/ui/faults/<id>/remove   remove one
    POST /_mock/ui/reset                what POST /_mock/reset does

Forms post and redirect, so every page works without JavaScript; static/dashboard.js only keeps the
parts marked ``data-live`` up to date by fetching the page again.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ..actions.orders import ORDER_STATUSES
from ..control.engine import Engine, engine_of
from ..control.faults import ConnectionFault, FaultRuleError
from ..control.journal import JournalEntry
from ..control.matching import params_match
from ..control.routes import PREFIX
from ..store.snapshot import snapshot
from ..store.store import Store
from ..wire.phpform import decode_query

ui = Blueprint("mockwhmcs_ui", __name__, url_prefix=PREFIX + "/ui",
               template_folder="templates", static_folder="static")

# What the order page's buttons send.
ORDER_ACTIONS = ("AcceptOrder", "CancelOrder", "FraudOrder")
# Rows a list shows, newest first: after a long load test the page must still render in a blink.
SHOWN = 100
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
    return {"scenario_name": _engine().scenario.name}


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


# --- records -------------------------------------------------------------------------------------


class Records:
    """One snapshot of the store, with what a page shows beside an order: the client's name, the
    invoice's status as WHMCS reports paymentstatus, and money in the client's currency."""

    def __init__(self, store: Store) -> None:
        self.state = snapshot(store)
        self.catalog = store.catalog
        self.clients = _by_id(self.state["clients"])
        self.invoices = _by_id(self.state["invoices"])
        self.orders = _by_id(self.state["orders"])

    def order(self, order: dict[str, Any]) -> dict[str, Any]:
        client = self.clients.get(order["userid"])
        invoice = self.invoices.get(order["invoiceid"])
        return {
            **order,
            "client": f"{client['firstname']} {client['lastname']}" if client else "",
            "paymentstatus": invoice["status"] if invoice else "",
            "total": self.money(order["userid"], order["amount"]),
        }

    def money(self, userid: int, amount: str) -> str:
        client = self.clients.get(userid)
        currency = self.catalog.currencies.get(client["currency"]) if client else None
        currency = currency or self.catalog.default_currency
        return f"{currency.prefix}{amount}{currency.suffix}"

    def addon_name(self, addon: dict[str, Any]) -> str:
        # WHMCS keeps a name on the service addon only for a custom one; otherwise it is the catalog's.
        catalog_addon = self.catalog.addons.get(addon["addonid"])
        return addon["name"] or (catalog_addon.name if catalog_addon is not None else "")

    def where(self, table: str, key: str, value: int) -> list[dict[str, Any]]:
        return [row for row in self.state[table] if row[key] == value]


def _by_id(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in rows}


@ui.get("/")
def overview() -> str:
    engine = _engine()
    state = snapshot(engine.store)
    statuses = Counter(order["status"] for order in state["orders"])
    return render_template(
        "overview.html", page="overview", state=state, frozen=engine.store.clock.frozen,
        # WHMCS's four statuses always, in its order, then any other a scenario seeded.
        order_statuses=[(status, statuses[status]) for status in dict.fromkeys([*ORDER_STATUSES, *statuses])],
        requests=len(engine.journal.entries()), faults=len(engine.faults.to_json()),
    )


@ui.get("/orders")
def orders() -> str:
    records = Records(_engine().store)
    newest = records.state["orders"][::-1][:SHOWN]
    return render_template("orders.html", page="orders", orders=[records.order(order) for order in newest],
                           total=len(records.state["orders"]))


@ui.route("/orders/<int:order_id>", methods=["GET", "POST"])
def order(order_id: int) -> str | Response:
    if request.method == "POST":
        action = request.form.get("action", "")
        if action not in ORDER_ACTIONS:
            abort(400, f"The order page sends one of {', '.join(ORDER_ACTIONS)}, not {action!r}.")
        _call_api(action, orderid=str(order_id))
        return redirect(url_for(".order", order_id=order_id, sent=action), 303)
    engine = _engine()
    records = Records(engine.store)
    found = records.orders.get(order_id)
    if found is None:
        abort(404, f"There is no order {order_id}.")
    requests = [entry.to_json() for entry in reversed(engine.journal.entries()) if _about(entry, order_id)]
    sent = request.args.get("sent")
    return render_template(
        "order.html", page="orders", order=records.order(found), actions=ORDER_ACTIONS,
        services=[{**service, "product": records.catalog.products[service["packageid"]].name,
                   "total": records.money(service["userid"], service["amount"])}
                  for service in records.where("services", "orderid", order_id)],
        addons=[{**addon, "name": records.addon_name(addon)}
                for addon in records.where("addons", "orderid", order_id)],
        domains=records.where("domains", "orderid", order_id),
        invoice=records.invoices.get(found["invoiceid"]),
        invoice_items=records.where("invoiceitems", "invoiceid", found["invoiceid"]),
        requests=requests[:SHOWN],
        answer=next((entry for entry in requests if entry["action"] == sent), None),
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
    log = _engine().journal
    action = request.args.get("action", "")
    matching = log.entries(action or None)
    return render_template(
        "journal.html", page="journal", action=action, total=len(matching),
        entries=[entry.to_json() for entry in matching[::-1][:SHOWN]],
        actions=sorted({entry.action for entry in log.entries() if entry.action} | ({action} - {""})),
    )


@ui.get("/journal/<int:seq>")
def journal_entry(seq: int) -> str:
    found = next((entry for entry in _engine().journal.entries() if entry.seq == seq), None)
    if found is None:
        abort(404, f"Request #{seq} is not in the journal: it was emptied since, or the entry aged out.")
    return render_template("entry.html", page="journal", entry=found.to_json())


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
    page = render_template("faults.html", page="faults", rules=_engine().faults.to_json(), form=form,
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
