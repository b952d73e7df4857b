"""Support tickets: departments, statuses, opening, replies, notes, reading, updating and deleting them.

The default scenario has two departments (1 Technical Support, 2 Billing) and ticket 1 ("482913"),
client 1's, Answered, with one admin reply and one note.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from mockwhmcs.store.snapshot import snapshot
from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction
from tests.actions.helpers import api_error

OPEN = {"deptid": "1", "subject": "Site down", "message": "Nothing answers.", "clientid": "1"}
GUEST = {"deptid": "2", "subject": "Pre-sales", "message": "Do you sell VPS?", "name": "Guest Person",
         "email": "guest@example.org"}


def open_ticket(call: CallAction, **params: Any) -> dict[str, Any]:
    opened = call("OpenTicket", **(OPEN | params))
    assert opened["result"] == "success", opened
    return opened


@contextmanager
def unchanged(store: Store) -> Iterator[None]:
    """The block must leave every record, and the random sequence, exactly as they were."""
    before, random_state = snapshot(store), store.random.getstate()
    yield
    assert snapshot(store) == before
    assert store.random.getstate() == random_state


def the_ticket(call: CallAction, ticketid: int, **params: Any) -> dict[str, Any]:
    return call("GetTicket", ticketid=str(ticketid), **params)


# --- departments and statuses ------------------------------------------------------------------


def test_get_support_departments_counts_awaiting_and_open_tickets_per_department(call: CallAction) -> None:
    open_ticket(call)
    opened = open_ticket(call, deptid="2")
    call("UpdateTicket", ticketid=str(opened["id"]), status="Closed")
    assert call("GetSupportDepartments") == {
        "result": "success",
        "totalresults": 2,
        "departments": {"department": [
            # Ticket 1 is Answered (open, not awaiting a reply); the new one is Open (both).
            {"id": 1, "name": "Technical Support", "awaitingreply": 1, "opentickets": 2},
            # A closed ticket is neither.
            {"id": 2, "name": "Billing", "awaitingreply": 0, "opentickets": 0},
        ]},
    }
    assert call("GetSupportDepartments", ignore_dept_assignments="true") == call("GetSupportDepartments")


def test_get_support_statuses_lists_the_six_default_statuses_by_sort_order(call: CallAction) -> None:
    open_ticket(call, deptid="2")
    assert call("GetSupportStatuses") == {
        "result": "success",
        "totalresults": 6,
        "statuses": {"status": [
            {"title": "Open", "count": 1, "color": "#779500"},
            {"title": "Answered", "count": 1, "color": "#000000"},
            {"title": "Customer-Reply", "count": 0, "color": "#ff6600"},
            {"title": "On Hold", "count": 0, "color": "#224488"},
            {"title": "In Progress", "count": 0, "color": "#cc0000"},
            {"title": "Closed", "count": 0, "color": "#888888"},
        ]},
    }


def test_get_support_statuses_counts_one_department(call: CallAction) -> None:
    open_ticket(call, deptid="2")
    counts = {s["title"]: s["count"] for s in call("GetSupportStatuses", deptid="2")["statuses"]["status"]}
    assert (counts["Open"], counts["Answered"]) == (1, 0)


def test_get_ticket_counts_counts_active_awaiting_and_my_flagged_tickets(call: CallAction) -> None:
    first = open_ticket(call)["id"]
    open_ticket(call, deptid="2")
    call("UpdateTicket", ticketid=str(first), flag="1")  # admin 1 is the calling admin
    call("UpdateTicket", ticketid="1", flag="7")
    assert call("GetTicketCounts") == {
        "result": "success", "filteredDepartments": [1, 2], "allActive": 3, "awaitingReply": 2,
        "flaggedTickets": 1,
    }
    by_status = call("GetTicketCounts", includeCountsByStatus="1")["status"]
    assert list(by_status) == ["open", "answered", "customerreply", "closed", "onhold", "inprogress"]
    assert by_status["open"] == {"title": "Open", "count": 2}
    assert by_status["customerreply"] == {"title": "Customer-Reply", "count": 0}


# --- OpenTicket ----------------------------------------------------------------------------------


def test_open_ticket_answers_the_id_number_and_access_key(call: CallAction, store: Store) -> None:
    opened = call("OpenTicket", **OPEN, priority="High")
    assert list(opened) == ["result", "id", "tid", "c"]
    assert opened["id"] == 2
    assert len(opened["tid"]) == 6 and opened["tid"].isdigit()
    assert len(opened["c"]) == 8 and opened["c"].isalnum()
    ticket = store.tickets.get(2)
    assert ticket is not None
    assert (ticket.did, ticket.userid, ticket.title, ticket.message, ticket.status, ticket.urgency) == (
        1, 1, "Site down", "Nothing answers.", "Open", "High",
    )
    assert (ticket.date, ticket.lastreply, ticket.admin, ticket.editor) == (
        "2026-01-15 10:00:00", "2026-01-15 10:00:00", "", "plain",
    )
    assert [(e.template, e.userid, e.relid, e.sent) for e in store.emails] == [
        ("Support Ticket Opened", 1, 2, True),
    ]


def test_ticket_number_and_access_key_repeat_after_a_reset(call: CallAction, store: Store) -> None:
    first = open_ticket(call)
    second = open_ticket(call)
    assert first["tid"] != second["tid"] and first["c"] != second["c"]
    store.reset()
    assert open_ticket(call) == first


def test_open_ticket_keeps_text_as_whmcs_cleans_it(call: CallAction, store: Store) -> None:
    open_ticket(call, subject="Tom & <Jerry>", message='He said "hi"')
    ticket = store.tickets.get(2)
    assert ticket is not None
    assert (ticket.title, ticket.message) == ("Tom &amp; &lt;Jerry&gt;", "He said &quot;hi&quot;")


def test_open_ticket_for_a_guest(call: CallAction, store: Store) -> None:
    opened = call("OpenTicket", **GUEST)
    ticket = store.tickets.get(opened["id"])
    assert ticket is not None
    assert (ticket.userid, ticket.name, ticket.email, ticket.did) == (
        0, "Guest Person", "guest@example.org", 2,
    )
    got = the_ticket(call, opened["id"])
    assert (got["name"], got["email"], got["userid"]) == ("Guest Person", "guest@example.org", 0)
    assert got["replies"]["reply"][0]["requestor_type"] == "Guest"


def test_open_ticket_for_a_contact_shows_the_contact_as_requestor(call: CallAction) -> None:
    opened = open_ticket(call, contactid="1")
    got = the_ticket(call, opened["id"])
    assert (got["contactid"], got["name"], got["email"]) == (1, "Charles Babbage", "charles@example.com")
    assert got["replies"]["reply"][0]["requestor_type"] == "Sub-Account"


def test_open_ticket_for_the_clients_owner_user(call: CallAction, store: Store) -> None:
    # A user takes the place of a contact.
    opened = open_ticket(call, userid="1", contactid="1")
    ticket = store.tickets.get(opened["id"])
    assert ticket is not None and ticket.contactid == 0


def test_an_unknown_priority_gets_the_default_one(call: CallAction, store: Store) -> None:
    opened = open_ticket(call, priority="Urgent")
    ticket = store.tickets.get(opened["id"])
    assert ticket is not None and ticket.urgency == "Medium"


@pytest.mark.parametrize(("params", "service"), [
    ({"serviceid": "10"}, "S10"),
    ({"domainid": "20"}, "D20"),
    ({"serviceid": "10", "domainid": "20"}, "S10"),
])
def test_open_ticket_about_a_service_or_domain(
    call: CallAction, params: dict[str, str], service: str
) -> None:
    opened = open_ticket(call, **params)
    assert the_ticket(call, opened["id"])["service"] == service


def test_open_ticket_by_an_admin(call: CallAction, store: Store) -> None:
    opened = open_ticket(call, admin="1", noemail="1", markdown="true")
    got = the_ticket(call, opened["id"])
    assert got["admin"] == "admin"
    first = got["replies"]["reply"][0]
    assert (first["admin"], first["requestor_name"], first["requestor_type"]) == (
        "admin", "admin", "Operator",
    )
    assert [(e.template, e.sent, e.reason) for e in store.emails] == [
        ("Support Ticket Opened by Admin", False, "OpenTicket with noemail"),
    ]
    ticket = store.tickets.get(opened["id"])
    assert ticket is not None and ticket.editor == "markdown"


@pytest.mark.parametrize(("created", "kept"), [
    ("2026-01-02 03:04:05", "2026-01-02 03:04:05"),
    ("2026-01-02T03:04:05", "2026-01-02 03:04:05"),
    ("2026-01-02T03:04:05+02:00", "2026-01-02 03:04:05"),
])
def test_open_ticket_created_in_the_past(call: CallAction, store: Store, created: str, kept: str) -> None:
    opened = open_ticket(call, created=created)
    ticket = store.tickets.get(opened["id"])
    assert ticket is not None and (ticket.date, ticket.lastreply) == (kept, kept)


@pytest.mark.parametrize(("params", "message"), [
    ({"clientid": "99"}, "Client ID Not Found"),
    ({"userid": "2"}, "The system cannot find the provided user ID."),
    ({"contactid": "99"}, "Contact ID Not Found"),
    ({"clientid": "2", "contactid": "1"}, "Contact ID Not Found"),
    ({"clientid": "", "name": "Guest"}, "Name and email address are required if not a client"),
    ({"clientid": "", "email": "guest@example.org"}, "Name and email address are required if not a client"),
    ({"deptid": "9"}, "Department ID not found"),
    ({"deptid": ""}, "Department ID not found"),
    ({"subject": " "}, "Subject is required"),
    ({"message": ""}, "Message is required"),
    ({"serviceid": "99"}, "Service ID Not Found"),
    ({"domainid": "99"}, "Domain ID Not Found"),
    ({"clientid": "2", "serviceid": "10"}, "Service ID Not Found"),
    ({"clientid": "", "name": "Guest", "email": "not-an-address"}, "Email Address Invalid"),
    ({"created": "yesterday"}, "Invalid Date Format"),
    ({"created": "2026-01-15 10:00:01"}, "Ticket creation date cannot be in the future"),
])
def test_open_ticket_errors_change_nothing(
    call: CallAction, store: Store, params: dict[str, str], message: str
) -> None:
    with unchanged(store):
        assert api_error(call, "OpenTicket", **(OPEN | params)).message == message


def test_open_ticket_reports_the_client_before_the_department(call: CallAction) -> None:
    assert api_error(call, "OpenTicket", **(OPEN | {"clientid": "99", "deptid": "9"})).message == (
        "Client ID Not Found"
    )


def test_open_ticket_gives_up_when_every_ticket_number_is_taken(
    call: CallAction, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every draw gives the default scenario's ticket number.
    monkeypatch.setattr(store.random, "randrange", lambda stop: 482913)
    with unchanged(store):
        assert api_error(call, "OpenTicket", **OPEN).message == "Unable to generate ticket number"


def attachments(*names: str) -> str:
    """``attachments`` as WHMCS's examples build it: base64 of the JSON list of {name, data}."""
    files = [{"name": name, "data": base64.b64encode(b"contents").decode()} for name in names]
    return base64.b64encode(json.dumps(files).encode()).decode()


