"""The HTTP control API under ``/_mock/``: JSON in, JSON out, usable from any language.

    GET    /_mock/health            {"status": "ok", "scenario", "version", "whmcs_version"}
    POST   /_mock/reset             state, journal and faults back to the loaded scenario
    POST   /_mock/scenario          {"name": <bundled name or server-side path>} as JSON (by the
                                    Content-Type), or any other body as a YAML scenario
    GET    /_mock/state             every record table, money as "8.00", secrets masked
    GET    /_mock/requests          ?action=&limit= and any parameter subset (PHP form syntax)
    DELETE /_mock/requests          empty the journal
    POST   /_mock/requests/count    {"action", "params"} -> {"count", "near_misses"}
    GET    /_mock/faults            the rules in force, with matched/fired counters
    POST   /_mock/faults            one rule -> 201 with the rule and its id
    DELETE /_mock/faults[/<id>]     remove one rule, or all (the scenario's too, until the next reset)
    GET    /_mock/clock             {"now", "frozen"}
    POST   /_mock/clock             {"now": "YYYY-MM-DD HH:MM:SS"} and/or {"advance": seconds}

Bad input is a 4xx with ``{"error": ...}`` (and ``problems`` where there are several); nothing here
ever answers with a traceback.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from ..errors import ApiError
from ..store.scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from ..store.snapshot import stream_snapshot
from ..wire.phpform import decode_query
from .clock import ClockControl, parse_moment
from .engine import Engine, engine_of
from .faults import FaultRuleError

PREFIX = "/_mock"
try:
    VERSION = version("mockwhmcs")
except PackageNotFoundError:  # run from a source tree that was never installed
    VERSION = "unknown"

control = Blueprint("mockwhmcs_control", __name__, url_prefix=PREFIX)


class BadInput(Exception):
    """Input the control API cannot act on: a 4xx with ``{"error": ..., "problems": [...]}``."""

    def __init__(self, message: str, problems: list[str] | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems
        self.status = status


def register(app: Flask) -> None:
    """Mount the control API and make every error under ``/_mock/`` a JSON answer."""
    app.register_blueprint(control)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response | HTTPException:
        if not request.path.startswith(PREFIX + "/"):
            return error
        return _json({"error": error.description or error.name}, error.code or 500)

    @app.errorhandler(ApiError)
    def state_not_written(error: ApiError) -> Response:
        # Outside the WHMCS API, only a state file that cannot be written raises it (persistence.py).
        return _json({"error": error.message}, error.http_status)


@control.errorhandler(BadInput)
def bad_input(error: BadInput) -> Response:
    body: dict[str, Any] = {"error": error.message}
    if error.problems is not None:
        body["problems"] = error.problems
    return _json(body, error.status)


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, default=str), status=status, content_type="application/json")


def _engine() -> Engine:
    return engine_of(current_app)


def _body() -> dict[str, Any]:
    """The JSON object posted, whatever the Content-Type says (curl -d sends a form type)."""
    text = request.get_data(as_text=True)
    try:
        data = json.loads(text) if text.strip() else {}
    except ValueError as error:
        raise BadInput(f"the body is not JSON: {error}") from error
    except RecursionError as error:
        raise BadInput(f"the body nests deeper than {MAX_BODY_DEPTH} levels") from error
    if not isinstance(data, dict):
        raise BadInput("the body must be a JSON object")
    if _depth(data) > MAX_BODY_DEPTH:
        raise BadInput(f"the body nests deeper than {MAX_BODY_DEPTH} levels")
    return data


# No control body needs more: a fault's `when` matches PHP arrays a few levels deep.
MAX_BODY_DEPTH = 32


def _depth(value: Any) -> int:
    """How deeply ``value`` nests, worked out without recursion (a hostile body may nest thousands)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if depth <= MAX_BODY_DEPTH:
                children = item.values() if isinstance(item, dict) else item
                pending.extend((child, depth + 1) for child in children)
    return deepest


