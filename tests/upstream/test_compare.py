"""mockwhmcs compare against a "real" WHMCS that is a second `mockwhmcs serve` process."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from mockwhmcs.cli import main
from mockwhmcs.upstream import compare as compare_module
from mockwhmcs.upstream.client import Exchange
from mockwhmcs.upstream.compare import (
    READ_PROBES,
    WRITE_PROBES,
    Answer,
    Difference,
    Outcome,
    Report,
    answer_of,
    compare_answers,
    shape_differences,
)
from tests.support import IDENTIFIER, SECRET, TEST_SCENARIOS, Served, serve_process

REAL = TEST_SCENARIOS / "compare_real.yaml"
DIFFERENT = TEST_SCENARIOS / "compare_mock.yaml"
ENV = {"WHMCS_IDENTIFIER": IDENTIFIER, "WHMCS_SECRET": SECRET}
# No scenario seeds an order: GetOrders has none to look at on either side (the write flow makes one).
NO_ORDERS = "GetOrders"


@pytest.fixture(scope="module")
def real() -> Iterator[Served]:
    with serve_process("--scenario", str(REAL)) as served:
        yield served


def compare(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["compare", *args], env=env or ENV)


def differences_of(report: dict[str, Any]) -> set[tuple[str, str, str, Any, Any]]:
    """Every difference of a JSON report as (probe, kind, path, real, mock)."""
    return {(probe["name"], d["kind"], d["path"], _hashable(d["real"]), _hashable(d["mock"]))
            for probe in report["probes"] for d in probe["differences"]}


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def json_report(*args: str) -> tuple[int, dict[str, Any]]:
    result = compare(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


# --- against a real second server ----------------------------------------------------------------


@pytest.mark.slow
def test_the_same_scenario_on_both_sides_differs_nowhere_even_with_the_write_flow(real: Served) -> None:
    code, report = json_report(real.url, "--scenario", str(REAL), "--write")
    assert differences_of(report) == set()
    assert code == 0
    skipped = [probe["name"] for probe in report["probes"] if probe["outcome"] == "skipped"]
    assert skipped == [NO_ORDERS]
    assert report["summary"] == {"probes": len(READ_PROBES) + len(WRITE_PROBES), "same": 71, "different": 0,
                                 "data": 0, "skipped": 1, "differences": 0}


@pytest.mark.slow
def test_a_different_scenario_shows_exactly_its_differences(real: Served) -> None:
    code, report = json_report(real.url, "--scenario", str(DIFFERENT))
    assert code == 1
    custom_fields = ("records", "products.product[0].customfields", "some", "none")
    assert differences_of(report) == {
        # the first product's custom field, wherever a product or a service of it is listed
        ("GetProducts", *custom_fields),
        ("GetProducts (one product)", *custom_fields),
        ("GetClientsProducts", *custom_fields),
        # no promotion
        ("GetPromotions", "records", "promotions", "some", "none"),
        # no PayPal
        ("AddOrder (bad payment method)", "message", "message",
         "Invalid Payment Method. Valid options include banktransfer,mailin,paypal",
         "Invalid Payment Method. Valid options include banktransfer,mailin"),
    }
    # Records on one side only are what the two hold, not how they answer: only the message counts.
    states = {probe["name"]: probe["outcome"] for probe in report["probes"]}
    assert {name for name, state in states.items() if state == "data"} == {
        "GetProducts", "GetProducts (one product)", "GetClientsProducts", "GetPromotions"}
    different = {name for name, state in states.items() if state == "different"}
    assert different == {"AddOrder (bad payment method)"}
    assert report["summary"]["differences"] == 1


@pytest.mark.slow
def test_the_text_report_gives_one_line_per_difference_under_its_probe(real: Served) -> None:
    result = compare(real.url, "--scenario", str(DIFFERENT))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"real: {real.url}/includes/api.php"
    assert lines[1].startswith(f"mock: scenario compare_mock ({DIFFERENT}), served at http://127.0.0.1:")
    assert lines[2:] == [
        "GetProducts: 1 difference in data only",
        "  records in products.product[0].customfields: real some, mock none",
        "GetProducts (one product): 1 difference in data only",
        "  records in products.product[0].customfields: real some, mock none",
        "GetPromotions: 1 difference in data only",
        "  records in promotions: real some, mock none",
        "GetClientsProducts: 1 difference in data only",
        "  records in products.product[0].customfields: real some, mock none",
        "GetOrders: skipped, real: GetOrders(limitnum=1) lists none; mock: GetOrders(limitnum=1) lists none",
        # no closed client on the mock: data, not behaviour, so the probe is not compared
        "AddOrder (closed client): skipped, mock: GetClients(status=Closed, limitnum=1) lists none",
        "AddOrder (bad payment method): 1 difference",
        "  message: real 'Invalid Payment Method. Valid options include banktransfer,mailin,paypal', "
        "mock 'Invalid Payment Method. Valid options include banktransfer,mailin'",
        "63 probes: 56 same, 1 different (1 difference), 4 different in data only, 2 skipped",
    ]


def _add_fault(served: Served, rule: dict[str, Any]) -> None:
    request = urllib.request.Request(f"{served.url}/_mock/faults", data=json.dumps(rule).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201


@pytest.mark.slow
def test_fault_rules_on_a_running_mock_show_as_their_status_and_error_string(real: Served) -> None:
    with serve_process("--scenario", str(REAL)) as mock:
        _add_fault(mock, {"action": "GetCurrencies", "status": 503, "body": "Service Unavailable",
                          "content_type": "text/plain"})
        _add_fault(mock, {"action": "GetClientsDetails", "when": {"clientid": "999999999"},
                          "error": "Client ID Not Found"})
        code, report = json_report(real.url, "--mock", mock.url)
    assert code == 1
    unavailable = {
        ("status", "", 200, 503),
        ("content-type", "", "application/json", "text/plain"),
        ("format", "", "json", "text"),
    }
    assert differences_of(report) == {
        *(("GetCurrencies", *difference) for difference in unavailable),
        ("GetCurrencies (default format)", "status", "", 200, 503),
        ("GetCurrencies (default format)", "content-type", "", "application/xml;charset=utf-8", "text/plain"),
        ("GetCurrencies (default format)", "format", "", "xml", "text"),
        ("GetClientsDetails (unknown clientid)", "message", "message", "Client Not Found",
         "Client ID Not Found"),
    }
    # its currency id comes from GetCurrencies, which the mock no longer answers: not compared
    tld_pricing = next(probe for probe in report["probes"] if probe["name"] == "GetTLDPricing (currency)")
    assert tld_pricing["skipped"] == "mock: GetCurrencies() lists none"
    assert report["mock"] == f"{mock.url}/includes/api.php"


@pytest.mark.slow
def test_the_json_report_has_a_stable_structure_and_no_secret(real: Served, tmp_path: Path) -> None:
    output = tmp_path / "report.json"
    result = compare(real.url, "--scenario", str(DIFFERENT), "--format", "json", "-o", str(output))
    assert result.exit_code == 1
    assert result.stdout == ""
    text = output.read_text()
    assert SECRET not in text
    report = json.loads(text)
    assert list(report) == ["real", "mock", "summary", "probes"]
    assert list(report["summary"]) == ["probes", "same", "different", "data", "skipped", "differences"]
    assert [probe["name"] for probe in report["probes"]] == [probe.name for probe in READ_PROBES]
    for probe in report["probes"]:
        assert list(probe)[:5] == ["name", "action", "outcome", "params", "differences"]
        assert probe["outcome"] in ("same", "different", "data", "skipped")
        for difference in probe["differences"]:
            assert list(difference) == ["kind", "path", "real", "mock"]
    closed = next(probe for probe in report["probes"] if probe["name"] == "AddOrder (closed client)")
    assert closed == {"name": "AddOrder (closed client)", "action": "AddOrder", "outcome": "skipped",
                      "params": {}, "differences": [],
                      "skipped": "mock: GetClients(status=Closed, limitnum=1) lists none"}


@pytest.mark.slow
def test_bad_credentials_exit_4_and_an_unreachable_whmcs_exits_3(real: Served) -> None:
    refused = compare(real.url, "--scenario", str(REAL), env={**ENV, "WHMCS_SECRET": "wrong"})
    assert refused.exit_code == 4
    assert refused.stderr == (f"mockwhmcs: {real.url}/includes/api.php refused GetPaymentMethods (HTTP 403): "
                              "Authentication Failed\n")
    assert "wrong" not in refused.output
    mock_refused = compare(real.url, "--mock", real.url, "--mock-secret", "wrong")
    assert mock_refused.exit_code == 4
    unreachable = compare("http://127.0.0.1:1", "--scenario", str(REAL))
    assert unreachable.exit_code == 3
    assert unreachable.stderr == ("mockwhmcs: cannot reach http://127.0.0.1:1/includes/api.php: "
                                  "connection refused\n")
    mock_unreachable = compare(real.url, "--mock", "http://127.0.0.1:1")
    assert mock_unreachable.exit_code == 3


def test_scenario_and_mock_together_are_refused() -> None:
    result = compare("http://127.0.0.1:1", "--scenario", "default", "--mock", "http://127.0.0.1:2")
    assert result.exit_code == 2
    assert "give --scenario or --mock, not both" in result.stderr


# --- the comparison of two answers ---------------------------------------------------------------


def _json(status: int, data: Any, content_type: str = "application/json") -> Answer:
    return answer_of(Exchange(status, content_type, json.dumps(data).encode()))


def test_types_are_compared_at_any_depth_along_the_first_record_of_each_list() -> None:
    real = {"products": {"product": [{"pid": 1, "pricing": {"USD": {"monthly": "5.00"}}}, {"pid": "x"}]}}
    mock = {"products": {"product": [{"pid": 1, "pricing": {"USD": {"monthly": 5.0}}}]}}
    assert shape_differences(real, mock) == [
        Difference("type", "products.product[0].pricing.USD.monthly", "string", "float")]
    assert shape_differences({"a": 1, "b": None, "c": True, "d": [], "e": {}},
                             {"a": "1", "b": 0, "c": 1, "d": {}, "e": []}) == [
        Difference("type", "a", "int", "string"), Difference("type", "b", "null", "int"),
        Difference("type", "c", "bool", "int"), Difference("type", "d", "array", "object"),
        Difference("type", "e", "object", "array")]


def test_missing_extra_keys_and_key_order() -> None:
    real = {"result": "success", "a": 1, "b": {"x": 1, "y": 2}, "gone": "", "c": 3}
    mock = {"result": "success", "c": 3, "a": 1, "b": {"y": 2, "x": 1}, "new": [1]}
    assert shape_differences(real, mock) == [
        Difference("missing", "gone", "string", None),
        Difference("records", "new", "none", "some"),  # a list only one side has: see the next test
        Difference("order", "", ["result", "a", "b", "c"], ["result", "c", "a", "b"]),
        Difference("order", "b", ["x", "y"], ["y", "x"]),
    ]
    assert shape_differences({"a": 1}, {"a": 1, "b": "x"}) == [Difference("extra", "b", None, "string")]


def test_a_list_empty_on_one_side_is_one_records_difference_whatever_empty_looks_like() -> None:
    records = {"orders": {"order": [{"id": 1}]}}
    for empty in ({}, {"orders": []}, {"orders": ""}, {"orders": {"order": []}}):
        assert shape_differences(records, empty) == [Difference("records", "orders", "some", "none")]
        assert shape_differences(empty, records) == [Difference("records", "orders", "none", "some")]
    # Both empty, in different ways: that is WHMCS's own shape, and is compared.
    assert shape_differences({"products": ""}, {"products": []}) == [
        Difference("type", "products", "string", "array")]


def test_values_are_not_compared_but_result_and_error_messages_are() -> None:
    assert compare_answers(_json(200, {"result": "success", "id": 1, "message": "hi"}),
                           _json(200, {"result": "success", "id": 2, "message": "ho"})) == []
    assert compare_answers(_json(200, {"result": "error", "message": "Client Not Found"}),
                           _json(200, {"result": "error", "message": "Client ID Not Found"})) == [
        Difference("message", "message", "Client Not Found", "Client ID Not Found")]
    # GetInvoice's not-found envelope says "status", not "result".
    assert compare_answers(_json(200, {"status": "error", "message": "Invoice ID Not Found"}),
                           _json(200, {"result": "error", "message": "Invoice ID Not Found"})) == [
        Difference("result", "result", None, "error"),
        Difference("missing", "status", "string", None),
        Difference("extra", "result", None, "string")]


def test_nvp_and_xml_answers_are_compared_like_json() -> None:
    nvp = "text/plain; charset=utf-8"
    real = answer_of(Exchange(200, nvp, b"result=error;message=Authentication Failed"))
    mock = answer_of(Exchange(200, nvp, b"result=error;message=Invalid or missing credentials"))
    assert (real.form, real.data) == ("nvp", {"result": "error", "message": "Authentication Failed"})
    assert compare_answers(real, mock) == [
        Difference("message", "message", "Authentication Failed", "Invalid or missing credentials")]
    xml = "application/xml; charset=utf-8"
    two = (b'<?xml version="1.0" encoding="utf-8"?>\n<whmcsapi version="8.12.1">'
           b"<action>getcurrencies</action><result>success</result><currencies><currency><id>1</id></currency><currency><id>2</id></currency>"
           b"</currencies></whmcsapi>")
    one = two.replace(b"<currency><id>2</id></currency>", b"").replace(b"<id>1</id>", b"<code>USD</code>")
    assert answer_of(Exchange(200, xml, two)).data == {
        "action": "getcurrencies", "result": "success", "currencies": {"currency": {"id": "1"}}}
    assert compare_answers(answer_of(Exchange(200, xml, two)), answer_of(Exchange(200, xml, one))) == [
        Difference("missing", "currencies.currency.id", "string", None),
        Difference("extra", "currencies.currency.code", None, "string")]


def test_status_content_type_and_format_come_first_and_a_text_body_is_its_message() -> None:
    real = _json(200, {"result": "success"})
    page = answer_of(Exchange(503, "text/html", b"<h1>Service Unavailable</h1>"))
    assert page.form == "text"
    assert compare_answers(real, page) == [
        Difference("status", "", 200, 503), Difference("content-type", "", "application/json", "text/html"),
        Difference("format", "", "json", "text")]
    other = answer_of(Exchange(503, "text/html", b"<h1>Down</h1>"))
    assert compare_answers(page, other) == [
        Difference("message", "", "<h1>Service Unavailable</h1>", "<h1>Down</h1>")]
    gone = Answer(None, "", "unreachable", None, "cannot reach the API: connection reset")
    assert compare_answers(real, gone) == [
        Difference("transport", "", "answered", "cannot reach the API: connection reset")]


def test_records_on_one_side_only_are_reported_without_failing_the_run() -> None:
    probe = READ_PROBES[0]
    records = Difference("records", "promotions", "some", "none")
    order = Difference("order", "", ["a", "b"], ["b", "a"])
    report = Report("real", "mock", [Outcome(probe, {}, [records]), Outcome(probe, {}, [records, order])])
    assert [outcome.state for outcome in report.outcomes] == ["data", "different"]
    assert report.differences == 1
    assert Report("real", "mock", [Outcome(probe, {}, [records])]).differences == 0


def test_each_kind_of_difference_reads_as_one_line() -> None:
    lines = [difference.line() for difference in (
        Difference("missing", "a.b", "string", None), Difference("extra", "c", None, "int"),
        Difference("type", "d[0].e", "int", "string"), Difference("order", "", ["a", "b"], ["b", "a"]),
        Difference("records", "orders", "some", "none"),
        Difference("result", "result", None, "error"), Difference("status", "", 200, 403))]
    assert lines == [
        "missing key a.b (real: string)", "extra key c (mock: int)", "type of d[0].e: real int, mock string",
        "key order of the answer: real a, b; mock b, a", "records in orders: real some, mock none",
        "result: real None, mock 'error'",
        "status: real 200, mock 403"]


def test_an_answer_nested_deeper_than_python_reads_is_compared_as_text_not_a_traceback() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    assert Exchange(200, "application/json", deep).json() is None
    assert answer_of(Exchange(200, "application/json", deep)).form == "text"
    deep_xml = b"<?xml version=\"1.0\"?>" + b"<a>" * 5_000 + b"</a>" * 5_000
    assert answer_of(Exchange(200, "text/xml", deep_xml)).form == "text"


def test_answers_too_deep_to_compare_are_one_difference_not_a_traceback() -> None:
    nested: dict[str, Any] = {}
    for _ in range(5_000):
        nested = {"a": nested}

    class Deep:
        def params(self, probe: Any) -> dict[str, str]:
            return {}

        def send(self, probe: Any, params: Any) -> Answer:
            return Answer(200, "application/json", "json", nested)

    outcome = compare_module._run(READ_PROBES[0], Deep(), Deep())  # type: ignore[arg-type]
    assert [difference.kind for difference in outcome.differences] == ["format"]