def test_attached_files_are_kept_under_a_random_prefix(call: CallAction, store: Store) -> None:
    opened = open_ticket(call, attachments=attachments("log.txt", "../etc/pass|wd"))
    call("AddTicketReply", ticketid=str(opened["id"]), message="More", clientid="1",
         attachments=attachments("shot.png"))
    call("AddTicketNote", ticketid=str(opened["id"]), message="Seen", attachments=attachments("a.pdf"))
    ticket = store.tickets.get(opened["id"])
    assert ticket is not None
    first, second = ticket.attachment.split("|")
    assert (first[6:], second[6:]) == ("_log.txt", "_.._etc_pass_wd")
    assert first[:6].isdigit() and second[:6].isdigit()
    got = the_ticket(call, opened["id"])
    opening, reply = got["replies"]["reply"]
    assert (opening["attachment"], opening["attachments"]) == (
        ticket.attachment, [{"filename": "log.txt", "index": 0}, {"filename": ".._etc_pass_wd", "index": 1}],
    )
    assert reply["attachments"] == [{"filename": "shot.png", "index": 0}]
    assert got["notes"]["note"][0]["attachments"] == [{"filename": "a.pdf", "index": 0}]
    (note,) = call("GetTicketNotes", ticketid=str(opened["id"]))["notes"]["note"]
    assert note["attachment"].endswith("_a.pdf")
    # The prefixes come from the seed too.
    store.reset()
    assert open_ticket(call, attachments=attachments("log.txt", "../etc/pass|wd")) == opened
    assert store.tickets.rows[opened["id"]].attachment == ticket.attachment