def _only(data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise BadInput(f"unknown keys {unknown}; expected some of {list(allowed)}")


def _summary(engine: Engine) -> dict[str, Any]:
    return {"status": "ok", "scenario": engine.scenario.name}


@control.get("/health")
def health() -> Response:
    engine = _engine()
    return _json({**_summary(engine), "version": VERSION,
                  "whmcs_version": engine.store.catalog.settings.whmcs_version})


@control.post("/reset")
def reset() -> Response:
    engine = _engine()
    engine.reset()
    return _json(_summary(engine))


@control.post("/scenario")
def load() -> Response:
    engine = _engine()
    engine.load(_posted_scenario())
    return _json(_summary(engine))


def _posted_scenario() -> Scenario:
    try:
        if request.mimetype == "application/json":
            data = _body()
            _only(data, ("name",))
            if not isinstance(data.get("name"), str):
                raise BadInput('give {"name": <a bundled scenario name or a path>}, or post a YAML scenario')
            return load_scenario(data["name"])
        text = request.get_data(as_text=True)
        if not text.strip():
            raise BadInput('the body is empty: post a YAML scenario, or {"name": ...} as JSON')
        return parse_scenario(text, source="request body")
    except ScenarioError as error:
        raise BadInput("invalid scenario; nothing was changed", error.problems) from error


@control.get("/state")
def state() -> Response:
    # Streamed a chunk of rows at a time, so a large store never holds up the API (snapshot.py).
    return Response(stream_snapshot(_engine().store), content_type="application/json")


@control.get("/requests")
def list_requests() -> Response:
    query = decode_query(request.query_string)
    action, limit = query.pop("action", None), query.pop("limit", None)
    if action is not None and not isinstance(action, str):
        raise BadInput("action must be a single action name")
    entries = _engine().journal.entries(action or None, query)
    if limit is not None:
        if not isinstance(limit, str) or not limit.isdigit():
            raise BadInput("limit must be a whole number")
        entries = entries[-int(limit):] if int(limit) else []
    return _json({"requests": [entry.to_json() for entry in entries]})


@control.delete("/requests")
def clear_requests() -> Response:
    _engine().journal.clear()
    return _json({"status": "ok"})


@control.post("/requests/count")
def count_requests() -> Response:
    data = _body()
    _only(data, ("action", "params"))
    action, params = data.get("action"), data.get("params", {})
    if action is not None and not isinstance(action, str):
        raise BadInput("action must be an action name, or \"*\" for any")
    if not isinstance(params, dict):
        raise BadInput("params must be a JSON object of parameters")
    journal = _engine().journal
    return _json({
        "count": len(journal.entries(action, params)),
        "near_misses": [entry.to_json() for entry in journal.near_misses(action, params)],
    })


@control.get("/faults")
def faults() -> Response:
    return _json({"faults": _engine().faults.to_json()})


@control.post("/faults")
def add_fault() -> Response:
    try:
        rule = _engine().faults.add(_body())
    except FaultRuleError as error:
        raise BadInput("invalid fault rule", error.problems) from error
    return _json(rule.to_json(), 201)


@control.delete("/faults")
def clear_faults() -> Response:
    _engine().faults.clear()
    return _json({"status": "ok"})


@control.delete("/faults/<int:rule_id>")
def remove_fault(rule_id: int) -> Response:
    if not _engine().faults.remove(rule_id):
        raise BadInput(f"no fault with id {rule_id}", status=404)
    return _json({"status": "ok"})


@control.route("/clock", methods=["GET", "POST"])
def clock() -> Response:
    engine = _engine()
    if request.method == "POST":
        moment, seconds = _clock_change(_body())
        control_clock = ClockControl(engine)
        try:
            if moment is not None:
                control_clock.set(moment)
            control_clock.advance(seconds)
        except OverflowError as error:
            raise BadInput("that would take the clock past the dates it can hold") from error
    return _json({"now": engine.store.now(), "frozen": engine.store.clock.frozen})


def _clock_change(data: dict[str, Any]) -> tuple[datetime | None, float]:
    """The moment to set and the seconds to advance, all checked before the clock changes."""
    _only(data, ("now", "advance"))
    if not data:
        raise BadInput('give {"now": "YYYY-MM-DD HH:MM:SS"} and/or {"advance": seconds}')
    moment = None
    if "now" in data:
        try:
            if not isinstance(data["now"], str):
                raise ValueError(f"{data['now']!r} is not a string")
            moment = parse_moment(data["now"])
        except ValueError as error:
            raise BadInput(f'now: {error}; expected "YYYY-MM-DD HH:MM:SS"') from error
    seconds = data.get("advance", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds):
        raise BadInput("advance must be a number of seconds")
    return moment, seconds
