"""The issue's acceptance scenario, as a user with nothing but curl would run it against the server.

Make the next AddOrder fail once with "Client ID Not Found"; make AcceptOrder answer 503 for one order
id; find both calls in the journal, secrets redacted, with a warning on a misspelled parameter; and a
reset puts back exactly the scenario's state.
"""

from __future__ import annotations

from mockwhmcs import MockWhmcs
from tests.control.conftest import Control

# An OpenAPI-style client: the action in the query string, credentials and the rest in the body, and
# `noemial` misspelled.
ADD_ORDER = ("/includes/api.php?action=AddOrder", "identifier=mockwhmcs-identifier&secret=mockwhmcs-secret"
             "&responsetype=json&clientid=1&pid[0]=1&billingcycle[0]=monthly&paymentmethod=mailin&noemial=1")


def accept_order(control: Control, orderid: int) -> tuple[int, str]:
    reply = control.post(f"action=AcceptOrder&orderid={orderid}&identifier=mockwhmcs-identifier"
                         "&secret=mockwhmcs-secret&responsetype=json")
    return reply.status, reply.text


def test_done_when(whmcs: MockWhmcs, control: Control) -> None:
    _, initial = control.call("GET", "/state")

    # curl -X POST $MOCK/_mock/faults -d '{"action": "AddOrder", "times": 1, "error": "Client ID Not Found"}'
    status, rule = control.call("POST", "/faults", {"action": "AddOrder", "times": 1,
                                                     "error": "Client ID Not Found"})
    assert (status, rule["id"]) == (201, 1)
    path, body = ADD_ORDER
    failed = control.post(body, path=path)
    assert (failed.status, failed.text) == (200, '{"result":"error","message":"Client ID Not Found"}')
    placed = [control.post(body, path=path).text for _ in range(2)]
    assert [text.startswith('{"result":"success","orderid":') for text in placed] == [True, True]

    # curl -X POST $MOCK/_mock/faults -d '{"action": "AcceptOrder", "when": {"orderid": 1}, "status": 503}'
    assert control.call("POST", "/faults", {"action": "AcceptOrder", "when": {"orderid": 1},
                                            "status": 503})[0] == 201
    assert accept_order(control, 1) == (503, "")
    assert accept_order(control, 2) == (200, '{"result":"success"}')

    # curl $MOCK/_mock/requests
    _, journal = control.call("GET", "/requests")
    entries = journal["requests"]
    summary = [(e["action"], e["status"], e["fault"] and e["fault"]["id"]) for e in entries]
    assert summary == [
        ("AddOrder", 200, 1), ("AddOrder", 200, None), ("AddOrder", 200, None),
        ("AcceptOrder", 503, 2), ("AcceptOrder", 200, None),
    ]
    add_order, accept = entries[0], entries[3]
    assert add_order["response"] == {"result": "error", "message": "Client ID Not Found"}
    assert add_order["params"]["secret"] == accept["params"]["secret"] == "***"
    assert add_order["params"]["identifier"] == "mockwhmcs-identifier"
    assert 'unknown parameter "noemial" for AddOrder, which WHMCS ignores (did you mean "noemail"?)' in (
        add_order["warnings"])
    assert "mockwhmcs-secret" not in str(journal)
    assert failed.headers.get_all("X-Mockwhmcs-Warning") == add_order["warnings"]
    assert accept["params"]["orderid"] == "1"

    # curl -X POST $MOCK/_mock/reset
    assert control.call("POST", "/reset")[0] == 200
    assert control.call("GET", "/state")[1] == initial
    assert control.call("GET", "/requests")[1] == {"requests": []}
    assert control.call("GET", "/faults")[1] == {"faults": []}
