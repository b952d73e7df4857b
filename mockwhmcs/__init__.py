"""mockwhmcs: a faithful, stateful test double of the WHMCS 8.12 billing API."""

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