@pytest.mark.parametrize("sent", ["not base64 json", base64.b64encode(b'{"name": "x"}').decode(),
                                  base64.b64encode(b'[{"data": "eA=="}, "x", {"name": 5}]').decode()])
def test_attachments_that_cannot_be_read_are_not_attached(call: CallAction, store: Store, sent: str) -> None:
    opened = open_ticket(call, attachments=sent)
    ticket = store.tickets.get(opened["id"])
    assert ticket is not None and ticket.attachment == ""
    assert the_ticket(call, opened["id"])["replies"]["reply"][0]["attachments"] == [[]]


# --- AddTicketReply ------------------------------------------------------------------------------


def test_a_client_reply_makes_the_ticket_customer_reply(call: CallAction, store: Store) -> None:
    replied = call("AddTicketReply", ticketid="1", message="Still down <now>", clientid="1")
    assert replied == {"result": "success"}
    ticket = store.tickets.get(1)
    assert ticket is not None
    assert (ticket.status, ticket.lastreply) == ("Customer-Reply", "2026-01-15 10:00:00")
    reply = the_ticket(call, 1)["replies"]["reply"][-1]
    assert (reply["replyid"], reply["userid"], reply["name"], reply["message"]) == (
        2, 1, "", "Still down &lt;now&gt;",
    )
    assert (reply["requestor_name"], reply["requestor_type"], reply["admin"]) == ("Ada Lovelace", "Owner", "")
    # WHMCS emails the client about staff replies only.
    assert len(store.emails) == 0


