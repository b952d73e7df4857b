"""``mockwhmcs compare``: the same probes against a real WHMCS and a mock, and where their answers differ.

A probe is one API request, defined as data below. Ids differ between the two sides, so a probe names
the records it needs (``{client}``, ``{invoice}`` …) and each side finds its own, from its own list
answers (``REFS``). What is compared is the shape of the answers, never their values (imported
personal data is faked and ids differ): HTTP status, content type, format, ``result`` and error
messages exactly, then keys, JSON types and key order at every depth. docs/compare.md is the account
users read; keep the two in step.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..client import http_build_query
from ..store.scenario import Scenario, parse_scenario
from .client import Exchange, Upstream, UpstreamError

# An id no WHMCS has: the probes of unknown ids send it (write actions only once a read has shown it
# is indeed unknown on that side, see ``REFS``).
ABSENT_ID = "999999999"
WRONG_SECRET = "mockwhmcs-compare-wrong-secret"
UNKNOWN_IDENTIFIER = "mockwhmcs-compare-unknown-identifier"
NO_MATCH = "mockwhmcs-compare-no-such-record"

# Credentials a probe is sent with: the side's own, or a deliberately bad pair.
OWN, BAD_SECRET, BAD_IDENTIFIER = "own", "wrong secret", "unknown identifier"


@dataclass(frozen=True)
class Ref:
    """How one side finds a record a probe needs: the value at ``path`` in its answer to ``action``.

    ``absent`` turns it around: the ref is ``ABSENT_ID`` when the answer has nothing at ``path``,
    proof that the id is unknown there before a write action is sent it."""

    action: str
    params: Mapping[str, str]
    path: str
    absent: bool = False

    def describe(self) -> str:
        shown = ", ".join(f"{name}={value}" for name, value in self.params.items())
        return f"{self.action}({shown})"


REFS: dict[str, Ref] = {
    "client": Ref("GetClients", {"status": "Active", "limitnum": "1"}, "clients.client[0].id"),
    "closed_client": Ref("GetClients", {"status": "Closed", "limitnum": "1"}, "clients.client[0].id"),
    "service": Ref("GetClientsProducts", {"limitnum": "1"}, "products.product[0].id"),
    "domain": Ref("GetClientsDomains", {"limitnum": "1"}, "domains.domain[0].id"),
    "order": Ref("GetOrders", {"limitnum": "1"}, "orders.order[0].id"),
    "invoice": Ref("GetInvoices", {"limitnum": "1"}, "invoices.invoice[0].id"),
    "ticket": Ref("GetTickets", {"limitnum": "1"}, "tickets.ticket[0].id"),
    "currency": Ref("GetCurrencies", {}, "currencies.currency[0].id"),
    "product": Ref("GetProducts", {}, "products.product[0].pid"),
    "gateway": Ref("GetPaymentMethods", {}, "paymentmethods.paymentmethod[0].module"),
    "absent_client": Ref("GetClientsDetails", {"clientid": ABSENT_ID}, "client.id", absent=True),
    "absent_order": Ref("GetOrders", {"id": ABSENT_ID}, "orders.order[0].id", absent=True),
}


@dataclass(frozen=True)
class Probe:
    """One request. A parameter value ``{name}`` is the side's ref ``name`` (REFS, or kept by an
    earlier probe through ``keep``: name -> path in its answer)."""

    name: str
    action: str
    params: Mapping[str, str] = field(default_factory=dict)
    responsetype: str | None = "json"  # None: sent without one, to see the action's default format
    credentials: str = OWN
    keep: Mapping[str, str] = field(default_factory=dict)


def _read(action: str, *variants: tuple[str, dict[str, str]]) -> list[Probe]:
    """The probes of one read action: typical parameters first, then each named variant."""
    return [Probe(f"{action} ({label})" if label else action, action, params) for label, params in variants]


# Read-only: every implemented read action but the three that ask a registrar on a real WHMCS
# (DomainGetNameservers, DomainGetLockingStatus, DomainGetWhoisInfo), then the errors of actions that
# change something, sent where WHMCS refuses before changing anything.
READ_PROBES: tuple[Probe, ...] = (
    # catalogue
    *_read("GetProducts", ("", {}), ("one product", {"pid": "{product}"}),
           ("unknown pid", {"pid": ABSENT_ID})),
    *_read("GetCurrencies", ("", {})),
    *_read("GetTLDPricing", ("", {}), ("currency", {"currencyid": "{currency}"})),
    *_read("GetPaymentMethods", ("", {})),
    *_read("GetPromotions", ("", {}), ("unknown code", {"code": NO_MATCH})),
    # clients
    *_read("GetClients", ("", {}), ("no match", {"search": NO_MATCH})),
    *_read("GetClientsDetails", ("", {"clientid": "{client}", "stats": "1"}),
           ("unknown clientid", {"clientid": ABSENT_ID}), ("no clientid", {})),
    *_read("GetClientsProducts", ("", {"serviceid": "{service}"}),
           ("unknown clientid", {"clientid": ABSENT_ID})),
    *_read("GetClientsDomains", ("", {"domainid": "{domain}"}),
           ("unknown clientid", {"clientid": ABSENT_ID})),
    *_read("GetClientsAddons", ("", {}), ("unknown clientid", {"clientid": ABSENT_ID})),
    *_read("GetContacts", ("", {}), ("unknown userid", {"userid": ABSENT_ID})),
    *_read("GetUsers", ("", {}), ("no match", {"search": NO_MATCH})),
    *_read("GetCredits", ("", {"clientid": "{client}"}), ("unknown clientid", {"clientid": ABSENT_ID})),
    # orders
    *_read("GetOrders", ("", {"id": "{order}"}), ("unknown id", {"id": ABSENT_ID})),
    *_read("GetOrderStatuses", ("", {})),
    # billing
    *_read("GetInvoices", ("", {}), ("unknown userid", {"userid": ABSENT_ID})),
    *_read("GetInvoice", ("", {"invoiceid": "{invoice}"}), ("unknown invoiceid", {"invoiceid": ABSENT_ID})),
    *_read("GetTransactions", ("", {}), ("unknown clientid", {"clientid": ABSENT_ID})),
    # support
    *_read("GetSupportDepartments", ("", {})),
    *_read("GetSupportStatuses", ("", {})),
    *_read("GetTicketCounts", ("", {"includeCountsByStatus": "1"})),
    *_read("GetTickets", ("", {}), ("unknown clientid", {"clientid": ABSENT_ID})),
    *_read("GetTicket", ("", {"ticketid": "{ticket}"}), ("unknown ticketid", {"ticketid": ABSENT_ID})),
    *_read("GetTicketNotes", ("", {"ticketid": "{ticket}"}), ("unknown ticketid", {"ticketid": ABSENT_ID})),
    # domains: WHMCS's own WHOIS lookup, no registrar involved
    *_read("DomainWhois", ("", {"domain": "example.com"}), ("invalid domain", {"domain": "not a domain"})),
    # refusals of actions that change things: none of these sends anything to order, so even a WHMCS
    # that let one check through would stop at "No items added to cart"
    *(Probe(f"AddOrder ({label})", "AddOrder", {"clientid": client, "paymentmethod": gateway})
      for label, client, gateway in (("unknown clientid", "{absent_client}", "{gateway}"),
                                     ("closed client", "{closed_client}", "{gateway}"),
                                     ("bad payment method", "{client}", NO_MATCH),
                                     ("nothing to order", "{client}", "{gateway}"))),
    *(Probe(f"{action} (unknown orderid)", action, {"orderid": "{absent_order}"})
      for action in ("AcceptOrder", "PendingOrder", "CancelOrder", "FraudOrder", "DeleteOrder")),
    # the API itself: credentials, formats, actions
    Probe("GetClients (wrong secret)", "GetClients", credentials=BAD_SECRET),
    Probe("GetClients (unknown identifier)", "GetClients", credentials=BAD_IDENTIFIER),
    Probe("GetClients (responsetype yaml)", "GetClients", responsetype="yaml"),
    Probe("GetProducts (responsetype nvp)", "GetProducts", responsetype="nvp"),
    Probe("GetCurrencies (default format)", "GetCurrencies", responsetype=None),
    Probe("GetClientsDetails (default format)", "GetClientsDetails", {"clientid": "{client}"},
          responsetype=None),
    Probe("(empty action)", ""),
    Probe("(unknown action)", "MockwhmcsCompareNoSuchAction"),
)

# --write: one order through its life on the first active client, first product and first payment
# method, ending deleted. For a staging WHMCS: this creates, accepts and deletes a real order.
WRITE_PROBES: tuple[Probe, ...] = (
    Probe("AddOrder", "AddOrder", {"clientid": "{client}", "pid": "{product}", "paymentmethod": "{gateway}",
                                   "noemail": "1"},
          keep={"new_order": "orderid", "new_invoice": "invoiceid"}),
    Probe("GetOrders (new order)", "GetOrders", {"id": "{new_order}"}),
    Probe("GetInvoice (new invoice)", "GetInvoice", {"invoiceid": "{new_invoice}"}),
    Probe("AcceptOrder", "AcceptOrder", {"orderid": "{new_order}", "autosetup": "0", "sendemail": "0"}),
    Probe("AcceptOrder (already active)", "AcceptOrder", {"orderid": "{new_order}"}),
    Probe("PendingOrder", "PendingOrder", {"orderid": "{new_order}"}),
    Probe("CancelOrder", "CancelOrder", {"orderid": "{new_order}", "noemail": "1"}),
    Probe("DeleteOrder", "DeleteOrder", {"orderid": "{new_order}"}),
    Probe("DeleteOrder (deleted order)", "DeleteOrder", {"orderid": "{new_order}"}),
)


# --- one side's answers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What one side answered a probe: ``data`` is the body parsed (JSON, NVP or XML), ``failure``
    the reason when the side could not be reached at all."""

    status: int | None
    content_type: str
    form: str  # json | xml | nvp | text | empty | unreachable
    data: Any
    failure: str = ""


