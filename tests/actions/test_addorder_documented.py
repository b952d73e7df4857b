"""With ``settings.behaviour: documented`` AddOrder answers with its API reference's strings where
WHMCS 8.12 says something else (FIDELITY §4.9)."""

from __future__ import annotations

import pytest

from mockwhmcs.store.store import Store
from tests.actions.addorder_support import DOCUMENTED_SCENARIO, refusal
from tests.actions.conftest import CallAction, store_for


@pytest.fixture
def store() -> Store:
    return store_for(DOCUMENTED_SCENARIO)


def test_documented_behaviour_refuses_a_service_renewal_with_the_reference_page_string(
    call: CallAction,
) -> None:
    assert refusal(call, servicerenewals={0: "31"}) == "Service ID 31 can not be renewed at this time."


def test_documented_behaviour_words_addon_renewal_refusals_the_same_way(call: CallAction) -> None:
    assert refusal(call, addonrenewals={0: "41"}) == "Service Addon ID 41 can not be renewed at this time."


def test_documented_behaviour_changes_no_other_message(call: CallAction) -> None:
    assert refusal(call, domainrenewals={"pending.com": "1"}) == (
        "Domain status is set to 'Pending' and cannot be renewed"
    )
