"""Every action, called with any decoded parameters, answers a dict that renders as a WHMCS envelope
in every format it allows, or raises ApiError: never another exception. The store's invariants hold
after each call.

Below the wire, so that the parameters can be any PHP structure, not only what a form decodes to.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from mockwhmcs.actions.registry import ACTIONS, Call, run
from mockwhmcs.errors import ApiError
from mockwhmcs.store.scenario import load_scenario
from mockwhmcs.store.store import Store
from mockwhmcs.wire.phpform import decode_pairs
from mockwhmcs.wire.render import render
from tests.fuzz.envelope import envelope_result, error_kind
from tests.fuzz.strategies import php_params, plausible_params
from tests.invariants import check_invariants
from tests.support import TEST_SCENARIOS

STORE = Store(load_scenario(TEST_SCENARIOS / "addorder.yaml"))
STORE_LIMIT = 300  # orders


class ReadParams(dict[str, Any]):
    """Parameters that remember which ones were looked at: by the action's contract, only those it
    declares, which is all the state file keeps for replaying it."""

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.read: set[str] = set()

    def get(self, name: str, default: Any = None) -> Any:
        self.read.add(name)
        return super().get(name, default)

    def __getitem__(self, name: str) -> Any:
        self.read.add(name)
        return super().__getitem__(name)

    def __contains__(self, name: object) -> bool:
        self.read.add(str(name))
        return super().__contains__(name)


@pytest.mark.parametrize("name", sorted(ACTIONS))
# Fifteen actions: a third of the profile's examples each keeps the default run short.
@settings(max_examples=max(settings().max_examples // 3, 1))
@given(data=st.data())
def test_every_action_answers_an_envelope_or_raises_api_error(name: str, data: st.DataObject) -> None:
    entry = ACTIONS[name]
    if len(STORE.orders) > STORE_LIMIT:
        STORE.reset()
    plausible, hostile = decode_pairs(data.draw(plausible_params(entry))), data.draw(php_params(entry))
    # Half the time the plausible values win, so that the hostile ones reach past WHMCS's first checks.
    params = ReadParams({**plausible, **hostile} if data.draw(st.booleans()) else {**hostile, **plausible})
    try:
        response = run(entry, Call(params, STORE, ip=data.draw(st.sampled_from(["127.0.0.1", "::1", ""]))))
    except ApiError as error:
        response = error.envelope()
        event(f"error: {error_kind(error.message)}")
    else:
        event("success")
    undeclared = {name for name in params.read if not entry.reads(name)}
    assert not undeclared, f"{entry.name} reads undeclared {undeclared}"
    for fmt in ("json", "xml") if entry.list_style else ("json", "xml", "nvp"):
        assert envelope_result(fmt, render(fmt, response, action=entry.key, version="8.12.1")) in (
            "success", "error")
    check_invariants(STORE)
