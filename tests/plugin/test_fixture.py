"""The ``whmcs`` fixture: registration, a fresh mock per test, scenario and fault configuration."""

from __future__ import annotations

import json
from importlib.metadata import entry_points

import pytest

pytest_plugins = ["pytester"]

SHOP = """
name: shop
extends: default
clients:
  - {id: 3, firstname: Grace, lastname: Hopper, email: grace@example.com}
"""


def write_shop(pytester: pytest.Pytester, path: str = "shop.yaml") -> None:
    target = pytester.path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(SHOP)


def test_installing_the_package_registers_the_plugin() -> None:
    plugins = {entry.name: entry.value for entry in entry_points(group="pytest11")}
    assert plugins["mockwhmcs"] == "mockwhmcs.pytest_plugin"


def test_no_mockwhmcs_turns_the_plugin_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_uses_it(whmcs): pass")
    result = pytester.runpytest("-p", "no:mockwhmcs")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'whmcs' not found*"])


def test_the_fixture_serves_the_api_on_an_ephemeral_port(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import re, urllib.request

        def test_api(whmcs):
            assert re.fullmatch(r"http://127\\.0\\.0\\.1:\\d+/includes/api\\.php", whmcs.url)
            assert (whmcs.identifier, whmcs.secret) == ("mockwhmcs-identifier", "mockwhmcs-secret")
            body = f"action=GetProducts&identifier={whmcs.identifier}&secret={whmcs.secret}&responsetype=json"
            with urllib.request.urlopen(whmcs.url, body.encode()) as response:
                assert response.status == 200

        def test_call_sends_lists_and_dicts_as_php_arrays(whmcs):
            order = whmcs.call("AddOrder", clientid=1, pid=[1], billingcycle={0: "monthly"},
                               paymentmethod="mailin")
            assert order["result"] == "success"
            whmcs.assert_called("AddOrder", times=1, pid=["1"], billingcycle=["monthly"])
            assert whmcs.requests("AddOrder")[0]["params"]["pid"] == {"0": "1"}

        def test_clock_sets_and_advances_the_frozen_clock(whmcs):
            whmcs.clock.set("2026-03-01 09:30:00")
            whmcs.clock.advance(3600)
            assert whmcs.state["now"] == "2026-03-01 10:30:00"
    """)
    pytester.runpytest().assert_outcomes(passed=3)


def test_each_test_starts_from_the_scenario_with_an_empty_journal(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        first = {}

        def test_changes_everything(whmcs):
            first.update(url=whmcs.url, state=whmcs.state)
            order = whmcs.call("AddOrder", clientid=1, pid=[1], billingcycle=["monthly"],
                               paymentmethod="mailin")
            whmcs.call("AcceptOrder", orderid=order["orderid"])
            whmcs.inject("GetOrders", error="down")
            whmcs.clock.advance(86400)
            assert len(whmcs.state["orders"]) == 1

        def test_sees_only_the_scenario(whmcs):
            assert whmcs.url == first["url"]  # the same server, reset
            assert whmcs.requests() == []
            assert whmcs.state == first["state"]
            assert whmcs.state["orders"] == []
            assert whmcs.call("GetOrders")["result"] == "success"
            assert whmcs.call("AddOrder", clientid=1, pid=[1], billingcycle=["monthly"],
                              paymentmethod="mailin")["orderid"] == 1
    """)
    pytester.runpytest().assert_outcomes(passed=2)


def test_the_marker_picks_a_scenario_and_faults_for_one_test(pytester: pytest.Pytester) -> None:
    write_shop(pytester)
    pytester.makepyfile("""
        import pytest

        loaded = []

        def test_default(whmcs):
            loaded.append(whmcs.engine.scenario)
            assert whmcs.state["scenario"] == "default"

        @pytest.mark.whmcs(scenario="shop.yaml", faults=[{"action": "GetOrders", "error": "down"}])
        def test_shop(whmcs):
            loaded.append(whmcs.engine.scenario)
            assert whmcs.state["scenario"] == "shop"
            assert whmcs.call("GetOrders") == {"result": "error", "message": "down"}

        @pytest.mark.whmcs(scenario="empty")
        def test_bundled(whmcs):
            assert whmcs.state["scenario"] == "empty"

        @pytest.mark.whmcs(scenario="shop.yaml")
        def test_shop_again(whmcs):
            loaded.append(whmcs.engine.scenario)
            assert whmcs.call("GetOrders")["result"] == "success"

        def test_back_to_default(whmcs):
            assert whmcs.state["scenario"] == "default"
            assert whmcs.faults == []
            # Each scenario was parsed once: switching back reuses it.
            assert whmcs.engine.scenario is loaded[0]
            assert loaded[1] is loaded[2]
    """)
    pytester.runpytest().assert_outcomes(passed=5)


def test_marker_paths_are_relative_to_the_test_module(pytester: pytest.Pytester) -> None:
    write_shop(pytester, "tests/data/shop.yaml")
    pytester.makepyfile(**{"tests/test_paths": """
        import pytest

        @pytest.mark.whmcs(scenario="data/shop.yaml")
        def test_shop(whmcs):
            assert whmcs.state["scenario"] == "shop"
    """})
    pytester.runpytest().assert_outcomes(passed=1)