def answer_of(exchange: Exchange) -> Answer:
    body = exchange.body
    text = body.decode("utf-8", "replace").strip()
    media = exchange.content_type.split(";")[0].strip().lower()
    if not text:
        return Answer(exchange.status, exchange.content_type, "empty", None)
    data = exchange.json()
    if data is not None:
        return Answer(exchange.status, exchange.content_type, "json", data)
    if text.startswith("<?xml") or media.endswith("/xml"):
        try:
            return Answer(exchange.status, exchange.content_type, "xml", _xml(ElementTree.fromstring(body)))
        except (ElementTree.ParseError, RecursionError):
            pass  # read as text below
    if re.match(r"\w+=", text):
        return Answer(exchange.status, exchange.content_type, "nvp", _nvp(text))
    return Answer(exchange.status, exchange.content_type, "text", text)


def _nvp(text: str) -> dict[str, str]:
    """``key=value;key=value`` as WHMCS renders NVP, in order."""
    pairs = (pair.partition("=") for pair in text.split(";"))
    return {key: value for key, _, value in pairs}


def _xml(element: ElementTree.Element) -> Any:
    """An XML answer as nested objects of strings. A repeated element keeps its first occurrence: the
    same first-record rule as JSON lists, and one record or two read the same."""
    children = list(element)
    if not children:
        return element.text or ""
    parsed: dict[str, Any] = {}
    for child in children:
        parsed.setdefault(child.tag, _xml(child))
    return parsed


