"""The pytest plugin: a ``whmcs`` fixture serving a mock WHMCS 8.12, fresh for every test.

Installing mockwhmcs activates it (a ``pytest11`` entry point); ``-p no:mockwhmcs`` turns it off.

    def test_checkout(whmcs):
        Shop(whmcs.url, whmcs.identifier, whmcs.secret).checkout(pid=1)
        whmcs.assert_called("AddOrder", pid=[1])

One server per session (per xdist worker) on an ephemeral port, reset before each test that uses it.
``@pytest.mark.whmcs(scenario=..., faults=[...], inprocess=True, replay=DIR)`` changes one test's mock.
A failed test's report lists the requests the mock received; integration warnings become pytest
warnings. pytest imports this module at every start of a project that installed mockwhmcs, so it
imports nothing heavy until a test asks for the mock.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .control.journal import JournalEntry
    from .mock import MockWhmcs
    from .store.scenario import Scenario

MARKER = "whmcs"
MARKER_ARGUMENTS = ("scenario", "faults", "inprocess", "replay")
REPORT_SECTION = "mockwhmcs journal"
# A failed test's report shows the last requests, the ones that led up to the failure.
REPORTED_REQUESTS = 50

_MOCK_USED = pytest.StashKey["MockWhmcs"]()
_SCENARIOS = pytest.StashKey[dict[str, "Scenario"]]()


class WhmcsIntegrationWarning(pytest.PytestWarning):
    """A request that WHMCS accepts but that is probably a mistake (see control/warnings.py)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("mockwhmcs").addoption(
        "--whmcs-scenario", metavar="NAME_OR_PATH",
        help="scenario the whmcs fixture serves: a bundled name or a path (overrides the whmcs_scenario ini)",
    )
    parser.addini("whmcs_scenario", "scenario the whmcs fixture serves: a bundled name or a path relative "
                  "to the ini file", default="default")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "whmcs(scenario=NAME_OR_PATH, faults=[rule, ...], inprocess=False): the scenario, fault "
        "rules and transport of this test's whmcs fixture",
    )


@pytest.fixture(scope="session")
def _whmcs_server(pytestconfig: pytest.Config) -> Iterator[MockWhmcs]:
    from .mock import MockWhmcs

    with MockWhmcs(_default_scenario(pytestconfig)) as mock:
        yield mock


@pytest.fixture(scope="session")
def _whmcs_app(pytestconfig: pytest.Config) -> MockWhmcs:
    from .mock import MockWhmcs

    return MockWhmcs(_default_scenario(pytestconfig), inprocess=True)


@pytest.fixture
def whmcs(request: pytest.FixtureRequest) -> Iterator[MockWhmcs]:
    """A mock WHMCS on a real socket (in-process with the marker's ``inprocess=True``), holding exactly
    the scenario: an empty journal and only the scenario's records and faults."""
    options = _marker_options(request.node)
    mock = request.getfixturevalue("_whmcs_app" if options.get("inprocess") else "_whmcs_server")
    yield from _fresh(request.node, mock, options)


@pytest.fixture
def whmcs_inprocess(request: pytest.FixtureRequest, _whmcs_app: MockWhmcs) -> Iterator[MockWhmcs]:
    """The ``whmcs`` fixture without a socket: ``call`` goes through Flask's test client, and code
    under test reaches ``whmcs_inprocess.app`` through a WSGI transport."""
    yield from _fresh(request.node, _whmcs_app, _marker_options(request.node))


def _marker_options(item: pytest.Item) -> dict[str, Any]:
    """The arguments of the whmcs markers on ``item``, the closest marker winning per argument (so a
    test's marker can add faults to the scenario its module's marker picks)."""
    options: dict[str, Any] = {}
    for marker in item.iter_markers(MARKER):
        unknown = sorted(set(marker.kwargs) - set(MARKER_ARGUMENTS))
        if marker.args or unknown:
            pytest.fail(f"@pytest.mark.whmcs takes only the keyword arguments {', '.join(MARKER_ARGUMENTS)}"
                        + (f"; unknown: {', '.join(unknown)}" if unknown else ""), pytrace=False)
        for key, value in marker.kwargs.items():
            options.setdefault(key, value)
    return options