def test_the_closest_marker_wins_per_argument(pytester: pytest.Pytester) -> None:
    write_shop(pytester)
    pytester.makepyfile("""
        import pytest

        pytestmark = pytest.mark.whmcs(scenario="shop.yaml", faults=[{"action": "GetProducts", "error": "x"}])

        def test_module_marker(whmcs):
            assert whmcs.state["scenario"] == "shop"
            assert whmcs.call("GetProducts")["message"] == "x"

        @pytest.mark.whmcs(faults=[{"action": "GetOrders", "error": "y"}])
        def test_own_faults_on_the_module_scenario(whmcs):
            assert whmcs.state["scenario"] == "shop"
            assert [rule["action"] for rule in whmcs.faults] == ["GetOrders"]
    """)
    pytester.runpytest().assert_outcomes(passed=2)


def test_a_bad_marker_fails_the_test_with_the_reason(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import pytest

        @pytest.mark.whmcs(scenerio="empty")
        def test_typo(whmcs):
            pass

        @pytest.mark.whmcs(scenario="missing.yaml")
        def test_missing_file(whmcs):
            pass

        @pytest.mark.whmcs(faults=[{"action": "AddOrder", "eror": "x"}])
        def test_bad_rule(whmcs):
            pass

        def test_unmarked_still_works(whmcs):
            pass
    """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=3)
    result.stdout.fnmatch_lines([
        "*@pytest.mark.whmcs takes only the keyword arguments scenario, faults, inprocess, replay; "
        "unknown: scenerio",
        "*no bundled scenario or file named 'missing.yaml'*",
        "*'eror' was unexpected*",
    ])


def test_the_option_and_the_ini_setting_pick_the_runs_scenario(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_shop(pytester, "config/shop.yaml")
    pytester.makeini("[pytest]\nwhmcs_scenario = config/shop.yaml\n")
    pytester.makepyfile(**{"tests/test_run_scenario": """
        import os

        def test_scenario(whmcs):
            assert whmcs.state["scenario"] == os.environ["EXPECTED"]
    """})
    monkeypatch.setenv("EXPECTED", "shop")
    pytester.runpytest().assert_outcomes(passed=1)
    monkeypatch.setenv("EXPECTED", "empty")
    pytester.runpytest("--whmcs-scenario", "empty").assert_outcomes(passed=1)
    # The option's path is relative to the directory pytest was started in.
    monkeypatch.setenv("EXPECTED", "shop")
    monkeypatch.chdir(pytester.path / "config")
    pytester.runpytest("--whmcs-scenario", "shop.yaml", "-c", str(pytester.path / "tox.ini"),
                       str(pytester.path)).assert_outcomes(passed=1)


def test_in_process_mode_skips_the_socket(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import pytest
        from mockwhmcs import ConnectionFault

        def test_fixture(whmcs_inprocess):
            assert whmcs_inprocess.url == "http://localhost/includes/api.php"
            assert whmcs_inprocess.server.port == 0  # never bound
            whmcs_inprocess.call("GetProducts")
            whmcs_inprocess.assert_called("GetProducts", times=1)

        @pytest.mark.whmcs(inprocess=True, faults=[{"action": "GetOrders", "connection": "reset"}])
        def test_marker(whmcs):
            assert whmcs.inprocess
            with pytest.raises(ConnectionFault):
                whmcs.call("GetOrders")
            assert whmcs.requests("GetOrders")[0]["status"] is None

        def test_isolated_from_the_previous_test(whmcs_inprocess):
            assert whmcs_inprocess.requests() == []
            assert whmcs_inprocess.faults == []
    """)
    pytester.runpytest().assert_outcomes(passed=3)


def test_a_run_that_never_uses_the_mock_does_not_import_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import sys

        def test_unrelated():
            assert "mockwhmcs.pytest_plugin" in sys.modules
            assert not {"flask", "mockwhmcs.mock", "mockwhmcs.app"} & set(sys.modules)
    """)
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


RECORDING = {
    "format": 1,
    "request": {"method": "POST", "path": "/includes/api.php", "action": "GetClientsDetails",
                "params": {"clientid": "1", "responsetype": "json"}},
    "response": {"status": 200, "content_type": "application/json",
                 "body": '{"result":"success","recorded":true}', "masked": False},
}


def test_a_marker_replays_recordings_for_its_own_test(pytester: pytest.Pytester) -> None:
    (pytester.path / "recorded").mkdir()
    (pytester.path / "recorded" / "0001-getclientsdetails.json").write_text(json.dumps(RECORDING))
    pytester.makepyfile("""
        import pytest

        @pytest.mark.whmcs(replay="recorded")
        def test_replayed(whmcs):
            assert whmcs.call("GetClientsDetails", clientid=1) == {"result": "success", "recorded": True}
            assert whmcs.requests()[0]["replayed"] == "0001-getclientsdetails.json"
            assert whmcs.call("GetClientsDetails", clientid=2)["firstname"] == "Carl"  # the engine

        def test_the_next_test_is_answered_by_the_engine(whmcs):
            assert whmcs.call("GetClientsDetails", clientid=1)["firstname"] == "Ada"

        def test_strict_replay_from_the_test(whmcs):
            assert whmcs.replay("recorded", strict=True) == 1
            refused = whmcs.call("GetClientsDetails", clientid=2)
            assert refused["message"].startswith("mockwhmcs replay: no recording matched GetClientsDetails")

        @pytest.mark.whmcs(replay="missing")
        def test_a_directory_that_is_not_there(whmcs):
            pass
    """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.whmcs(replay=...): *missing*"])
