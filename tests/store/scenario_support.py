"""Scenario-test helpers: a store built from YAML text, and the problems a refused scenario lists."""

from __future__ import annotations

import textwrap

import pytest

from mockwhmcs.store.scenario import ScenarioError, parse_scenario
from mockwhmcs.store.store import Store


def store_of(text: str) -> Store:
    """A store of the scenario ``text`` (dedented), as if read from shop.yaml."""
    return Store(parse_scenario(textwrap.dedent(text), "shop.yaml"))


def problems_of(text: str) -> list[str]:
    """The problems listed when shop.yaml holding ``text`` is refused (failing the test if it loads)."""
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(textwrap.dedent(text), "shop.yaml")
    return caught.value.problems