class Side:
    """One WHMCS (the real one or the mock) as the probes see it: its answers and the refs it resolved."""

    def __init__(self, upstream: Upstream) -> None:
        self.upstream = upstream
        self.values: dict[str, str] = {}
        self.missing: dict[str, str] = {}  # ref -> why it could not be found
        self._lookups: dict[str, Any] = {}

    def send(self, probe: Probe, params: Mapping[str, str]) -> Answer:
        credentials = {
            OWN: self.upstream.credentials(),
            BAD_SECRET: {"identifier": self.upstream.identifier, "secret": WRONG_SECRET},
            BAD_IDENTIFIER: {"identifier": UNKNOWN_IDENTIFIER, "secret": WRONG_SECRET},
        }[probe.credentials]
        fields: dict[str, Any] = {"action": probe.action, **credentials}
        if probe.responsetype is not None:
            fields["responsetype"] = probe.responsetype
        try:
            exchange = self.upstream.post(http_build_query({**fields, **params}).encode())
        except UpstreamError as error:
            # Without the address, which is not the same on both sides.
            return Answer(None, "", "unreachable", None, str(error).replace(self.upstream.url, "the API"))
        answer = answer_of(exchange)
        for name, path in probe.keep.items():
            self._note(name, _at(answer.data, path), f"{probe.name} answered no {path}")
        return answer

    def params(self, probe: Probe) -> dict[str, str] | str:
        """The probe's parameters with this side's refs, or why a ref cannot be found here."""
        resolved = {}
        for name, value in probe.params.items():
            if value.startswith("{") and value.endswith("}"):
                ref = value[1:-1]
                if ref not in self.values and ref not in self.missing:
                    self._resolve(ref)
                if ref in self.missing:
                    return self.missing[ref]
                value = self.values[ref]
            resolved[name] = value
        return resolved

    def _resolve(self, name: str) -> None:
        ref = REFS.get(name)
        if ref is None:  # kept by a write probe that did not run or failed
            self.missing[name] = f"no {name} (the probe that makes it did not succeed)"
            return
        key = json.dumps([ref.action, ref.params])
        if key not in self._lookups:
            try:
                self._lookups[key] = self.upstream.exchange(ref.action, ref.params).json()
            except UpstreamError as error:
                self._lookups[key] = None
                self.missing[name] = str(error)
                return
        data = self._lookups[key]
        found = _at(data, ref.path)
        if ref.absent:
            found = ABSENT_ID if isinstance(data, dict) and found is None else None
            self._note(name, found, f"{ref.describe()} did not show id {ABSENT_ID} is unknown")
        else:
            self._note(name, found, f"{ref.describe()} lists none")

    def _note(self, name: str, value: Any, why: str) -> None:
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value) != "":
            self.values[name] = str(value)
        else:
            self.missing[name] = why


