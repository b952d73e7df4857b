"""A restart replays the client and user actions exactly, random tokens included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mockwhmcs.control.engine import Engine
from mockwhmcs.store.snapshot import snapshot
from tests.invariants import check_invariants
from tests.store.test_persistence import Server, call

CHANGES = [
    ("AddClient", {"firstname": "Grace", "lastname": "Hopper", "email": "grace@example.com",
                   "password2": "cobol", "skipvalidation": "1"}),
    ("AddUser", {"firstname": "Kay", "lastname": "M", "email": "kay@example.com", "password2": "k"}),
    ("AddContact", {"clientid": "3", "email": "c@example.com", "email_preferences": {"domain": "1"}}),
    ("UpdateClient", {"clientid": "3", "companyname": "Navy"}),
    ("ValidateLogin", {"email": "grace@example.com", "password2": "cobol"}),
    ("CreateSsoToken", {"client_id": "3"}),
    ("CloseClient", {"clientid": "2"}),
    ("DeleteClient", {"clientid": "2", "deleteusers": "1"}),
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path / "state.jsonl")
    yield server
    server.stop()


def test_a_restart_has_every_client_change_and_the_random_sequence_where_it_was(server: Server) -> None:
    engine, uninterrupted = server.start(), Engine.for_scenario(server.scenario)
    for action, params in CHANGES:
        assert call(engine, action, **params) == call(uninterrupted, action, **params)
    before = snapshot(engine.store)

    restarted = server.restart()

    assert snapshot(restarted.store) == before
    check_invariants(restarted.store)
    token = call(restarted, "CreateSsoToken", user_id="1")
    assert token == call(uninterrupted, "CreateSsoToken", user_id="1")
