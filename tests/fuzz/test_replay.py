"""A restart rebuilds exactly the store that the calls built, whatever they were: every record, every
id sequence and the random source (the next ordernum), hostile parameters and failed calls included."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mockwhmcs.actions.registry import ACTIONS, Call, run
from mockwhmcs.control.clock import ClockControl
from mockwhmcs.control.engine import Engine
from mockwhmcs.errors import ApiError
from mockwhmcs.store.scenario import load_scenario
from mockwhmcs.store.snapshot import snapshot
from mockwhmcs.wire.phpform import decode_pairs
from tests.fuzz.strategies import php_params, plausible_params
from tests.support import TEST_SCENARIOS

SCENARIO = load_scenario(TEST_SCENARIOS / "addorder.yaml")
MUTATING = sorted(name for name, entry in ACTIONS.items() if entry.mutates)
ORDER = {"clientid": "1", "pid": {0: "1"}, "paymentmethod": "mailin"}


@st.composite
def changes(draw: st.DrawFn) -> tuple[str, Any]:
    if draw(st.integers(0, 9)) == 0:
        moves = st.one_of(st.integers(-86_400 * 400, 86_400 * 400), st.just("2027-06-30 23:59:59"))
        return "clock", draw(moves)
    entry = ACTIONS[draw(st.sampled_from(MUTATING))]
    params = decode_pairs(draw(plausible_params(entry)))
    if draw(st.booleans()):
        params |= draw(php_params(entry))
    return entry.key, params


def apply(engine: Engine, change: tuple[str, Any]) -> dict[str, Any]:
    name, detail = change
    if name == "clock":
        clock = ClockControl(engine)
        (clock.advance if isinstance(detail, int) else clock.set)(detail)
        return {}
    try:
        return run(ACTIONS[name], Call(detail, engine.store, ip="203.0.113.9", admin="admin"))
    except ApiError as error:
        return error.envelope()


@given(st.lists(changes(), min_size=1, max_size=10))
def test_a_restart_rebuilds_exactly_the_store_the_calls_built(calls: list[tuple[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "state"
        live = Engine.for_scenario(SCENARIO)
        live.keep_state(path)
        for change in calls:
            apply(live, change)
        live.store.log.close()  # type: ignore[union-attr]
        live.store.log = None  # the live server goes on below, unrecorded, to compare its next order

        restarted = Engine.for_scenario(SCENARIO)
        assert restarted.keep_state(path) == []
        try:
            assert snapshot(restarted.store) == snapshot(live.store)
            assert apply(restarted, ("addorder", ORDER)) == apply(live, ("addorder", ORDER))
            assert snapshot(restarted.store) == snapshot(live.store)
        finally:
            restarted.store.log.close()  # type: ignore[union-attr]