def _at(data: Any, path: str) -> Any:
    """The value at ``a.b[0].c`` in ``data``, or None."""
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if index:
            data = data[int(index)] if isinstance(data, list) and len(data) > int(index) else None
        else:
            data = data.get(key) if isinstance(data, dict) else None
    return data


# --- differences ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    kind: str  # transport status content-type format result message missing extra type order records
    path: str
    real: Any
    mock: Any

    def line(self) -> str:
        real, mock = self.real, self.mock
        if self.kind == "order":
            real, mock = ", ".join(real), ", ".join(mock)
        template = _LINES.get(self.kind, "{kind}: real {real!r}, mock {mock!r}")
        return template.format(kind=self.kind, path=self.path, where=self.path or "the answer", real=real,
                               mock=mock)

    @property
    def in_data(self) -> bool:
        """A difference of what the two hold (records on one side only), not of how they answer: it is
        reported, and leaves the exit status alone."""
        return self.kind == "records"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "real": self.real, "mock": self.mock}


# How each kind of difference reads in the text report; the rest read "kind: real 'x', mock 'y'".
_LINES = {
    "missing": "missing key {path} (real: {real})",
    "extra": "extra key {path} (mock: {mock})",
    "type": "type of {where}: real {real}, mock {mock}",
    "order": "key order of {where}: real {real}; mock {mock}",
    "records": "records in {where}: real {real}, mock {mock}",
}


