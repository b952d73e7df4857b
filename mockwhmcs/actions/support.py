"""Support tickets: departments, statuses, OpenTicket, replies, notes, GetTicket(s)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..errors import ApiError
from ..php import json_base64
from ..store.models import Client, Ticket, TicketNote, TicketReply
from ..store.store import TIME_FORMAT, Store, access_key, ticket_number
from .common import page_bounds, paginate, record_email, valid_email
from .registry import Call, Response, action


@dataclass(frozen=True, slots=True)
class TicketStatus:
    """One of WHMCS's ticket statuses (tblticketstatuses) with the settings it installs them with."""

    title: str
    color: str
    sortorder: int
    # Counted among the active (not closed) tickets, and among those awaiting a staff reply.
    active: bool
    awaiting: bool


# WHMCS's six default statuses, in the order it creates them (GetTicketCounts' example lists them so),
# with their colours and sort order (GetSupportStatuses' example: by sort order, Closed last).
STATUSES = (
    TicketStatus("Open", "#779500", 1, active=True, awaiting=True),
    TicketStatus("Answered", "#000000", 2, active=True, awaiting=False),
    TicketStatus("Customer-Reply", "#ff6600", 3, active=True, awaiting=True),
    TicketStatus("Closed", "#888888", 6, active=False, awaiting=False),
    TicketStatus("On Hold", "#224488", 4, active=True, awaiting=False),
    TicketStatus("In Progress", "#cc0000", 5, active=True, awaiting=True),
)
_BY_TITLE = {status.title: status for status in STATUSES}
PRIORITIES = ("Low", "Medium", "High")
# What an attached file's name may hold: no path, and never the "|" that separates stored files.
_UNSAFE_IN_FILE_NAME = re.compile(r"[^\w. -]")

# GetTickets' status filters that stand for several statuses.
AWAITING_REPLY = "Awaiting Reply"
ALL_ACTIVE = "All Active Tickets"
MY_FLAGGED = "My Flagged Tickets"


def _success() -> Response:
    return {"result": "success"}


def _ticket_by_id(call: Call, message: str) -> Ticket:
    ticket = call.store.tickets.get(call.int("ticketid"))
    if ticket is None:
        raise ApiError(message)
    return ticket


def _ticket_by_number_or_id(call: Call, message: str) -> Ticket:
    """The ticket ``ticketnum`` (its mask) names, else the one ``ticketid`` does."""
    number = call.text("ticketnum")
    if number:
        found = call.store.tickets.where("tid", number)
        if not found:
            raise ApiError(message)
        return found[0]
    return _ticket_by_id(call, message)


def _client_and_contact(call: Call) -> tuple[Client, int]:
    """The client ``clientid`` names and the id of ``contactid``, which must be one of its contacts."""
    store = call.store
    client = store.clients.get(call.int("clientid"))
    if client is None:
        raise ApiError("Client ID Not Found")
    contactid = call.int("contactid")
    contacts = store.contacts.where("userid", client.id)
    if contactid and not any(contact.id == contactid for contact in contacts):
        raise ApiError("Contact ID Not Found")
    return client, contactid


def _require_guest(call: Call) -> None:
    if not (call.text("name").strip() and call.text("email").strip()):
        raise ApiError("Name and email address are required if not a client")


def _require_text(call: Call, name: str, message: str) -> str:
    """Text an action stores and must not be blank, cleaned as WHMCS keeps it."""
    if not call.text(name).strip():
        raise ApiError(message)
    return call.clean(name)


def _require_email(call: Call) -> None:
    if not valid_email(call.text("email").strip()):
        raise ApiError("Email Address Invalid")


def _created(call: Call, future: str) -> str:
    """When the message shows as sent: ``created`` (ISO 8601 or ``Y-m-d H:i:s``), else now.

    An offset in an ISO 8601 time is not converted: the wall time written is the time kept.
    """
    text = call.text("created").strip()
    if not text:
        return call.store.now()
    try:
        moment = datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise ApiError("Invalid Date Format") from None
    if moment > call.store.clock.now():
        raise ApiError(future)
    return moment.strftime(TIME_FORMAT)


