"""GetClients, UpdateClient, CloseClient and DeleteClient."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from mockwhmcs.store.models import Client, Credit, Transaction
from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction
from tests.actions.helpers import api_error, seed_order


def add(store: Store, firstname: str, lastname: str, email: str, **fields: Any) -> Client:
    return store.clients.add(Client(store.clients.new_id(), firstname, lastname, email, **fields))


def ids(response: dict[str, Any]) -> list[int]:
    return [client["id"] for client in response["clients"]["client"]] if "clients" in response else []


# --- GetClients -----------------------------------------------------------------------------------


def test_get_clients_lists_every_client_with_whmcs_keys(call: CallAction) -> None:
    assert call("GetClients") == {
        "result": "success", "totalresults": 2, "startnumber": 0, "numreturned": 2,
        "clients": {"client": [
            {"id": 1, "firstname": "Ada", "lastname": "Lovelace", "companyname": "",
             "email": "ada@example.com", "datecreated": "0000-00-00", "groupid": 0, "status": "Active"},
            {"id": 2, "firstname": "Carl", "lastname": "Closed", "companyname": "",
             "email": "closed@example.com", "datecreated": "0000-00-00", "groupid": 0, "status": "Closed"},
        ]},
    }


def test_get_clients_leaves_out_the_list_when_nothing_matches(call: CallAction) -> None:
    assert call("GetClients", search="nobody") == {
        "result": "success", "totalresults": 0, "startnumber": 0, "numreturned": 0}


@pytest.mark.parametrize(("search", "expected"), [
    ("ada", [1]), ("LOVE", [1]), ("Ada Lo", [1]), ("closed@", [2]), ("c", [2]), ("Babb", [3]),
    ("example.com", []), ("velace", []),
])
def test_get_clients_searches_at_the_start_of_names_company_and_email(
    call: CallAction, store: Store, search: str, expected: list[int],
) -> None:
    add(store, "Zed", "Zulu", "zed@example.org", companyname="Babbage & Co")
    assert ids(call("GetClients", search=search)) == expected


def test_get_clients_filters_by_status(call: CallAction) -> None:
    assert ids(call("GetClients", status="Closed")) == [2]
    assert ids(call("GetClients", status="inactive")) == []


@pytest.mark.parametrize(("orderby", "sorting", "expected"), [
    ("", "", [1, 2, 3]),
    ("id", "DESC", [3, 2, 1]),
    ("firstname", "ASC", [1, 3, 2]),
    ("lastname", "desc", [3, 1, 2]),
    ("email", "", [1, 3, 2]),
    ("status", "DESC", [3, 2, 1]),
    ("nonsense", "", [1, 2, 3]),
])
def test_get_clients_orders_by_a_column(
    call: CallAction, store: Store, orderby: str, sorting: str, expected: list[int],
) -> None:
    add(store, "bea", "Mills", "Bea@example.com", status="Inactive")
    assert ids(call("GetClients", orderby=orderby, sorting=sorting)) == expected


def test_get_clients_pages(call: CallAction, store: Store) -> None:
    for number in range(30):
        add(store, f"F{number}", "L", f"f{number}@example.com")
    first = call("GetClients")
    assert (first["totalresults"], first["numreturned"], ids(first)[:2], ids(first)[-1]) == (
        32, 25, [1, 2], 25)
    last = call("GetClients", limitstart="30", limitnum="5")
    assert (last["startnumber"], last["numreturned"], ids(last)) == (30, 2, [31, 32])
    assert ids(call("GetClients", limitstart="1", limitnum="2", sorting="DESC")) == [31, 30]
    filtered = call("GetClients", search="f1", limitnum="3", limitstart="2")
    assert (filtered["totalresults"], ids(filtered)) == (11, [14, 15, 16])


# --- UpdateClient ---------------------------------------------------------------------------------


def test_update_client_changes_what_it_is_sent_and_nothing_else(call: CallAction, store: Store) -> None:
    before = store.clients.rows[1].status
    assert call("UpdateClient", clientid="1", companyname="Tom & <Jerry>", address1="12 St James's Sq",
                country="GB", phonenumber="01234 567890", currency="1", groupid="3", language="english",
                notes="VIP", paymentmethod="paypal", tax_id="GB1", taxexempt="1", latefeeoveride="false",
                marketingoptin="1") == {"result": "success", "clientid": 1}
    client = store.clients.rows[1]
    assert (client.companyname, client.address1, client.country, client.phonenumber) == (
        "Tom &amp; &lt;Jerry&gt;", "12 St James&#039;s Sq", "GB", "01234 567890")
    assert (client.groupid, client.language, client.notes, client.defaultgateway, client.tax_id) == (
        3, "english", "VIP", "paypal", "GB1")
    # PHP truthiness: "false" is true.
    assert (client.taxexempt, client.latefeeoveride, client.marketing_emails_opt_in) == (True, True, True)
    assert (client.firstname, client.email, client.status, client.separateinvoices) == (
        "Ada", "ada@example.com", before, False)


def test_update_client_finds_the_client_by_email(call: CallAction, store: Store) -> None:
    assert call("UpdateClient", clientemail="CLOSED@example.com", status="Active")["clientid"] == 2
    assert call("UpdateClient", clientid="0", clientemail="ada@example.com")["clientid"] == 1
    assert store.clients.rows[2].status == "Active"


@pytest.mark.parametrize("params", [{}, {"clientid": "99"}, {"clientemail": "nobody@example.com"},
                                    {"clientid": "99", "clientemail": "ada@example.com"}])
def test_update_client_unknown_client(call: CallAction, params: dict[str, str]) -> None:
    assert api_error(call, "UpdateClient", firstname="X", **params).message == "Client ID Not Found"


def test_update_client_email_must_be_valid_and_free(call: CallAction, store: Store) -> None:
    assert api_error(call, "UpdateClient", clientid="1", email="ada@", firstname="X").message == (
        "The email address entered is not valid")
    assert api_error(call, "UpdateClient", clientid="1", email="Closed@Example.com").message == (
        "Duplicate Email Address")
    assert store.clients.rows[1].firstname == "Ada"
    # skipvalidation spares the format, never the duplicate check; the client's own email is no duplicate.
    assert call("UpdateClient", clientid="1", email="ada@", skipvalidation="1")["result"] == "success"
    assert call("UpdateClient", clientid="1", email="ada@")["result"] == "success"
    assert store.clients.rows[1].email == "ada@"


def test_update_client_email_preferences(call: CallAction, store: Store) -> None:
    call("UpdateClient", clientid="1", email_preferences={"general": "0", "invoice": "", "product": "1"})
    assert store.clients.rows[1].email_preferences == ("support", "product", "domain", "affiliate")
    details = call("GetClientsDetails", clientid="1")["email_preferences"]
    assert details == {"general": "0", "invoice": "0", "support": "1", "product": "1", "domain": "1",
                       "affiliate": "1"}


def test_update_client_keeps_someone_receiving_domain_emails(call: CallAction, store: Store) -> None:
    error = api_error(call, "UpdateClient", clientid="1", firstname="X", email_preferences={"domain": "0"})
    assert error.message == (
        "You must have at least one email address enabled to receive domain related notifications as "
        "required by ICANN. To disable domain notifications, please create an alternative contact that is "
        "set to receive them")
    client = store.clients.rows[1]
    assert (client.firstname, "domain" in client.email_preferences) == ("Ada", True)
    call("UpdateContact", contactid="1", email_preferences={"domain": "1"})
    assert call("UpdateClient", clientid="1", email_preferences={"domain": "0"})["result"] == "success"


def test_update_client_ignores_an_unknown_currency_and_status(call: CallAction, store: Store) -> None:
    call("UpdateClient", clientid="1", currency="9", status="Gone", clearcreditcard="1")
    assert (store.clients.rows[1].currency, store.clients.rows[1].status) == (1, "Active")


# --- CloseClient ----------------------------------------------------------------------------------


def test_close_client_cancels_and_terminates_what_the_client_has(call: CallAction, store: Store) -> None:
    pending = seed_order(store, pids=(1,), addons=(1,), domains=(("p.com", "Register"),))
    active = seed_order(store, status="Active", pids=(1,), invoice_status="Paid")
    other = seed_order(store, userid=2, pids=(1,))
    assert call("CloseClient", clientid="1") == {"result": "success", "clientid": 1}
    assert store.clients.rows[1].status == "Closed"
    assert [s.status for s in store.services.where("userid", 1)] == ["Terminated", "Cancelled", "Terminated"]
    assert pending.addons[0].status == "Cancelled"
    assert [d.status for d in store.domains.where("userid", 1)] == ["Cancelled", "Cancelled"]
    assert pending.invoice is not None and pending.invoice.status == "Cancelled"
    assert active.invoice is not None and active.invoice.status == "Paid"
    assert (other.services[0].status, other.invoice and other.invoice.status) == ("Pending", "Unpaid")


def test_close_client_unknown_client(call: CallAction, store: Store) -> None:
    assert api_error(call, "CloseClient", clientid="99").message == "Client ID Not Found"


# --- DeleteClient ---------------------------------------------------------------------------------


def test_delete_client_removes_the_client_and_everything_it_owns(call: CallAction, store: Store) -> None:
    seed_order(store, pids=(1,), addons=(1,), domains=(("a.com", "Register"),))
    kept = seed_order(store, userid=2, pids=(1,))
    assert call("DeleteClient", clientid="1") == {"result": "success", "clientid": 1}
    assert list(store.clients.rows) == [2]
    for name in ("contacts", "orders", "services", "service_addons", "domains", "invoices", "invoiceitems"):
        assert all(row.userid == 2 for row in getattr(store, name)), name
    assert [s.id for s in store.services] == [kept.services[0].id]
    assert list(store.user_clients.where("client_id", 1)) == []
    # The user stays unless deleteusers is sent.
    assert store.users.get(1) is not None


def test_delete_client_keeps_transactions_unless_asked(call: CallAction, store: Store) -> None:
    for client_id in (1, 2):
        store.transactions.add(Transaction(id=store.transactions.new_id(), userid=client_id,
                                           date="2026-01-15", amountin=Decimal("1.00")))
        store.credits.add(Credit(id=store.credits.new_id(), clientid=client_id, date="2026-01-15",
                                 description="Top-up", amount=Decimal("1.00")))
    call("DeleteClient", clientid="1")
    assert [t.userid for t in store.transactions] == [1, 2]
    assert [c.clientid for c in store.credits] == [2]
    call("DeleteClient", clientid="2", deletetransactions="1")
    assert (len(store.transactions), len(store.credits)) == (1, 0)


def test_delete_client_with_deleteusers_removes_users_left_without_clients(
    call: CallAction, store: Store,
) -> None:
    params = {"firstname": "G", "lastname": "H", "email": "g@example.com", "owner_user_id": "1",
              "skipvalidation": "1"}
    call("AddClient", **params)
    call("DeleteClient", clientid="1", deleteusers="1")
    assert store.users.get(1) is not None  # still owns client 3
    call("DeleteClient", clientid="3", deleteusers="1")
    assert store.users.get(1) is None


def test_delete_client_unknown_client(call: CallAction, store: Store) -> None:
    assert api_error(call, "DeleteClient", clientid="99").message == "Client ID Not Found"
    assert len(store.clients) == 2


@pytest.mark.parametrize("action", ["GetClients", "GetUsers"])
def test_a_page_past_the_end_is_empty_however_far(call: CallAction, action: str) -> None:
    # PHP's (int) caps at PHP_INT_MAX; the page bounds must still hold.
    page = call(action, limitstart="99999999999999999999999", limitnum="99999999999999999999999")
    assert (page["totalresults"], page["numreturned"]) == (2, 0)


def test_delete_client_removes_its_tickets_with_their_staff_replies_and_notes(
        call: CallAction, store: Store) -> None:
    # The default scenario's ticket 1 is Ada's, with an admin reply and a staff note.
    assert store.ticket_replies.where("tid", 1) and store.ticket_notes.where("ticketid", 1)
    call("DeleteClient", clientid="1")
    assert (len(store.tickets), len(store.ticket_replies), len(store.ticket_notes)) == (0, 0, 0)
