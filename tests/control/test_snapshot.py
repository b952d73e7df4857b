"""The store as JSON-ready state: money as WHMCS prints it, secrets masked, tables by their API names."""

from __future__ import annotations

import json
import threading

import pytest

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


def test_the_streamed_state_is_the_snapshot_whatever_the_chunk_size(monkeypatch: pytest.MonkeyPatch) -> None:
    from mockwhmcs.actions.registry import Call, find_action, run
    from mockwhmcs.store import snapshot as snapshots
    from mockwhmcs.store.scenario import load_scenario
    from mockwhmcs.store.store import Store

    store = Store(load_scenario("default"))
    entry = find_action("AddOrder")
    assert entry is not None
    for _ in range(7):
        run(entry, Call({"clientid": "1", "pid": {0: "1"}, "billingcycle": {0: "monthly"},
                         "paymentmethod": "mailin"}, store))
    store.orders.remove(3)  # a gap in the ids, as DeleteOrder leaves
    for chunk in (1, 2, 1000):
        monkeypatch.setattr(snapshots, "CHUNK_ROWS", chunk)
        assert json.loads("".join(snapshots.stream_snapshot(store))) == json.loads(
            json.dumps(snapshots.snapshot(store), default=str))


def test_streaming_lets_go_of_the_store_between_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    from mockwhmcs.store import snapshot as snapshots
    from mockwhmcs.store.scenario import load_scenario
    from mockwhmcs.store.store import Store

    store = Store(load_scenario("default"))
    monkeypatch.setattr(snapshots, "CHUNK_ROWS", 1)
    stream = snapshots.stream_snapshot(store)
    def free() -> bool:
        """Whether another thread (an API call) could take the store's lock right now."""
        taken: list[bool] = []

        def attempt() -> None:
            taken.append(store.lock.acquire(blocking=False))
            if taken[0]:
                store.lock.release()

        thread = threading.Thread(target=attempt)
        thread.start()
        thread.join()
        return taken[0]

    for _ in range(6):
        next(stream)
        assert free()