def _attached(call: Call) -> list[str]:
    """The names of the files in ``attachments``: base64 of the JSON list of ``{name, data}`` WHMCS
    takes. WHMCS lists no error for attachments it cannot read; they are not attached."""
    try:
        files = json_base64(call.text("attachments"))
    except (ValueError, RecursionError):
        return []
    names = [item.get("name") for item in files if isinstance(item, dict)] if isinstance(files, list) else []
    return [_UNSAFE_IN_FILE_NAME.sub("_", name) for name in names if isinstance(name, str) and name]


def _stored(store: Store, names: list[str]) -> str:
    """Attached files as WHMCS keeps them: each under a random prefix, so two files of one name never
    collide, joined by "|"."""
    return "|".join(f"{store.random.randrange(1_000_000):06d}_{name}" for name in names)


def _editor(call: Call) -> str:
    return "markdown" if call.flag("markdown") else "plain"


def _fullname(first: str, last: str) -> str:
    return f"{first} {last}"


# --- departments and statuses ------------------------------------------------------------------


def _count(tickets: Iterable[Ticket], wanted: Callable[[TicketStatus], bool]) -> int:
    return sum(1 for ticket in tickets if wanted(_BY_TITLE[ticket.status]))


def _is_active(status: TicketStatus) -> bool:
    return status.active


def _is_awaiting(status: TicketStatus) -> bool:
    return status.awaiting


@action("GetSupportDepartments", list_style=True, flags=("ignore_dept_assignments",))
def get_support_departments(call: Call) -> Response:
    # The scenario's admins belong to every department, so ignore_dept_assignments changes nothing.
    store = call.store
    departments = store.catalog.support_departments.values()
    by_department: dict[int, list[Ticket]] = {department.id: [] for department in departments}
    for ticket in store.tickets:
        by_department.setdefault(ticket.did, []).append(ticket)
    response: Response = {"result": "success", "totalresults": len(departments)}
    if departments:
        response["departments"] = {"department": [
            {
                "id": department.id,
                "name": department.name,
                "awaitingreply": _count(by_department[department.id], _is_awaiting),
                "opentickets": _count(by_department[department.id], _is_active),
            }
            for department in departments
        ]}
    return response


@action("GetSupportStatuses", list_style=True, params=("deptid",))
def get_support_statuses(call: Call) -> Response:
    counts = _status_counts(call.store, call.int("deptid"))
    return {
        "result": "success",
        "totalresults": len(STATUSES),
        "statuses": {"status": [
            {"title": status.title, "count": counts[status.title], "color": status.color}
            for status in sorted(STATUSES, key=lambda status: status.sortorder)
        ]},
    }


def _status_counts(store: Store, deptid: int = 0) -> dict[str, int]:
    counts = dict.fromkeys(_BY_TITLE, 0)
    for ticket in store.tickets:
        if not deptid or ticket.did == deptid:
            counts[ticket.status] += 1
    return counts


@action("GetTicketCounts", list_style=True, flags=("ignoreDepartmentAssignments", "includeCountsByStatus"))
def get_ticket_counts(call: Call) -> Response:
    store = call.store
    tickets = list(store.tickets)
    flagged = _admin_id(call)
    response: Response = {
        "result": "success",
        "filteredDepartments": list(store.catalog.support_departments),
        "allActive": _count(tickets, _is_active),
        "awaitingReply": _count(tickets, _is_awaiting),
        "flaggedTickets": _count((t for t in tickets if flagged and t.flag == flagged), _is_active),
    }
    if call.flag("includeCountsByStatus"):
        counts = _status_counts(store)
        response["status"] = {
            re.sub(r"[^a-z0-9]", "", status.title.lower()):
                {"title": status.title, "count": counts[status.title]}
            for status in STATUSES
        }
    return response