def test_an_admin_reply_makes_the_ticket_answered(call: CallAction, store: Store) -> None:
    opened = open_ticket(call)
    call("AddTicketReply", ticketid=str(opened["id"]), message="On it.", adminusername="admin",
         created="2026-01-15 09:00:00")
    got = the_ticket(call, opened["id"])
    assert (got["status"], got["lastreply"]) == ("Answered", "2026-01-15 09:00:00")
    reply = got["replies"]["reply"][-1]
    assert (reply["admin"], reply["userid"], reply["requestor_type"], reply["date"]) == (
        "admin", 1, "Operator", "2026-01-15 09:00:00",
    )
    assert [e.template for e in store.emails] == ["Support Ticket Opened", "Support Ticket Reply"]


def test_a_reply_with_a_status_sets_that_status(call: CallAction, store: Store) -> None:
    call("AddTicketReply", ticketid="1", message="Closing.", adminusername="admin", status="Closed",
         noemail="1")
    ticket = store.tickets.get(1)
    assert ticket is not None and ticket.status == "Closed"
    assert [(e.sent, e.reason) for e in store.emails] == [(False, "AddTicketReply with noemail")]


def test_a_guest_and_a_contact_reply(call: CallAction) -> None:
    call("AddTicketReply", ticketid="1", message="Me too", name="Bystander", email="by@example.org")
    call("AddTicketReply", ticketid="1", message="And me", clientid="1", contactid="1")
    guest, contact = the_ticket(call, 1)["replies"]["reply"][-2:]
    assert (guest["userid"], guest["name"], guest["email"], guest["requestor_type"]) == (
        0, "Bystander", "by@example.org", "Guest",
    )
    assert (contact["contactid"], contact["requestor_name"], contact["requestor_type"]) == (
        1, "Charles Babbage", "Sub-Account",
    )