def compare_answers(real: Answer, mock: Answer) -> list[Difference]:
    """Where two answers to one probe differ, in a fixed order: transport, status, content type,
    format, result, message, then the body's shape."""
    differences: list[Difference] = []
    if real.failure or mock.failure:
        if real.failure != mock.failure:
            differences.append(Difference("transport", "", real.failure or "answered",
                                          mock.failure or "answered"))
        return differences
    for kind, ours, theirs in (("status", real.status, mock.status),
                               ("content-type", _media(real.content_type), _media(mock.content_type)),
                               ("format", real.form, mock.form)):
        if ours != theirs:
            differences.append(Difference(kind, "", ours, theirs))
    if real.form != mock.form:
        return differences
    if not (isinstance(real.data, dict) and isinstance(mock.data, dict)):
        if real.data != mock.data:  # a body that is not an API answer (a 503 page): its text is the message
            differences.append(Difference("message", "", real.data, mock.data))
        return differences
    for key in ("result", "message"):
        if key == "message" and _succeeded(real.data) and _succeeded(mock.data):
            continue  # a success's message, where there is one, is data
        if real.data.get(key) != mock.data.get(key):
            differences.append(Difference(key, key, real.data.get(key), mock.data.get(key)))
    differences += shape_differences(real.data, mock.data)
    return differences


def _media(content_type: str) -> str:
    return re.sub(r"\s+", "", content_type.lower())


def _succeeded(data: dict[str, Any]) -> bool:
    return data.get("result") == "success"


def shape_differences(real: Any, mock: Any, path: str = "") -> list[Difference]:
    """Missing and extra keys, types and key order at every depth; of a list, the first record of
    each side when both have one (a list empty on one side only is a ``records`` difference)."""
    real_type, mock_type = type_name(real), type_name(mock)
    if _has_records(real) != _has_records(mock) and (_is_empty(real) or _is_empty(mock)):
        return [_records(path, real, mock)]
    if real_type != mock_type:
        return [Difference("type", path, real_type, mock_type)]
    if isinstance(real, list):
        return shape_differences(real[0], mock[0], f"{path}[0]") if real and mock else []
    if not isinstance(real, dict):
        return []
    differences = []
    for key, value in real.items():
        if key not in mock:
            differences.append(_records(_join(path, key), value, None) if _has_records(value)
                               else Difference("missing", _join(path, key), type_name(value), None))
    for key, value in mock.items():
        if key not in real:
            differences.append(_records(_join(path, key), None, value) if _has_records(value)
                               else Difference("extra", _join(path, key), None, type_name(value)))
    shared_real = [key for key in real if key in mock]
    shared_mock = [key for key in mock if key in real]
    if shared_real != shared_mock:
        differences.append(Difference("order", path, shared_real, shared_mock))
    for key in shared_real:
        differences += shape_differences(real[key], mock[key], _join(path, key))
    return differences


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    return {int: "int", float: "float", str: "string", list: "array", dict: "object"}[type(value)]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _has_records(value: Any) -> bool:
    """A non-empty list, or WHMCS's list wrapper around one (``{"product": [...]}``)."""
    if isinstance(value, dict) and len(value) == 1:
        value = next(iter(value.values()))
    return isinstance(value, list) and bool(value)


def _is_empty(value: Any) -> bool:
    """The ways WHMCS answers an empty list: no key (None here), ``[]``, ``""``, an empty wrapper."""
    if isinstance(value, dict) and len(value) == 1:
        value = next(iter(value.values()))
    return value is None or value == [] or value == ""


def _records(path: str, real: Any, mock: Any) -> Difference:
    def count(value: Any) -> str:
        return "some" if _has_records(value) else "none"

    return Difference("records", path, count(real), count(mock))


