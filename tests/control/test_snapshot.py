"""The store as JSON-ready state: money as WHMCS prints it, secrets masked, tables by their API names."""

from __future__ import annotations

import json

from mockwhmcs.store.scenario import load_scenario
from mockwhmcs.store.snapshot import snapshot
from mockwhmcs.store.store import Store


def test_snapshot_is_json_ready_with_money_as_strings_and_secrets_masked() -> None:
    store = Store(load_scenario("default"))
    state = snapshot(store)
    json.dumps(state)
    assert (state["scenario"], state["now"]) == ("default", "2026-01-15 10:00:00")
    # Ada's user has a password (its hash is masked too); the user made for Carl has none.
    assert [user["password"] for user in state["users"]] == ["***", ""]
    assert state["services"][0]["amount"] == "5.00"
    # Every table, under the names integrations know them by.
    assert len(state) == 2 + len(store.tables())
    assert {"clients", "users", "orders", "services", "addons", "domains", "invoices",
            "notifications"} <= set(state)
