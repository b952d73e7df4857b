"""The support flow over a real socket, with bodies as PHP's http_build_query sends them:
OpenTicket -> AddTicketReply -> GetTicket -> GetTickets, then notes, updates and deletion.

The golden files pin each success shape in JSON and XML on the default scenario (frozen clock, seed 1)
after the same calls.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

import pytest

from tests.support import AUTH, FIXTURES, Http

# http_build_query of ['deptid' => 1, 'subject' => ..., 'markdown' => true, 'noemail' => false]:
# PHP sends true as 1 and false as 0; "\r\n" and spaces percent- and plus-encoded.
OPEN = (
    "deptid=1&subject=Site+%3Cdown%3E&message=Line+one%0D%0ALine+two&clientid=1&priority=High"
    "&markdown=1&noemail=0"
)
REPLY = "ticketid=2&message=Looking+into+it.&adminusername=admin&status=In+Progress"


def open_and_reply(api: Http) -> dict[str, Any]:
    opened = api.call("OpenTicket", OPEN)
    assert opened["result"] == "success", opened
    assert api.call("AddTicketReply", REPLY) == {"result": "success"}
    return opened


def test_open_reply_and_read_back(api: Http) -> None:
    opened = open_and_reply(api)
    assert opened["id"] == 2
    assert api.call("AddTicketReply", "ticketid=2&message=Thanks%21&clientid=1") == {"result": "success"}

    ticket = api.call("GetTicket", f"ticketnum={opened['tid']}")
    assert (ticket["ticketid"], ticket["c"], ticket["subject"], ticket["priority"]) == (
        2, opened["c"], "Site &lt;down&gt;", "High",
    )
    assert ticket["status"] == "Customer-Reply"
    messages = [(r["requestor_type"], r["message"]) for r in ticket["replies"]["reply"]]
    assert messages == [
        ("Owner", "Line one\r\nLine two"), ("Operator", "Looking into it."), ("Owner", "Thanks!"),
    ]

    listed = api.call("GetTickets", "clientid=1&status=Awaiting+Reply")
    assert [(t["id"], t["tid"], t["status"]) for t in listed["tickets"]["ticket"]] == [
        (2, opened["tid"], "Customer-Reply"),
    ]


def test_open_ticket_answers_nvp_by_default_and_get_tickets_xml(api: Http) -> None:
    opened = api.post(f"action=OpenTicket&{AUTH}&{OPEN}")
    assert opened.content_type == "text/plain; charset=utf-8"
    fields = dict(pair.split("=", 1) for pair in opened.text.split(";"))
    assert (fields["result"], fields["id"]) == ("success", "2")
    listed = api.post(f"action=GetTickets&{AUTH}")
    assert listed.content_type == "application/xml; charset=utf-8"
    assert f"<tid>{fields['tid']}</tid>" in listed.text
    refused = api.post(f"action=GetTicket&{AUTH}&ticketid=1&responsetype=nvp")
    assert refused.text == (
        "result=error;message=This API action only supports the XML or JSON response type formats"
    )


def test_attachments_sent_as_php_encodes_them(api: Http) -> None:
    # base64_encode(json_encode([['name' => ..., 'data' => base64_encode(...)]])), then urlencoded:
    # the base64 alphabet's "+", "/" and "=" arrive percent-encoded.
    files = [{"name": "sample text file?.txt", "data": base64.b64encode(b"\xfb\xff sample").decode()}]
    encoded = quote(base64.b64encode(json.dumps(files).encode()).decode(), safe="")
    assert "%2B" in encoded or "%2F" in encoded or "%3D" in encoded
    opened = api.call("OpenTicket", f"{OPEN}&attachments={encoded}")
    first = api.call("GetTicket", f"ticketid={opened['id']}")["replies"]["reply"][0]
    assert first["attachments"] == [{"filename": "sample text file_.txt", "index": 0}]
    assert first["attachment"].endswith("_sample text file_.txt")


def test_python_requests_false_is_true_for_noemail(api: Http) -> None:
    # requests sends False as "False", which PHP reads as true: the email is suppressed.
    api.call("OpenTicket", OPEN.replace("noemail=0", "noemail=False"))
    state = json.loads(api.get("/_mock/state").body)
    assert [(n["template"], n["sent"]) for n in state["notifications"]] == [("Support Ticket Opened", False)]


def test_errors_arrive_as_whmcs_envelopes(api: Http) -> None:
    assert api.call("OpenTicket", OPEN.replace("deptid=1", "deptid=9")) == {
        "result": "error", "message": "Department ID not found",
    }
    assert api.post(f"action=AddTicketReply&{AUTH}&ticketid=99&message=x&clientid=1").text == (
        "result=error;message=Ticket ID not found"
    )


def test_note_update_and_delete(api: Http) -> None:
    open_and_reply(api)
    assert api.call("AddTicketNote", "ticketid=2&message=Escalated") == {"result": "success"}
    assert api.call("UpdateTicket", "ticketid=2&status=Closed&removeFlag=1") == {
        "result": "success", "ticketid": 2,
    }
    assert api.call("GetTicketNotes", "ticketid=2")["notes"]["note"][0]["message"] == "Escalated"
    assert api.call("DeleteTicket", "ticketid=2") == {"result": "success"}
    assert api.call("GetTicket", "ticketid=2") == {"result": "error", "message": "Ticket ID Not Found"}


# --- golden files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "params", "fixture"), [
    ("GetSupportDepartments", "", "getsupportdepartments"),
    ("GetSupportStatuses", "", "getsupportstatuses"),
    ("GetTicketCounts", "includeCountsByStatus=1", "getticketcounts"),
    ("GetTicket", "ticketid=1", "getticket"),
    ("GetTickets", "", "gettickets"),
    ("GetTicketNotes", "ticketid=1", "getticketnotes"),
    ("OpenTicket", OPEN.replace("clientid=1", "name=Guest&email=guest%40example.org"), "openticket"),
    ("UpdateTicket", "ticketid=1&status=On+Hold", "updateticket"),
    ("AddTicketReply", "ticketid=1&message=Hi&clientid=1", "addticketreply"),
])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_support_answers_match_golden_files(
    api: Http, action: str, params: str, fixture: str, fmt: str
) -> None:
    open_and_reply(api)
    reply = api.post(f"action={action}&{AUTH}&responsetype={fmt}&{params}")
    assert reply.body == (FIXTURES / "api" / f"{fixture}.{fmt}").read_bytes()