def _admin_id(call: Call) -> int:
    """The id of the admin making the call: whose flagged tickets "My Flagged Tickets" are."""
    admin = call.store.catalog.admins.get(call.admin)
    return admin.id if admin is not None else 0


# --- opening and replying ------------------------------------------------------------------------


@action(
    "OpenTicket",
    params=("deptid", "subject", "message", "clientid", "userid", "contactid", "name", "email", "priority",
            "created", "serviceid", "domainid", "attachments"),
    flags=("admin", "noemail", "markdown"),
    mutates=True,
)
def open_ticket(call: Call) -> Response:
    store = call.store
    client, contactid = None, 0
    if call.int("clientid"):
        client, contactid = _client_and_contact(call)
        # Every client's owner user is numbered like the client (AddClient's owner_id): that is the one
        # user a ticket can be opened for here. A user passed takes the place of a contact.
        userid = call.int("userid")
        if userid and userid != client.id:
            raise ApiError("The system cannot find the provided user ID.")
        if userid:
            contactid = 0
    else:
        _require_guest(call)
    department = store.catalog.support_departments.get(call.int("deptid"))
    if department is None:
        raise ApiError("Department ID not found")
    subject = _require_text(call, "subject", "Subject is required")
    message = _require_text(call, "message", "Message is required")
    service = _related_item(call, client)
    if client is None:
        _require_email(call)
    date = _created(call, "Ticket creation date cannot be in the future")
    tid = ticket_number(store.random, lambda number: bool(store.tickets.where("tid", number)))
    if tid is None:
        raise ApiError("Unable to generate ticket number")
    priority = call.text("priority")
    ticket = store.tickets.add(Ticket(
        id=store.tickets.new_id(), tid=tid, c=access_key(store.random), did=department.id,
        userid=client.id if client else 0, date=date, title=subject, message=message,
        # WHMCS lists no error for a priority it does not know: the ticket gets the default one.
        urgency=priority if priority in PRIORITIES else "Medium", contactid=contactid,
        name="" if client else call.clean("name").strip(), email="" if client else call.text("email").strip(),
        admin=call.admin if call.flag("admin") else "", lastreply=date, service=service, editor=_editor(call),
        attachment=_stored(store, _attached(call)),
    ))
    template = "Support Ticket Opened by Admin" if ticket.admin else "Support Ticket Opened"
    record_email(store, ticket.userid, template, ticket.id, sent=not call.flag("noemail"),
                 reason="OpenTicket with noemail")
    return {"result": "success", "id": ticket.id, "tid": ticket.tid, "c": ticket.c}


def _related_item(call: Call, client: Client | None) -> str:
    """The service ("S<id>") or domain ("D<id>") the ticket is about; one of the client's, if a client's.

    WHMCS takes one of the two: a service sent wins over a domain.
    """
    store = call.store
    for param, table, prefix, message in (
        ("serviceid", store.services, "S", "Service ID Not Found"),
        ("domainid", store.domains, "D", "Domain ID Not Found"),
    ):
        if not call.int(param):
            continue
        row = table.get(call.int(param))
        if row is None or (client is not None and row.userid != client.id):
            raise ApiError(message)
        return f"{prefix}{row.id}"
    return ""