# --- a run ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One probe on both sides: the parameters each was sent, and the differences (or why it was
    skipped: a side could not find a record it needs)."""

    probe: Probe
    params: dict[str, Any]
    differences: list[Difference]
    skipped: str = ""

    @property
    def state(self) -> str:
        """same | different | data (differs only in what the sides hold) | skipped."""
        if self.skipped:
            return "skipped"
        if not self.differences:
            return "same"
        return "data" if all(difference.in_data for difference in self.differences) else "different"

    def to_json(self) -> dict[str, Any]:
        state = self.state
        entry: dict[str, Any] = {"name": self.probe.name, "action": self.probe.action, "outcome": state,
                                 "params": self.params,
                                 "differences": [difference.to_json() for difference in self.differences]}
        if self.skipped:
            entry["skipped"] = self.skipped
        return entry


@dataclass
class Report:
    real: str
    mock: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def differences(self) -> int:
        """How many differences in the way the two answer: the count the exit status goes by."""
        return sum(not difference.in_data for outcome in self.outcomes for difference in outcome.differences)

    def to_json(self) -> dict[str, Any]:
        counts = {state: 0 for state in ("same", "different", "data", "skipped")}
        for outcome in self.outcomes:
            counts[outcome.state] += 1
        return {"real": self.real, "mock": self.mock,
                "summary": {"probes": len(self.outcomes), **counts, "differences": self.differences},
                "probes": [outcome.to_json() for outcome in self.outcomes]}

    def text(self) -> str:
        lines = [f"real: {self.real}", f"mock: {self.mock}"]
        for outcome in self.outcomes:
            if outcome.skipped:
                lines.append(f"{outcome.probe.name}: skipped, {outcome.skipped}")
            elif outcome.differences:
                counted = _count(len(outcome.differences), "difference")
                lines.append(f"{outcome.probe.name}: {counted}{' in data only' * (outcome.state == 'data')}")
                lines += [f"  {difference.line()}" for difference in outcome.differences]
        summary = self.to_json()["summary"]
        lines.append(f"{summary['probes']} probes: {summary['same']} same, {summary['different']} different "
                     f"({_count(summary['differences'], 'difference')}), {summary['data']} different in data "
                     f"only, {summary['skipped']} skipped")
        return "\n".join(lines) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def compare(real: Upstream, mock: Upstream, *, write: bool = False, mock_label: str | None = None) -> Report:
    """Run the probe set (and the write flow with ``write``) on both sides, one probe at a time."""
    sides = Side(real), Side(mock)
    report = Report(real.url, mock_label or mock.url)
    for probe in READ_PROBES + (WRITE_PROBES if write else ()):
        report.outcomes.append(_run(probe, *sides))
    return report


def _run(probe: Probe, real: Side, mock: Side) -> Outcome:
    real_params, mock_params = real.params(probe), mock.params(probe)
    if isinstance(real_params, str) or isinstance(mock_params, str):
        # A record one side lacks is a difference of data, not of behaviour: say why, compare nothing.
        why = "; ".join(f"{side}: {params}" for side, params in (("real", real_params), ("mock", mock_params))
                        if isinstance(params, str))
        return Outcome(probe, {}, [], why)
    answers = real.send(probe, real_params), mock.send(probe, mock_params)
    try:
        differences = compare_answers(*answers)
    except RecursionError:  # no WHMCS answer nests this deep; say so rather than fail the run
        differences = [Difference("format", "", "nested too deep to compare", "nested too deep to compare")]
    return Outcome(probe, {"real": real_params, "mock": mock_params}, differences)


def check_reachable(upstream: Upstream) -> None:
    """A first call, so that an unreachable, refusing or foreign WHMCS stops the run with its own
    error and exit code instead of a report of differences (UpstreamError)."""
    upstream.call("GetPaymentMethods")


@contextmanager
def served(scenario: Scenario) -> Iterator[Upstream]:
    """A mock of ``scenario`` (a loaded Scenario) on a free loopback port, called with its first API
    credential, for the length of the block."""
    from ..app import create_app
    from ..server import BackgroundServer

    credential = scenario.data["api_credentials"][0]
    with BackgroundServer(create_app(scenario)) as server:
        yield Upstream(server.base_url, credential["identifier"], credential["secret"])


def imported(upstream: Upstream, *, clients: int, progress: Callable[[str], None]) -> Scenario:
    """The scenario ``mockwhmcs import`` would write for ``upstream``, loaded without a file."""
    import yaml

    from .importer import import_scenario

    data = import_scenario(upstream, clients=clients, progress=progress)
    return parse_scenario(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                          source=f"imported from {upstream.url}")
