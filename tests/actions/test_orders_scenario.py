"""Behaviour that needs more than the default scenario: unlisted modules and registrars, failing
registrars (AcceptOrder), configurable options (GetClientsProducts)."""

from __future__ import annotations

import pytest

from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction, store_for
from tests.actions.helpers import api_error, seed_order
from tests.support import TEST_SCENARIOS


@pytest.fixture
def store() -> Store:
    return store_for(str(TEST_SCENARIOS / "orders.yaml"))


def test_a_module_the_scenario_does_not_list_succeeds(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(6,))
    assert call("AcceptOrder", orderid=str(seeded.order.id)) == {"result": "success"}
    assert seeded.services[0].status == "Active"


def test_a_registrar_the_scenario_does_not_list_succeeds(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(), domains=(("a.com", "Register"),))
    call("AcceptOrder", orderid=str(seeded.order.id), registrar="unknown", sendregistrar="1")
    assert seeded.domains[0].status == "Active"


def test_registrar_failures_are_collected_after_module_failures(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(2,), domains=(("a.com", "Register"), ("b.com", "Transfer")))
    error = api_error(call, "AcceptOrder", orderid=str(seeded.order.id), registrar="refusing",
                      sendregistrar="1", autosetup="1")
    assert error.message == (
        "Connection to provisioning server timed out, Domain not available for registration, Invalid EPP code"
    )
    assert seeded.order.status == "Pending"
    assert [(d.registrar, d.status) for d in seeded.domains] == [("refusing", "Pending")] * 2
    assert list(store.emails) == []


def test_get_clients_products_shows_the_chosen_config_options(call: CallAction, store: Store) -> None:
    service = seed_order(store, pids=(7,)).services[0]
    service.configoptions = {1: "2", 2: "1", 3: "3"}
    product = call("GetClientsProducts", serviceid=str(service.id))["products"]["product"][0]
    assert product["configoptions"] == {"configoption": [
        {"id": 1, "option": "Disk", "type": "dropdown", "value": "20 GB"},
        {"id": 2, "option": "Backups", "type": "yesno", "value": 1},
        {"id": 3, "option": "Extra IPs", "type": "quantity", "value": 3},
    ]}