@action(
    "AddTicketReply",
    params=("ticketid", "message", "clientid", "contactid", "adminusername", "name", "email", "status",
            "created", "attachments"),
    flags=("markdown", "noemail"),
    mutates=True,
)
def add_ticket_reply(call: Call) -> Response:
    store = call.store
    ticket = _ticket_by_id(call, "Ticket ID not found")
    admin = call.text("adminusername").strip()
    client, contactid = None, 0
    if call.int("clientid"):
        client, contactid = _client_and_contact(call)
    elif not admin:
        _require_guest(call)
    message = _require_text(call, "message", "Message is required")
    guest = client is None and not admin
    if guest:
        _require_email(call)
    status = call.text("status")
    if status and status not in _BY_TITLE:
        raise ApiError("Invalid Ticket Status")
    date = _created(call, "Reply creation date cannot be in the future")
    # An admin's reply carries the ticket's client, as WHMCS's GetTicket example shows it.
    userid = ticket.userid if admin else client.id if client else 0
    store.ticket_replies.add(TicketReply(
        id=store.ticket_replies.new_id(), tid=ticket.id, userid=userid, date=date, message=message,
        contactid=0 if admin else contactid, name=call.clean("name").strip() if guest else "",
        email=call.text("email").strip() if guest else "", admin=admin, editor=_editor(call),
        attachment=_stored(store, _attached(call)),
    ))
    # What WHMCS does on each reply (its Ticket Statuses documentation): a client's reply makes the
    # ticket Customer-Reply, a staff reply Answered, unless the call names the status.
    ticket.status = status or ("Answered" if admin else "Customer-Reply")
    ticket.lastreply = date
    if admin:
        record_email(store, ticket.userid, "Support Ticket Reply", ticket.id, sent=not call.flag("noemail"),
                     reason="AddTicketReply with noemail")
    return _success()


# --- reading tickets -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Person:
    """Who a ticket or a message is from, as GetTicket(s) show it."""

    name: str
    email: str
    kind: str


def _requestor(store: Store, userid: int, contactid: int, name: str, email: str) -> _Person:
    """A client's contact, the client (its owner), or a guest known only by name and email."""
    if contactid:
        contact = store.contacts.get(contactid)
        if contact is not None:
            return _Person(_fullname(contact.firstname, contact.lastname), contact.email, "Sub-Account")
    client = store.clients.get(userid) if userid else None
    if client is not None:
        return _Person(_fullname(client.firstname, client.lastname), client.email, "Owner")
    return _Person(name, email, "Guest")


def _attachments(attachment: str) -> dict[str, Any]:
    """The attachment keys of a message: the files as stored, and their names in order. WHMCS sends
    the list of no files as a list holding one empty array, as its GetTicket example shows."""
    files = [stored.split("_", 1)[1] for stored in attachment.split("|")] if attachment else []
    return {
        "attachment": attachment,
        "attachments": [{"filename": name, "index": index} for index, name in enumerate(files)] or [[]],
        "attachments_removed": False,
    }


@action("GetTicket", list_style=True, params=("ticketid", "ticketnum", "repliessort"))
def get_ticket(call: Call) -> Response:
    store = call.store
    ticket = _ticket_by_number_or_id(call, "Ticket ID Not Found")
    owner = _requestor(store, ticket.userid, ticket.contactid, ticket.name, ticket.email)
    department = store.catalog.support_departments.get(ticket.did)
    opener = _Person(ticket.admin, "", "Operator") if ticket.admin else owner
    replies = [{
        "replyid": 0,
        "userid": ticket.userid,
        "contactid": ticket.contactid,
        "name": owner.name,
        "email": owner.email,
        "requestor_name": opener.name,
        "requestor_email": opener.email,
        "requestor_type": opener.kind,
        "date": ticket.date,
        "message": ticket.message,
        **_attachments(ticket.attachment),
        "admin": ticket.admin,
    }]
    # The conversation in the order it happened: a reply can be dated back (AddTicketReply's created).
    later = sorted(store.ticket_replies.where("tid", ticket.id), key=lambda reply: (reply.date, reply.id))
    replies += [_reply(store, reply) for reply in later]
    if call.text("repliessort").upper() == "DESC":
        replies.reverse()
    response: Response = {
        "result": "success",
        "ticketid": ticket.id,
        "tid": ticket.tid,
        "c": ticket.c,
        "deptid": ticket.did,
        "deptname": department.name if department is not None else "",
        "userid": ticket.userid,
        "contactid": ticket.contactid,
        "name": owner.name,
        "email": owner.email,
        "cc": ticket.cc,
        **_state(ticket),
        **_activity(ticket),
        "replies": {"reply": replies},
    }
    notes = store.ticket_notes.where("ticketid", ticket.id)
    if notes:
        response["notes"] = {"note": [
            {"noteid": note.id, "date": note.date, "message": note.message, **_attachments(note.attachment),
             "admin": note.admin}
            for note in notes
        ]}
    return response


