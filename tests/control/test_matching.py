"""Subset matching on decoded PHP parameters, shared by fault rules' `when` and journal queries."""

from __future__ import annotations

from typing import Any

import pytest

from mockwhmcs.control.matching import mismatches, params_match

DECODED = {"clientid": "3", "pid": {0: "1", 1: "5"}, "noemail": "1", "domainrenewals": {"example.com": "2"}}


@pytest.mark.parametrize(
    "expected",
    [
        {},
        {"clientid": "3"},
        {"clientid": 3},
        {"noemail": True},
        {"pid": "5"},
        {"pid": ["1"]},
        {"pid": {"1": "5"}},
        {"pid": {1: 5}},
        {"domainrenewals": {"example.com": 2}},
        {"clientid": "3", "pid": ["1", "5"]},
    ],
)
def test_a_subset_of_the_parameters_matches(expected: dict[str, Any]) -> None:
    assert params_match(expected, DECODED)


@pytest.mark.parametrize(
    "expected",
    [
        {"clientid": "4"},
        {"paymentmethod": "mailin"},
        {"noemail": False},
        {"pid": "2"},
        {"pid": ["5"]},
        {"clientid": ["3"]},
        {"pid": {"2": "1"}},
    ],
)
def test_anything_missing_or_different_does_not(expected: dict[str, Any]) -> None:
    assert not params_match(expected, DECODED)


def test_mismatches_name_the_keys_that_differ() -> None:
    assert mismatches({"clientid": "4", "pid": ["1"], "noinvoice": "1"}, DECODED) == ["clientid", "noinvoice"]
