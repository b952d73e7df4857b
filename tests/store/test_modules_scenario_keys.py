"""The scenario keys of services and their modules: every module command's outcome, fraud_modules, and
the fields of seeded services, each validated and reaching the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockwhmcs.store.models import FraudModule
from mockwhmcs.store.scenario import parse_scenario
from mockwhmcs.store.store import Store
from tests.store.scenario_support import problems_of, store_of

COMMANDS = ("create", "suspend", "unsuspend", "terminate", "changepassword", "changepackage")


def test_every_module_command_outcome_reaches_the_catalog() -> None:
    outcomes = ", ".join(f"{command}: '{command} failed'" for command in COMMANDS)
    catalog = store_of(f"modules:\n  cpanel: {{{outcomes}}}\n  plain: {{}}\n").catalog
    assert catalog.modules["cpanel"] == {command: f"{command} failed" for command in COMMANDS}
    # A command left out succeeds.
    assert catalog.modules["plain"] == dict.fromkeys(COMMANDS, "success")


def test_a_module_command_mockwhmcs_does_not_know_is_refused_on_its_line() -> None:
    assert problems_of("modules:\n  cpanel:\n    create: success\n    reboot: success\n") == [
        "shop.yaml:4: modules.cpanel: unknown key 'reboot'"
    ]


def test_an_empty_module_outcome_is_refused() -> None:
    assert problems_of("modules:\n  cpanel: {suspend: ''}\n") == [
        "shop.yaml:2: modules.cpanel.suspend: '' should be non-empty"
    ]


def test_fraud_modules_reach_the_catalog_with_their_defaults() -> None:
    catalog = store_of("""\
        fraud_modules:
          maxmind: {active: true, check: Pass}
          fraudlabs: {active: false, check: Fail}
          quiet: {}
          broken: {check: "License key expired"}
        """).catalog
    assert catalog.fraud_modules == {
        "maxmind": FraudModule("maxmind", True, "Pass"),
        "fraudlabs": FraudModule("fraudlabs", False, "Fail"),
        "quiet": FraudModule("quiet", True, "Pass"),
        "broken": FraudModule("broken", True, "License key expired"),
    }


def test_no_fraud_modules_by_default() -> None:
    assert store_of("").catalog.fraud_modules == {}


@pytest.mark.parametrize(("text", "problem"), [
    ("fraud_modules:\n  maxmind: {active: 'yes'}\n",
     "shop.yaml:2: fraud_modules.maxmind.active: 'yes' is not true or false"),
    ("fraud_modules:\n  maxmind: {check: 5}\n",
     "shop.yaml:2: fraud_modules.maxmind.check: 5 is not Pass, Fail or an error message"),
    ("fraud_modules:\n  maxmind:\n    score: 5\n", "shop.yaml:3: fraud_modules.maxmind: unknown key 'score'"),
    ("fraud_modules: [maxmind]\n", "shop.yaml:1: fraud_modules: must be a mapping, not a list"),
])
def test_bad_fraud_modules_are_refused_naming_file_line_and_key(text: str, problem: str) -> None:
    assert problems_of(text) == [problem]


def test_extending_merges_fraud_modules_by_name(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("fraud_modules:\n  maxmind: {check: Fail}\n  fraudlabs: {}\n")
    text = "extends: base.yaml\nfraud_modules:\n  maxmind: {active: false}\n"
    catalog = Store(parse_scenario(text, "shop.yaml", tmp_path)).catalog
    assert catalog.fraud_modules == {
        "maxmind": FraudModule("maxmind", False, "Fail"),
        "fraudlabs": FraudModule("fraudlabs", True, "Pass"),
    }


def test_seeded_service_fields_reach_the_store() -> None:
    store = store_of("""\
        extends: default
        services:
          - {id: 11, client: 1, pid: 1, password: s3cret, dedicatedip: 192.0.2.5, qty: 3, username: ada}
        """)
    service = store.services.rows[11]
    assert (service.password, service.dedicatedip, service.qty, service.username) == (
        "s3cret", "192.0.2.5", 3, "ada")