@pytest.mark.parametrize(("params", "message"), [
    ({"ticketid": "99"}, "Ticket ID not found"),
    ({"clientid": "99"}, "Client ID Not Found"),
    ({"contactid": "99"}, "Contact ID Not Found"),
    ({"clientid": ""}, "Name and email address are required if not a client"),
    ({"message": " "}, "Message is required"),
    ({"clientid": "", "name": "Guest", "email": "nope"}, "Email Address Invalid"),
    ({"status": "Pending"}, "Invalid Ticket Status"),
    ({"created": "15/01/2026"}, "Invalid Date Format"),
    ({"created": "2027-01-01 00:00:00"}, "Reply creation date cannot be in the future"),
])
def test_add_ticket_reply_errors_change_nothing(
    call: CallAction, store: Store, params: dict[str, str], message: str
) -> None:
    reply = {"ticketid": "1", "message": "Hello", "clientid": "1"}
    with unchanged(store):
        assert api_error(call, "AddTicketReply", **(reply | params)).message == message


# --- GetTicket -----------------------------------------------------------------------------------


def test_get_ticket_shows_the_opening_message_as_the_first_reply(call: CallAction) -> None:
    got = the_ticket(call, 1)
    assert list(got) == [
        "result", "ticketid", "tid", "c", "deptid", "deptname", "userid", "contactid", "name", "email", "cc",
        "date", "subject", "status", "priority", "admin", "lastreply", "flag", "service", "replies", "notes",
    ]
    assert (got["ticketid"], got["tid"], got["deptname"], got["status"], got["lastreply"]) == (
        1, "482913", "Technical Support", "Answered", "2026-01-10 10:15:00",
    )
    first, second = got["replies"]["reply"]
    assert list(first) == [
        "replyid", "userid", "contactid", "name", "email", "requestor_name", "requestor_email",
        "requestor_type", "date", "message", "attachment", "attachments", "attachments_removed", "admin",
    ]
    assert (first["replyid"], first["message"], first["name"]) == (
        0, "My site existing.example.com stopped answering this morning.", "Ada Lovelace",
    )
    assert (second["replyid"], second["admin"], second["rating"]) == (1, "admin", 0)
    assert got["notes"] == {"note": [{
        "noteid": 1, "date": "2026-01-10 10:10:00", "message": "Checked the web server: Apache was down.",
        "attachment": "", "attachments": [[]], "attachments_removed": False, "admin": "admin",
    }]}


def test_get_ticket_by_number_and_newest_reply_first(call: CallAction) -> None:
    by_number = call("GetTicket", ticketnum="482913", repliessort="DESC")
    assert by_number["ticketid"] == 1
    assert [reply["replyid"] for reply in by_number["replies"]["reply"]] == [1, 0]


def test_get_ticket_shows_replies_in_date_order(call: CallAction) -> None:
    call("AddTicketReply", ticketid="1", message="Late", clientid="1")
    call("AddTicketReply", ticketid="1", message="Dated back", clientid="1", created="2026-01-10 09:45:00")
    messages = [reply["message"] for reply in the_ticket(call, 1)["replies"]["reply"]]
    assert messages[1:] == ["Dated back", "We are looking into it.", "Late"]


