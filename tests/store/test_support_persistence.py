"""Tickets kept in the state file: a restart replays them to the same numbers, keys, replies, notes and
attachments, and goes on drawing the numbers a server never restarted would draw."""

from __future__ import annotations

import base64
import json

from mockwhmcs.control.engine import Engine
from mockwhmcs.store.snapshot import snapshot
from tests.invariants import check_invariants
from tests.store.test_persistence import Server, call, server  # noqa: F401 (the fixture)

FILES = base64.b64encode(json.dumps([{"name": "log.txt", "data": ""}]).encode()).decode()
CHANGES = (
    ("OpenTicket", {"deptid": "1", "subject": "Down", "message": "Help", "clientid": "1",
                    "attachments": FILES}),
    ("AddTicketReply", {"ticketid": "2", "message": "On it", "adminusername": "admin", "attachments": FILES}),
    ("AddTicketNote", {"ticketid": "2", "message": "Escalate"}),
    ("UpdateTicket", {"ticketid": "2", "status": "On Hold", "flag": "1"}),
    ("DeleteTicket", {"ticketid": "1"}),
)
NEXT = {"deptid": "2", "subject": "Next", "message": "Again", "clientid": "1"}


def test_a_restart_has_every_ticket_change_and_continues_ticket_numbers(server: Server) -> None:  # noqa: F811
    engine = server.start()
    for action, params in CHANGES:
        call(engine, action, **params)
    before = snapshot(engine.store)

    restarted = server.restart()

    assert snapshot(restarted.store) == before
    check_invariants(restarted.store)
    uninterrupted = Engine.for_scenario(server.scenario)
    for action, params in CHANGES:
        call(uninterrupted, action, **params)
    assert call(restarted, "OpenTicket", **NEXT) == call(uninterrupted, "OpenTicket", **NEXT)