def _state(ticket: Ticket) -> dict[str, Any]:
    """What GetTicket and GetTickets both show of a ticket, from its date to who opened it."""
    return {
        "date": ticket.date,
        "subject": ticket.title,
        "status": ticket.status,
        "priority": ticket.urgency,
        "admin": ticket.admin,
    }


def _activity(ticket: Ticket) -> dict[str, Any]:
    """What GetTicket and GetTickets both show last: the last reply, the flag and the related item."""
    return {"lastreply": ticket.lastreply, "flag": ticket.flag, "service": ticket.service}


def _reply(store: Store, reply: TicketReply) -> dict[str, Any]:
    if reply.admin:
        person = _Person(reply.admin, "", "Operator")
    else:
        person = _requestor(store, reply.userid, reply.contactid, reply.name, reply.email)
    return {
        "replyid": reply.id,
        "userid": reply.userid,
        "contactid": reply.contactid,
        # A client's reply keeps no name or email of its own: the requestor fields say who wrote it.
        "name": reply.name,
        "email": reply.email,
        "requestor_name": person.name,
        "requestor_email": person.email,
        "requestor_type": person.kind,
        "date": reply.date,
        "message": reply.message,
        **_attachments(reply.attachment),
        "admin": reply.admin,
        "rating": 0,
    }


@action(
    "GetTickets",
    list_style=True,
    params=("limitstart", "limitnum", "deptid", "clientid", "email", "status", "subject"),
    flags=("ignore_dept_assignments",),
)
def get_tickets(call: Call) -> Response:
    store = call.store
    start, limit = page_bounds(call)
    deptid, clientid = call.int("deptid"), call.int("clientid")
    email, subject = call.text("email").lower(), call.text("subject").lower()
    wanted = _status_filter(call)
    # Most recently active first, as WHMCS's ticket list shows them.
    ordered = sorted(store.tickets, key=lambda ticket: (ticket.lastreply, ticket.id), reverse=True)
    matches = (
        ticket for ticket in ordered
        if (not deptid or ticket.did == deptid)
        and (not clientid or ticket.userid == clientid)
        and (not email or (not ticket.userid and ticket.email.lower() == email))
        and (not subject or subject in ticket.title.lower())
        and wanted(ticket)
    )
    total, page = paginate(matches, start, limit)
    response: Response = {"result": "success", "totalresults": total, "startnumber": start,
                          "numreturned": len(page)}
    if page:
        response["tickets"] = {"ticket": [_listed(store, ticket) for ticket in page]}
    return response


def _status_filter(call: Call) -> Callable[[Ticket], bool]:
    """GetTickets' ``status``: one status, or one of the names that stand for several."""
    status = call.text("status")
    if not status:
        return lambda ticket: True
    if status == AWAITING_REPLY:
        return lambda ticket: _BY_TITLE[ticket.status].awaiting
    if status == ALL_ACTIVE:
        return lambda ticket: _BY_TITLE[ticket.status].active
    if status == MY_FLAGGED:
        mine = _admin_id(call)
        return lambda ticket: bool(mine) and ticket.flag == mine and _BY_TITLE[ticket.status].active
    return lambda ticket: ticket.status == status


def _listed(store: Store, ticket: Ticket) -> dict[str, Any]:
    requestor = _requestor(store, ticket.userid, ticket.contactid, ticket.name, ticket.email)
    client = store.clients.get(ticket.userid) if ticket.userid else None
    return {
        "id": ticket.id,
        "tid": ticket.tid,
        "deptid": ticket.did,
        "userid": ticket.userid,
        "name": requestor.name,
        "owner_name": _fullname(client.firstname, client.lastname) if client else "",
        "email": requestor.email,
        "requestor_name": requestor.name,
        "requestor_email": requestor.email,
        "requestor_type": requestor.kind,
        "cc": ticket.cc,
        "c": ticket.c,
        **_state(ticket),
        **_attachments(ticket.attachment),
        **_activity(ticket),
    }


