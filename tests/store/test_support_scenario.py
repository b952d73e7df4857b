"""The scenario keys of the support actions: support_departments and tickets (with replies and notes)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
import yaml

from mockwhmcs.store.models import SupportDepartment, Ticket, TicketNote, TicketReply
from mockwhmcs.store.scenario import _SCHEMA
from tests.store.scenario_support import problems_of, store_of

# Every key the schema accepts for a department, a ticket, a reply and a note.
EVERY_KEY = """\
extends: empty
settings: {now: "2026-01-15 10:00:00"}
support_departments:
  - {id: 3, name: Sales, email: sales@example.com}
tickets:
  - id: 5
    tid: "111222"
    c: AbCd1234
    client: 1
    deptid: 3
    subject: Upgrade
    message: Can I upgrade?
    status: On Hold
    priority: High
    date: "2026-01-05 08:00:00"
    admin: admin
    cc: boss@example.com
    flag: 1
    replies:
      - {id: 7, message: "Yes.", date: "2026-01-05 09:00:00", admin: admin}
      - {message: "Thanks!", date: "2026-01-05 09:30:00"}
    notes:
      - {id: 4, message: Upsell, date: "2026-01-05 08:30:00", admin: admin}
  - {tid: 333444, name: Guest, email: guest@example.org, deptid: 3, subject: Question}
"""


def test_the_scenario_above_writes_every_key_the_schema_accepts() -> None:
    def written(items: Iterable[dict[str, Any]]) -> set[str]:
        return {key for item in items for key in item}

    data = yaml.safe_load(EVERY_KEY)
    ticket = _SCHEMA["$defs"]["ticket"]["properties"]
    assert written(data["support_departments"]) == set(_SCHEMA["$defs"]["support_department"]["properties"])
    assert written(data["tickets"]) == set(ticket)
    for part in ("replies", "notes"):
        items = (item for raw in data["tickets"] for item in raw.get(part, ()))
        assert written(items) == set(ticket[part]["items"]["properties"])


def test_every_support_key_reaches_the_store() -> None:
    store = store_of(EVERY_KEY)
    assert store.catalog.support_departments[3] == SupportDepartment(3, "Sales", "sales@example.com")
    assert store.tickets.get(5) == Ticket(
        id=5, tid="111222", c="AbCd1234", did=3, userid=1, date="2026-01-05 08:00:00", title="Upgrade",
        message="Can I upgrade?", status="On Hold", urgency="High", admin="admin", cc="boss@example.com",
        flag=1, lastreply="2026-01-05 09:30:00",
    )
    assert store.ticket_replies.where("tid", 5) == [
        TicketReply(id=1, tid=5, userid=1, date="2026-01-05 09:30:00", message="Thanks!"),
        TicketReply(id=7, tid=5, userid=1, date="2026-01-05 09:00:00", message="Yes.", admin="admin"),
    ]
    assert store.ticket_notes.where("ticketid", 5) == [
        TicketNote(id=4, ticketid=5, admin="admin", date="2026-01-05 08:30:00", message="Upsell"),
    ]
    guest = store.tickets.get(1)  # the first id not taken
    assert guest is not None
    # An unquoted number is the ticket number written; defaults fill the rest.
    assert (guest.tid, guest.userid, guest.name, guest.email, guest.status, guest.urgency) == (
        "333444", 0, "Guest", "guest@example.org", "Open", "Medium",
    )
    # A ticket without a date was opened at the scenario's now; without replies, last replied to then.
    assert (guest.date, guest.lastreply) == ("2026-01-15 10:00:00", "2026-01-15 10:00:00")


def test_the_contracts_example_ticket_loads() -> None:
    store = store_of("""\
        extends: empty
        support_departments:
          - {id: 1, name: Technical Support, email: support@example.com}
        tickets:
          - id: 1
            tid: "482913"
            client: 1
            deptid: 1
            subject: Cannot reach my site
            status: Open
            priority: Medium
            replies: [{message: "It has been down since noon.", date: "2026-01-10 12:05:00"}]
        """)
    ticket = store.tickets.get(1)
    assert ticket is not None
    # Without a date of its own, the ticket was opened when its first reply was sent.
    assert (ticket.tid, ticket.date, ticket.lastreply, ticket.message) == (
        "482913", "2026-01-10 12:05:00", "2026-01-10 12:05:00", "",
    )
    (reply,) = store.ticket_replies.where("tid", 1)
    assert (reply.userid, reply.message, reply.admin) == (1, "It has been down since noon.", "")


def test_a_ticket_number_and_key_left_out_are_drawn_from_the_seed() -> None:
    text = (
        "extends: empty\nsupport_departments: [{name: S}]\n"
        "tickets: [{client: 1, deptid: 1, subject: A}, {client: 1, deptid: 1, subject: B}]\n"
    )
    first, second = store_of(text).tickets
    assert first.tid.isdigit() and len(first.tid) == 6 and len(first.c) == 8
    assert first.tid != second.tid
    again = list(store_of(text).tickets)
    assert [(t.tid, t.c) for t in again] == [(first.tid, first.c), (second.tid, second.c)]
    other_seed = list(store_of(text + "settings: {seed: 2}\n").tickets)
    assert other_seed[0].tid != first.tid


def test_a_note_without_an_admin_is_the_first_admins() -> None:
    store = store_of("extends: empty\nsupport_departments: [{name: S}]\n"
                     "tickets: [{client: 1, deptid: 1, subject: A, notes: [{message: N}]}]\n")
    (note,) = store.ticket_notes.where("ticketid", 1)
    assert note.admin == "admin"


@pytest.mark.parametrize(("text", "problem"), [
    ("tickets: [{client: 9, deptid: 1, subject: A}]", "shop.yaml:3: tickets[0].client: no client with id 9"),
    ("tickets: [{client: 1, deptid: 4, subject: A}]",
     "shop.yaml:3: tickets[0].deptid: no support department with id 4"),
    ("tickets: [{name: Guest, deptid: 1, subject: A}]",
     "shop.yaml:3: tickets[0]: a ticket without a client needs the guest's name and email"),
    ("tickets: [{client: 1, deptid: 1, subject: A, status: Pending}]",
     "shop.yaml:3: tickets[0].status: 'Pending' must be one of 'Open', 'Answered', 'Customer-Reply', "
     "'On Hold', 'In Progress', 'Closed'"),
    ("tickets: [{tid: '1', client: 1, deptid: 1, subject: A}, {tid: '1', client: 1, deptid: 1, subject: B}]",
     "shop.yaml:3: tickets[1].tid: duplicate tid '1' (also tickets[0])"),
])
def test_ticket_problems_name_file_line_and_key(text: str, problem: str) -> None:
    catalog = (
        "clients: [{id: 1, firstname: A, lastname: B, email: a@b.c}]\n"
        "support_departments: [{name: S}]\n"
    )
    assert problems_of(catalog + text + "\n") == [problem]