def test_get_ticket_without_notes_has_no_notes_key(call: CallAction) -> None:
    assert "notes" not in the_ticket(call, open_ticket(call)["id"])


@pytest.mark.parametrize("params", [{"ticketid": "99"}, {"ticketnum": "000000"}, {}])
def test_get_ticket_not_found(call: CallAction, params: dict[str, str]) -> None:
    assert api_error(call, "GetTicket", **params).message == "Ticket ID Not Found"


# --- GetTickets ----------------------------------------------------------------------------------


def ticket_ids(call: CallAction, **params: str) -> list[int]:
    return [ticket["id"] for ticket in call("GetTickets", **params).get("tickets", {"ticket": []})["ticket"]]


def test_get_tickets_lists_the_most_recently_active_first(call: CallAction) -> None:
    open_ticket(call)
    open_ticket(call, created="2026-01-01 00:00:00")
    listed = call("GetTickets")
    assert (listed["totalresults"], listed["startnumber"], listed["numreturned"]) == (3, 0, 3)
    assert [t["id"] for t in listed["tickets"]["ticket"]] == [2, 1, 3]
    assert ticket_ids(call, limitstart="1", limitnum="1") == [1]


def test_get_tickets_filters(call: CallAction) -> None:
    open_ticket(call, deptid="2", subject="Invoice question")
    guest = call("OpenTicket", **GUEST)["id"]
    assert ticket_ids(call, deptid="2") == [guest, 2]
    assert ticket_ids(call, clientid="1") == [2, 1]
    assert ticket_ids(call, email="GUEST@example.org") == [guest]
    assert ticket_ids(call, subject="invoice") == [2]
    assert ticket_ids(call, status="Answered") == [1]
    assert ticket_ids(call, status="Open", deptid="1") == []


def test_get_tickets_special_statuses(call: CallAction) -> None:
    second = open_ticket(call)["id"]
    third = open_ticket(call)["id"]
    call("UpdateTicket", ticketid=str(third), status="Closed", flag="1")
    call("UpdateTicket", ticketid=str(second), flag="1")
    assert ticket_ids(call, status="Awaiting Reply") == [second]
    assert ticket_ids(call, status="All Active Tickets") == [second, 1]
    # Flagged to the calling admin (id 1) and still active.
    assert ticket_ids(call, status="My Flagged Tickets") == [second]


def test_get_tickets_without_matches_has_no_tickets_key(call: CallAction) -> None:
    assert call("GetTickets", clientid="2") == {
        "result": "success", "totalresults": 0, "startnumber": 0, "numreturned": 0,
    }


# --- GetTicketNotes, AddTicketNote -----------------------------------------------------------------


def test_add_ticket_note_by_number_or_id(call: CallAction) -> None:
    assert call("AddTicketNote", ticketnum="482913", message="Rebooted <web1>") == {"result": "success"}
    call("AddTicketNote", ticketid="1", message="Fine now", created="2026-01-12T08:00:00", markdown="1")
    notes = call("GetTicketNotes", ticketid="1")
    assert notes["totalresults"] == 3
    assert notes["notes"]["note"][1:] == [
        {"id": 2, "admin": "admin", "date": "2026-01-15 10:00:00", "message": "Rebooted &lt;web1&gt;",
         "attachment": "", "attachments_removed": False},
        {"id": 3, "admin": "admin", "date": "2026-01-12 08:00:00", "message": "Fine now",
         "attachment": "", "attachments_removed": False},
    ]


