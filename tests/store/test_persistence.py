"""The state file: every change written before it is acknowledged, replayed exactly on restart, and a
file that cannot be continued refused with its file and line, never overwritten."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mockwhmcs.actions.registry import Call, find_action, run
from mockwhmcs.control.clock import ClockControl
from mockwhmcs.control.engine import Engine
from mockwhmcs.errors import ApiError
from mockwhmcs.store.persistence import StateFileError
from mockwhmcs.store.scenario import Scenario, load_scenario, parse_scenario
from mockwhmcs.store.snapshot import snapshot
from tests.invariants import check_invariants
from tests.support import IDENTIFIER, SECRET

ORDER = {"clientid": "1", "pid": {0: "1"}, "billingcycle": {0: "monthly"}, "paymentmethod": "mailin"}


class Server:
    """An engine keeping its state in one file, and restarts of it, as `mockwhmcs serve` would."""

    def __init__(self, path: Path, scenario: Scenario | str = "default") -> None:
        self.path = path
        self.scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.engines: list[Engine] = []

    def start(self) -> Engine:
        engine = Engine.for_scenario(self.scenario)
        engine.keep_state(self.path)
        self.engines.append(engine)
        return engine

    def restart(self) -> Engine:
        self.stop()
        return self.start()

    def stop(self) -> None:
        for engine in self.engines:
            if engine.store.log is not None:
                engine.store.log.close()
        self.engines.clear()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path / "state.jsonl")
    yield server
    server.stop()


def call(engine: Engine, action: str, **params: Any) -> dict[str, Any]:
    entry = find_action(action)
    assert entry is not None
    return run(entry, Call(params, engine.store, ip="192.0.2.7", admin="admin"))


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_restart_has_every_change_and_continues_ids_and_ordernums(server: Server) -> None:
    engine = server.start()
    first, second = call(engine, "AddOrder", **ORDER), call(engine, "AddOrder", **ORDER)
    call(engine, "AcceptOrder", orderid=str(first["orderid"]))
    call(engine, "CancelOrder", orderid=str(second["orderid"]))
    call(engine, "AddClient", firstname="Ada", lastname="Lovelace", email="grace@example.org",
         skipvalidation="1", password2="hunter2")
    with pytest.raises(ApiError):  # an error changes nothing, and replays to the same error
        call(engine, "AcceptOrder", orderid="999")
    before = snapshot(engine.store)

    restarted = server.restart()

    assert snapshot(restarted.store) == before
    check_invariants(restarted.store)
    # The next order gets the next ids and exactly the ordernum a server never restarted would give.
    uninterrupted = Engine.for_scenario(server.scenario)
    for action, params in (("AddOrder", ORDER), ("AddOrder", ORDER), ("AcceptOrder", {"orderid": "1"}),
                           ("CancelOrder", {"orderid": "2"})):
        call(uninterrupted, action, **params)
    after_restart, expected = call(restarted, "AddOrder", **ORDER), call(uninterrupted, "AddOrder", **ORDER)
    assert after_restart == expected
    assert after_restart["orderid"] == second["orderid"] + 1
    ordernums = [order.ordernum for order in restarted.store.orders]
    assert len(set(ordernums)) == len(ordernums)
    assert restarted.store.orders.get(after_restart["orderid"]).ordernum == (
        uninterrupted.store.orders.get(expected["orderid"]).ordernum)


def test_the_file_holds_the_parameters_actions_read_and_no_credentials(server: Server) -> None:
    engine = server.start()
    call(engine, "AddOrder", **ORDER, identifier=IDENTIFIER, secret=SECRET, responsetype="json",
         unknownparam="x")
    header, command = records(server.path)
    assert header["mockwhmcs"] == "state" and header["scenario"] == "default"
    # JSON keys are strings: "0" is read back as PHP's integer key 0.
    params = {**ORDER, "pid": {"0": "1"}, "billingcycle": {"0": "monthly"}}
    assert command == {"action": "AddOrder", "params": params, "ip": "192.0.2.7", "admin": "admin",
                       "now": "2026-01-15T10:00:00"}
    assert stat.S_IMODE(os.stat(server.path).st_mode) == 0o600


def test_reads_are_not_written(server: Server) -> None:
    engine = server.start()
    call(engine, "GetOrders")
    call(engine, "GetProducts")
    assert len(records(server.path)) == 1


def test_a_torn_last_line_is_dropped_with_a_warning_and_cut_off(server: Server) -> None:
    engine = server.start()
    call(engine, "AddOrder", **ORDER)
    server.stop()
    whole = server.path.read_bytes()
    server.path.write_bytes(whole + b'{"action":"AddOrder","par')

    engine = Engine.for_scenario(server.scenario)
    warnings = engine.keep_state(server.path)
    server.engines.append(engine)

    assert warnings == [f"{server.path}:3: dropped an incomplete last line (25 bytes): the server stopped "
                        "while writing it, before answering that request"]
    assert server.path.read_bytes() == whole
    assert len(engine.store.orders) == 1
    call(engine, "AddOrder", **ORDER)
    assert len(records(server.path)) == 3


def test_a_torn_header_starts_afresh(server: Server) -> None:
    server.path.write_bytes(b'{"mockwhmcs":"sta')
    engine = Engine.for_scenario(server.scenario)
    assert engine.keep_state(server.path) == [
        f"{server.path}:1: dropped an incomplete last line (17 bytes): the server stopped while writing it, "
        "before answering that request"]
    server.engines.append(engine)
    assert records(server.path)[0]["scenario"] == "default"


@pytest.mark.parametrize(("line", "problem"), [
    ("not json", "unreadable record: Expecting value"),
    ('{"action": "AddOrder", "params": [], "ip": "", "admin": "", "now": "2026-01-15T10:00:00"}',
     "unreadable record: 'params' is missing or of the wrong type"),
    ('{"action": "AddOrder", "params": {}, "ip": "", "admin": "", "now": "yesterday"}',
     "unreadable record: Invalid isoformat string: 'yesterday'"),
    ('{"something": "else"}', "neither an API call nor a clock change"),
    ('{"action": "GetOrders", "params": {}, "ip": "", "admin": "", "now": "2026-01-15T10:00:00"}',
     "'GetOrders' is not an API action that changes the store"),
])
def test_a_corrupt_line_refuses_to_start_and_leaves_the_file_alone(server: Server, line: str,
                                                                   problem: str) -> None:
    engine = server.start()
    call(engine, "AddOrder", **ORDER)
    server.stop()
    header, order = server.path.read_bytes().splitlines()
    corrupt = b"\n".join([header, order, line.encode(), order, b""])
    server.path.write_bytes(corrupt)

    with pytest.raises(StateFileError) as refused:
        server.start()

    assert str(refused.value).startswith(f"{server.path}:3: {problem}")
    assert server.path.read_bytes() == corrupt


def test_a_file_written_for_another_scenario_is_refused(server: Server) -> None:
    server.start()
    server.stop()
    with pytest.raises(StateFileError) as refused:
        Server(server.path, "empty").start()
    assert str(refused.value).startswith(f"{server.path}:1: this state file belongs to scenario 'default' (")
    assert "start with --scenario set to the scenario it was written with, or delete the file" in str(
        refused.value)


def test_a_scenario_changed_since_is_refused(tmp_path: Path) -> None:
    scenario_file = tmp_path / "shop.yaml"
    scenario_file.write_text("name: shop\nextends: default\n")
    Server(tmp_path / "state", load_scenario(scenario_file)).start().store.log.close()  # type: ignore[union-attr]
    scenario_file.write_text("name: shop\nextends: default\nsettings: {seed: 2}\n")
    with pytest.raises(StateFileError, match=r"state:1: scenario 'shop' \(.*shop.yaml\) has changed since"):
        Server(tmp_path / "state", load_scenario(scenario_file)).start()


def test_a_file_that_is_no_state_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text("name: shop")  # no final newline: it must not pass for a torn line
    with pytest.raises(StateFileError, match=r"scenario\.yaml:1: not a mockwhmcs state file"):
        Server(path).start()
    path.write_text("name: shop\nextends: default\n")
    with pytest.raises(StateFileError, match=r"scenario\.yaml:1: not a mockwhmcs state file"):
        Server(path).start()
    assert path.read_text() == "name: shop\nextends: default\n"


def test_one_file_serves_one_process_at_a_time(server: Server) -> None:
    server.start()
    with pytest.raises(StateFileError, match="in use by another mockwhmcs process"):
        Engine.for_scenario(server.scenario).keep_state(server.path)


def test_reset_and_scenario_load_start_the_file_afresh(server: Server) -> None:
    engine = server.start()
    call(engine, "AddOrder", **ORDER)
    engine.reset()
    assert len(records(server.path)) == 1
    call(engine, "AddOrder", **ORDER)
    engine.load(load_scenario("empty"))
    assert [record.get("scenario") for record in records(server.path)] == ["empty"]

    server.scenario = load_scenario("empty")
    assert len(server.restart().store.orders) == 0


def test_clock_changes_survive_a_restart(server: Server) -> None:
    engine = server.start()
    ClockControl(engine).set("2026-03-01 09:30:00")
    ClockControl(engine).advance(90)
    call(engine, "AddOrder", **ORDER)
    assert server.restart().store.now() == "2026-03-01 09:31:30"
    assert server.engines[0].store.orders.get(1).date == "2026-03-01 09:31:30"


def test_each_call_replays_at_the_instant_it_first_ran(tmp_path: Path) -> None:
    # A scenario on the real clock: the order must keep the date it was placed at, not the restart's.
    real_clock = parse_scenario("name: live\nextends: default\nsettings: {now: null}\n", source="live.yaml")
    server = Server(tmp_path / "state", real_clock)
    server.start()
    server.stop()
    command = {"action": "AddOrder", "params": ORDER, "ip": "", "admin": "", "now": "2020-02-29T23:59:59"}
    with server.path.open("a") as file:
        file.write(json.dumps(command) + "\n")
    try:
        order = server.start().store.orders.get(1)
        assert order.date == "2020-02-29 23:59:59"
        assert not server.engines[0].store.clock.frozen
    finally:
        server.stop()


def test_a_failed_write_is_not_acknowledged_and_nothing_after_it_until_a_reset(
        server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = server.start()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ApiError) as refused:
        call(engine, "AddOrder", **ORDER)
    assert refused.value.http_status == 503
    assert "cannot write its state file" in refused.value.message
    assert "No space left on device" in refused.value.message
    monkeypatch.undo()
    with pytest.raises(ApiError, match="acknowledges no more changes until a reset"):
        call(engine, "AddOrder", **ORDER)

    engine.reset()
    assert call(engine, "AddOrder", **ORDER)["result"] == "success"
    assert len(server.restart().store.orders) == 1



def _fail_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)


def test_a_call_whose_write_fails_changes_nothing_now_or_after_a_restart(
        server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = server.start()
    call(engine, "AddOrder", **ORDER)
    _fail_fsync(monkeypatch)
    with pytest.raises(ApiError):
        call(engine, "AddOrder", **ORDER)
    monkeypatch.undo()
    assert len(engine.store.orders) == 1
    assert call(engine, "GetOrders")["totalresults"] == 1
    assert [record["action"] for record in records(server.path)[1:]] == ["AddOrder"]
    assert len(server.restart().store.orders) == 1


def test_a_reset_whose_write_fails_changes_nothing_and_the_file_goes_on(
        server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = server.start()
    call(engine, "AddOrder", **ORDER)
    _fail_fsync(monkeypatch)
    with pytest.raises(ApiError) as refused:
        engine.reset()
    monkeypatch.undo()
    assert refused.value.http_status == 503
    assert len(engine.store.orders) == 1
    assert not server.path.with_name(server.path.name + ".new").exists()
    call(engine, "AddOrder", **ORDER)
    assert len(server.restart().store.orders) == 2


def test_a_scenario_load_whose_write_fails_keeps_the_old_scenario(
        server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = server.start()
    call(engine, "AddOrder", **ORDER)
    _fail_fsync(monkeypatch)
    with pytest.raises(ApiError):
        engine.load(load_scenario("empty"))
    monkeypatch.undo()
    assert (engine.scenario.name, len(engine.store.orders)) == ("default", 1)
    assert len(server.restart().store.orders) == 1
