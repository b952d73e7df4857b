"""mockwhmcs: a faithful, stateful test double of the WHMCS 8.12 billing API."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .control.faults import ConnectionFault, FaultRuleError
    from .mock import MockWhmcs
    from .store.scenario import Scenario, ScenarioError, load_scenario

__all__ = [
    "ConnectionFault",
    "FaultRuleError",
    "MockWhmcs",
    "Scenario",
    "ScenarioError",
    "create_app",
    "load_scenario",
]

# The module each public name comes from. They are imported on first use: pytest imports the plugin
# (mockwhmcs.pytest_plugin, and so this package) at every start in a project that installed mockwhmcs,
# and that must not cost the Flask import for runs that never use the mock.
_SOURCES = {
    "ConnectionFault": ".control.faults",
    "FaultRuleError": ".control.faults",
    "MockWhmcs": ".mock",
    "Scenario": ".store.scenario",
    "ScenarioError": ".store.scenario",
    "create_app": ".app",
    "load_scenario": ".store.scenario",
}


def __getattr__(name: str) -> Any:
    if name not in _SOURCES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_SOURCES[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