@pytest.mark.parametrize(("params", "message"), [
    ({"ticketid": "99"}, "Ticket ID not found"),
    ({"ticketnum": "999999"}, "Ticket ID not found"),
    ({"message": ""}, "Message is required"),
    ({"created": "soon"}, "Invalid Date Format"),
    ({"created": "2026-02-01 00:00:00"}, "Ticket creation date cannot be in the future"),
])
def test_add_ticket_note_errors_change_nothing(
    call: CallAction, store: Store, params: dict[str, str], message: str
) -> None:
    with unchanged(store):
        error = api_error(call, "AddTicketNote", **({"ticketid": "1", "message": "Hi"} | params))
    assert error.message == message


def test_get_ticket_notes_of_a_ticket_without_notes_and_of_none(call: CallAction) -> None:
    opened = open_ticket(call)
    assert call("GetTicketNotes", ticketid=str(opened["id"])) == {"result": "success", "totalresults": 0}
    assert api_error(call, "GetTicketNotes", ticketid="99").message == "Ticket ID Not Found"


# --- UpdateTicket --------------------------------------------------------------------------------


def test_update_ticket_changes_what_is_sent(call: CallAction, store: Store) -> None:
    opened = call("OpenTicket", **GUEST)
    assert call(
        "UpdateTicket", ticketid=str(opened["id"]), deptid="1", status="In Progress", subject="VPS & more",
        priority="Low", cc="boss@example.org", created="2026-01-14 12:00:00", flag="3",
        message="Edited", markdown="1", email="new@example.org", name="New Name",
    ) == {"result": "success", "ticketid": opened["id"]}
    ticket = store.tickets.get(opened["id"])
    assert ticket is not None
    assert (ticket.did, ticket.status, ticket.title, ticket.urgency, ticket.cc, ticket.date, ticket.flag) == (
        1, "In Progress", "VPS &amp; more", "Low", "boss@example.org", "2026-01-14 12:00:00", 3,
    )
    assert (ticket.message, ticket.editor, ticket.email, ticket.name) == (
        "Edited", "markdown", "new@example.org", "New Name",
    )
    call("UpdateTicket", ticketid=str(opened["id"]), userid="1", removeFlag="1")
    assert (ticket.userid, ticket.flag, ticket.status) == (1, 0, "In Progress")


def test_update_ticket_moves_a_contacts_ticket_to_another_client(call: CallAction, store: Store) -> None:
    opened = open_ticket(call, contactid="1")
    call("UpdateTicket", ticketid=str(opened["id"]), userid="2")
    ticket = store.tickets.get(opened["id"])
    assert ticket is not None and (ticket.userid, ticket.contactid) == (2, 0)


@pytest.mark.parametrize(("params", "message"), [
    ({"ticketid": "99"}, "Ticket ID Not Found"),
    ({"deptid": "9"}, "Department ID Not Found"),
    ({"priority": "Urgent"}, "Invalid Ticket Priority. Valid priorities are: Low,Medium,High"),
    ({"status": "Pending"},
     "Invalid Ticket Status. Valid statuses are: Open,Answered,Customer-Reply,On Hold,In Progress,Closed"),
    ({"userid": "99"}, "Client ID Not Found"),
    ({"created": "2026-13-01 00:00:00"}, "Invalid Date Format"),
    ({"created": "2026-01-16"}, "Ticket creation date cannot be in the future"),
])
def test_update_ticket_errors_change_nothing(
    call: CallAction, store: Store, params: dict[str, str], message: str
) -> None:
    with unchanged(store):
        error = api_error(call, "UpdateTicket", **({"ticketid": "1", "subject": "New"} | params))
    assert error.message == message


# --- DeleteTicket --------------------------------------------------------------------------------


def test_delete_ticket_removes_its_replies_and_notes(call: CallAction, store: Store) -> None:
    assert call("DeleteTicket", ticketid="1") == {"result": "success"}
    assert (len(store.tickets), len(store.ticket_replies), len(store.ticket_notes)) == (0, 0, 0)
    with unchanged(store):
        assert api_error(call, "DeleteTicket", ticketid="1").message == "Ticket ID not found"