@action("GetTicketNotes", list_style=True, params=("ticketid",))
def get_ticket_notes(call: Call) -> Response:
    ticket = _ticket_by_id(call, "Ticket ID Not Found")
    notes = call.store.ticket_notes.where("ticketid", ticket.id)
    response: Response = {"result": "success", "totalresults": len(notes)}
    if notes:
        response["notes"] = {"note": [
            {"id": note.id, "admin": note.admin, "date": note.date, "message": note.message,
             "attachment": note.attachment, "attachments_removed": False}
            for note in notes
        ]}
    return response


# --- changing tickets ----------------------------------------------------------------------------


@action(
    "UpdateTicket",
    params=("ticketid", "deptid", "status", "subject", "userid", "name", "email", "cc", "priority", "created",
            "flag", "message"),
    flags=("removeFlag", "markdown"),
    mutates=True,
)
def update_ticket(call: Call) -> Response:
    store = call.store
    ticket = _ticket_by_id(call, "Ticket ID Not Found")
    if call.text("deptid") and call.int("deptid") not in store.catalog.support_departments:
        raise ApiError("Department ID Not Found")
    priority, status = call.text("priority"), call.text("status")
    if priority and priority not in PRIORITIES:
        raise ApiError(f"Invalid Ticket Priority. Valid priorities are: {','.join(PRIORITIES)}")
    if status and status not in _BY_TITLE:
        valid = ",".join(s.title for s in sorted(STATUSES, key=lambda s: s.sortorder))
        raise ApiError(f"Invalid Ticket Status. Valid statuses are: {valid}")
    if call.text("userid") and store.clients.get(call.int("userid")) is None:
        raise ApiError("Client ID Not Found")
    date = _created(call, "Ticket creation date cannot be in the future") if call.text("created") else ""

    if call.text("deptid"):
        ticket.did = call.int("deptid")
    if call.text("userid"):
        # The contact who opened the ticket belongs to the client it leaves.
        ticket.userid, ticket.contactid = call.int("userid"), 0
    for param, attribute in (("subject", "title"), ("message", "message"), ("name", "name")):
        if call.text(param).strip():
            setattr(ticket, attribute, call.clean(param))
    for param in ("email", "cc"):
        if call.has(param):
            setattr(ticket, param, call.text(param).strip())
    ticket.status = status or ticket.status
    ticket.urgency = priority or ticket.urgency
    ticket.date = date or ticket.date
    if call.has("flag"):
        ticket.flag = call.int("flag")
    if call.flag("removeFlag"):
        ticket.flag = 0
    if call.has("markdown"):
        ticket.editor = _editor(call)
    return {"result": "success", "ticketid": ticket.id}


@action("AddTicketNote", params=("ticketid", "ticketnum", "message", "created", "attachments"),
        flags=("markdown",), mutates=True)
def add_ticket_note(call: Call) -> Response:
    store = call.store
    ticket = _ticket_by_number_or_id(call, "Ticket ID not found")
    message = _require_text(call, "message", "Message is required")
    date = _created(call, "Ticket creation date cannot be in the future")
    store.ticket_notes.add(TicketNote(
        id=store.ticket_notes.new_id(), ticketid=ticket.id, admin=call.admin, date=date, message=message,
        editor=_editor(call), attachment=_stored(store, _attached(call)),
    ))
    return _success()


@action("DeleteTicket", params=("ticketid",), mutates=True)
def delete_ticket(call: Call) -> Response:
    store = call.store
    remove_ticket(store, _ticket_by_id(call, "Ticket ID not found"))
    return _success()


def remove_ticket(store: Store, ticket: Ticket) -> None:
    """Delete a ticket with its replies and notes (DeleteTicket, and DeleteClient for each of its own)."""
    for reply in store.ticket_replies.where("tid", ticket.id):
        store.ticket_replies.remove(reply.id)
    for note in store.ticket_notes.where("ticketid", ticket.id):
        store.ticket_notes.remove(note.id)
    store.tickets.remove(ticket.id)
