"""What the plugin reports: the journal of a failed test, and integration warnings as pytest warnings."""

from __future__ import annotations

import pytest

from mockwhmcs.pytest_plugin import REPORT_SECTION, REPORTED_REQUESTS

pytest_plugins = ["pytester"]

ORDER = 'clientid=1, pid=[1], billingcycle=["monthly"], paymentmethod="mailin"'


def journal_sections(pytester: pytest.Pytester, source: str) -> dict[str, list[str]]:
    """Run ``source`` as a test module; each test's report sections named REPORT_SECTION, by phase."""
    pytester.makepyfile(source)
    recorder = pytester.inline_run()
    return {
        f"{report.nodeid.split('::')[-1]} {report.when}": [text for name, text in report.sections
                                                          if name == REPORT_SECTION]
        for report in recorder.getreports("pytest_runtest_logreport")
    }


def test_a_failed_test_reports_the_requests_the_mock_received(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(f"""
        def test_checkout(whmcs):
            order = whmcs.call("AddOrder", {ORDER})
            whmcs.inject("AcceptOrder", error="Busy", times=1)
            whmcs.call("AcceptOrder", orderid=order["orderid"])
            whmcs.call("AcceptOrder", orderid=order["orderid"], autosetup="false")
            whmcs.assert_called("AcceptOrder", times=1)
    """)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "E       AssertionError: expected AcceptOrder 1 time, but it was called 2 times",
        "*- mockwhmcs journal -*",
        '#1 AddOrder {"clientid": "1", "pid": {"0": "1"}, "billingcycle": {"0": "monthly"}, '
        '"paymentmethod": "mailin"} -> HTTP 200: success orderid=1 productids=11 serviceids=11 invoiceid=1',
        '#2 AcceptOrder {"orderid": "1"} -> HTTP 200: error message=Busy (injected fault 1: error Busy)',
        '#3 AcceptOrder {"orderid": "1", "autosetup": "false"} -> HTTP 200: success',
        '    warning: autosetup="false" is true to WHMCS *',
        "*= short test summary info =*",
    ])
    assert "mockwhmcs-secret" not in result.stdout.str()


def test_the_report_names_broken_connections_and_error_answers(pytester: pytest.Pytester) -> None:
    sections = journal_sections(pytester, """
        import pytest

        @pytest.mark.whmcs(faults=[{"action": "GetOrders", "connection": "reset"}])
        def test_fails(whmcs):
            with pytest.raises(OSError):
                whmcs.call("GetOrders")
            whmcs.call("AcceptOrder", orderid=99)
            assert False
    """)
    assert sections["test_fails call"] == [
        "#1 GetOrders {} -> connection broken (injected fault 1: connection reset)\n"
        '#2 AcceptOrder {"orderid": "99"} -> HTTP 200: error message=Order ID not found or Status not Pending'
    ]


def test_only_failed_phases_of_tests_using_the_mock_get_the_section(pytester: pytest.Pytester) -> None:
    sections = journal_sections(pytester, """
        import pytest

        def test_passes(whmcs):
            whmcs.call("GetOrders")

        def test_fails_without_requests(whmcs):
            assert False

        def test_fails_without_the_mock():
            assert False

        @pytest.fixture
        def broken_teardown(whmcs):
            yield
            whmcs.call("GetOrders", status="Active")
            raise RuntimeError("teardown")

        def test_teardown_fails(broken_teardown, whmcs):
            whmcs.call("GetOrders")
    """)
    answer = "HTTP 200: success totalresults=0 startnumber=0 numreturned=0"
    reported = {phase: texts for phase, texts in sections.items() if texts}
    assert reported == {
        "test_fails_without_requests call": ["no requests received"],
        "test_teardown_fails teardown": [
            f'#1 GetOrders {{}} -> {answer}\n#2 GetOrders {{"status": "Active"}} -> {answer}'
        ],
    }


def test_a_long_journal_shows_the_last_requests(pytester: pytest.Pytester) -> None:
    sections = journal_sections(pytester, f"""
        def test_many(whmcs):
            for page in range({REPORTED_REQUESTS + 5}):
                whmcs.call("GetOrders", limitstart=page)
            assert False
    """)
    lines = sections["test_many call"][0].splitlines()
    assert lines[0] == "(5 earlier requests not shown)"
    assert lines[1].startswith('#6 GetOrders {"limitstart": "5"}')
    assert len(lines) == 1 + REPORTED_REQUESTS


def test_integration_warnings_show_in_the_summary_of_a_passing_run(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(f"""
        def test_accepts(whmcs):
            order = whmcs.call("AddOrder", {ORDER}, promocode_typo="X")
            for _ in range(2):
                whmcs.call("AcceptOrder", orderid=order["orderid"], autosetup="False")

        def test_clean(whmcs):
            whmcs.call("GetOrders")
    """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=2)
    # Counted by name: pytester runs in this process, where a busy machine can let an unrelated
    # warning from an earlier test (a late socket close) land in this run's summary too.
    assert result.stdout.str().count(": WhmcsIntegrationWarning: ") == 2
    result.stdout.fnmatch_lines([
        "*= warnings summary =*",
        "test_integration_warnings_show_in_the_summary_of_a_passing_run.py::test_accepts",
        '*test_integration_warnings_show_in_the_summary_of_a_passing_run.py:1: WhmcsIntegrationWarning: '
        'AddOrder: unknown parameter "promocode_typo" for AddOrder, which WHMCS ignores*',
        '*.py:1: WhmcsIntegrationWarning: AcceptOrder: autosetup="False" is true to WHMCS *',
    ])
    assert "test_clean" not in result.stdout.str()


def test_integration_warnings_made_errors_fail_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nfilterwarnings = error::mockwhmcs.pytest_plugin.WhmcsIntegrationWarning\n")
    pytester.makepyfile("""
        def test_accepts(whmcs):
            whmcs.call("AcceptOrder", orderid=1, autosetup="false")

        def test_clean(whmcs):
            whmcs.call("GetOrders")

        def test_fails_anyway(whmcs):
            whmcs.call("AcceptOrder", orderid=1, autosetup="false")
            assert False, "its own failure"
    """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(["*_ test_accepts _*", "*WhmcsIntegrationWarning: AcceptOrder: autosetup*"])
    # A test that fails by itself keeps its own failure; the warning is in its journal section.
    result.stdout.fnmatch_lines(["*AssertionError: its own failure*"])
