"""Action-level fixtures: a store loaded from a scenario and a way to call actions without HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mockwhmcs.actions.registry import Call, find_action, run
from mockwhmcs.store.scenario import load_scenario
from mockwhmcs.store.store import Store

_SCENARIOS: dict[str, Store] = {}


def store_for(scenario: str = "default") -> Store:
    """A store for ``scenario`` (a bundled name or path), loaded once and reset for each use."""
    if scenario not in _SCENARIOS:
        _SCENARIOS[scenario] = Store(load_scenario(scenario))
    store = _SCENARIOS[scenario]
    store.reset()
    return store


@pytest.fixture
def store() -> Store:
    return store_for("default")


CallAction = Callable[..., dict[str, Any]]


@pytest.fixture
def call(store: Store) -> CallAction:
    """``call("AddOrder", clientid="1", pid={0: "1"})``: params are decoded PHP values (str or dict)."""

    def invoke(action: str, **params: Any) -> dict[str, Any]:
        entry = find_action(action)
        assert entry is not None, f"no action {action}"
        return run(entry, Call(params, store, ip="127.0.0.1", admin="admin"))

    return invoke
