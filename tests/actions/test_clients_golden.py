"""Golden files: the whole JSON and XML of every success answer of the clients, users and contacts
actions, rendered as the wire sends them. ``MOCKWHMCS_UPDATE_GOLDEN=1`` rewrites them after a change
that is meant (read the diff before committing it)."""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import Decimal

import pytest

from mockwhmcs.store.models import action_key
from mockwhmcs.store.store import Store
from mockwhmcs.wire.render import render
from tests.actions.conftest import CallAction
from tests.actions.helpers import seed_order
from tests.support import FIXTURES

GRACE = {
    "firstname": "Grace", "lastname": "Hopper", "companyname": "Navy & <Co>", "email": "grace@example.com",
    "address1": "1 Navy Way", "city": "Arlington", "state": "VA", "postcode": "22202", "country": "US",
    "phonenumber": "800-555-0100", "password2": "cobol", "tax_id": "US-1",
}


def _details_setup(call: CallAction, store: Store) -> None:
    call("AddClient", **GRACE)
    call("AddContact", clientid="3", firstname="Kay", email="kay@example.com")
    call("ValidateLogin", email="grace@example.com", password2="cobol")
    seeded = seed_order(store, userid=3, pids=(1,), domains=(("navy.example", "Register"),))
    assert seeded.invoice is not None
    seeded.invoice.total = Decimal("16.95")


def _nothing(call: CallAction, store: Store) -> None:
    return None


def _contact(call: CallAction, store: Store) -> None:
    call("AddContact", clientid="1", firstname="Jane", lastname="Doe", email="jane@example.com",
         country="GB", email_preferences={"domain": "1"})


# (golden file name, setup, action, parameters)
CASES: list[tuple[str, Callable[[CallAction, Store], None], str, dict[str, object]]] = [
    ("addclient", _nothing, "AddClient", GRACE),
    ("getclients", _nothing, "GetClients", {}),
    ("getclientsdetails", _details_setup, "GetClientsDetails", {"clientid": "3"}),
    ("getclientsdetails_stats", _details_setup, "GetClientsDetails", {"clientid": "3", "stats": "1"}),
    ("updateclient", _nothing, "UpdateClient", {"clientid": "1", "firstname": "Augusta"}),
    ("closeclient", _nothing, "CloseClient", {"clientid": "1"}),
    ("deleteclient", _nothing, "DeleteClient", {"clientid": "1"}),
    ("addcontact", _nothing, "AddContact",
     {"clientid": "1", "firstname": "Jane", "email": "jane@example.com"}),
    ("getcontacts", _contact, "GetContacts", {"userid": "1"}),
    ("updatecontact", _nothing, "UpdateContact", {"contactid": "1", "firstname": "Chas"}),
    ("deletecontact", _nothing, "DeleteContact", {"contactid": "1"}),
    ("getusers", _nothing, "GetUsers", {}),
    ("adduser", _nothing, "AddUser", {"firstname": "Grace", "lastname": "Hopper", "email": "g@example.com",
                                      "password2": "cobol"}),
    ("validatelogin", _nothing, "ValidateLogin", {"email": "ada@example.com", "password2": "ada-password"}),
    ("createssotoken", _nothing, "CreateSsoToken", {"client_id": "1", "destination": "clientarea:services"}),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(("name", "setup", "action", "params"), CASES, ids=[case[0] for case in CASES])
def test_success_answer_matches_golden_file(
    call: CallAction, store: Store, fmt: str, name: str, setup: Callable[[CallAction, Store], None],
    action: str, params: dict[str, object],
) -> None:
    setup(call, store)
    body = render(fmt, call(action, **params), action=action_key(action),
                  version=store.catalog.settings.whmcs_version)
    golden = FIXTURES / "api" / f"{name}.{fmt}"
    if os.environ.get("MOCKWHMCS_UPDATE_GOLDEN"):
        golden.write_bytes(body)
    assert body == golden.read_bytes()