def _fresh(item: pytest.Item, mock: MockWhmcs, options: dict[str, Any]) -> Iterator[MockWhmcs]:
    """``mock`` back to its scenario for ``item``, then, after the test, its integration warnings."""
    ref = options.get("scenario")
    # A marker's path is relative to its test module, which carries it along when moved.
    scenario = (_default_scenario(item.config) if ref is None
                else _scenario(item.config, ref, item.path.parent))
    if mock.engine.scenario is scenario:
        mock.reset()  # cheap: the records are cloned, nothing is parsed or built
    else:
        mock.load_scenario(scenario)
    for rule in options.get("faults", ()):
        mock.engine.faults.add(rule)
    # Recordings answer for the test whose marker names them, and no other.
    replayed = options.get("replay")
    try:
        mock.replay(None if replayed is None else item.path.parent / replayed)
    except Exception as error:  # RecordingError: one line naming the file is the whole story
        pytest.fail(f"@pytest.mark.whmcs(replay=...): {error}", pytrace=False)
    item.stash[_MOCK_USED] = mock
    yield mock


def _default_scenario(config: pytest.Config) -> Scenario:
    """``--whmcs-scenario`` (relative to where pytest was started), else the ``whmcs_scenario`` ini."""
    option = config.getoption("whmcs_scenario")
    if option is not None:
        return _scenario(config, option, config.invocation_params.dir)
    ini_dir = config.inipath.parent if config.inipath is not None else config.rootpath
    return _scenario(config, config.getini("whmcs_scenario"), ini_dir)


def _scenario(config: pytest.Config, ref: str | os.PathLike[str], base: Path) -> Scenario:
    """The scenario file ``ref`` relative to ``base``, else the bundled scenario named ``ref``; parsed
    once a session, so that switching back and forth between scenarios stays cheap."""
    from .store.scenario import load_scenario

    path = base / ref
    key = str(path) if path.is_file() else os.fspath(ref)
    loaded = config.stash.setdefault(_SCENARIOS, {})
    if key not in loaded:
        loaded[key] = load_scenario(key)
    return loaded[key]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """The test's integration warnings, issued as the test's own call ends: in the warnings summary
    of a run that passes, and a failure of the test itself (not an error at teardown) under
    ``filterwarnings = error::...WhmcsIntegrationWarning``. A test that failed already lists them
    in its journal section, so they are only recorded then, never raised."""
    try:
        result = yield
    except BaseException:
        mock = item.stash.get(_MOCK_USED, None)
        if mock is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("always", WhmcsIntegrationWarning)
                _warn(item, mock)
        raise
    mock = item.stash.get(_MOCK_USED, None)
    if mock is not None:
        _warn(item, mock)
    return result


def _warn(item: pytest.Item, mock: MockWhmcs) -> None:
    """Each distinct integration warning of the test's requests as a pytest warning pointing at the
    test, so that it shows in the warnings summary."""
    path, line, _ = item.reportinfo()
    messages = dict.fromkeys(f"{entry.action or '(no action)'}: {text}"
                             for entry in mock.engine.journal.entries() for text in entry.warnings)
    for message in messages:
        warnings.warn_explicit(message, WhmcsIntegrationWarning, os.fspath(path), (line or 0) + 1)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    mock = item.stash.get(_MOCK_USED, None)
    if mock is not None and report.failed:
        report.sections.append((REPORT_SECTION, _journal_text(mock)))


def _journal_text(mock: MockWhmcs) -> str:
    entries = mock.engine.journal.entries()
    if not entries:
        return "no requests received"
    lines = []
    if len(entries) > REPORTED_REQUESTS:
        lines.append(f"({len(entries) - REPORTED_REQUESTS} earlier requests not shown)")
    for entry in entries[-REPORTED_REQUESTS:]:
        lines.append(entry.describe(None, {}) + _outcome(entry))
        lines += (f"    warning: {text}" for text in entry.warnings)
    return "\n".join(lines)


def _outcome(entry: JournalEntry) -> str:
    """The answer's result and top-level values, and the fault rule that shaped it."""
    from .control.journal import plain

    text = ""
    response = plain(entry.response)  # masks secrets
    if isinstance(response, dict) and "result" in response:
        values = [f"{key}={value}" for key, value in response.items()
                  if key != "result" and isinstance(value, str | int | float) and value != ""]
        text = ": " + " ".join([str(response["result"]), *values])
    if entry.fault is not None:
        rule = entry.fault
        what = next((f"{key} {rule[key]}" for key in ("error", "status", "connection") if key in rule),
                    f"delay {rule['delay']}s")
        text += f" (injected fault {rule['id']}: {what})"
    return text
