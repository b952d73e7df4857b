"""AddContact, GetContacts, UpdateContact and DeleteContact."""

from __future__ import annotations

import pytest

from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction
from tests.actions.helpers import api_error

ICANN = ("You must have at least one email address enabled to receive domain related notifications as "
         "required by ICANN. To disable domain notifications, please enable domain notifications for the "
         "primary account holder or another contact")


def test_add_contact_keeps_every_documented_field(call: CallAction, store: Store) -> None:
    assert call("AddContact", clientid="1", firstname="Jane", lastname="O'Doe", companyname="A & B",
                email="jane@example.com", address1="1 Road", address2="Flat 2", city="Leeds", state="Yorks",
                postcode="LS1", country="GB", phonenumber="0113", tax_id="GB9",
                email_preferences={"domain": "1", "invoice": "true", "support": "0"}) == {
        "result": "success", "contactid": 2}
    contact = store.contacts.rows[2]
    assert (contact.userid, contact.lastname, contact.companyname, contact.tax_id) == (
        1, "O&#039;Doe", "A &amp; B", "GB9")
    assert contact.email_preferences == ("invoice", "domain")
    assert contact.created_at == contact.updated_at == "2026-01-15 10:00:00"


def test_add_contact_errors(call: CallAction, store: Store) -> None:
    assert api_error(call, "AddContact", clientid="99", email="x@example.com").message == (
        "Client ID Not Found")
    assert api_error(call, "AddContact", clientid="1", email="CHARLES@example.com").message == (
        "Duplicate Email Address")
    assert len(store.contacts) == 1
    # Another client's contact may share the address.
    assert call("AddContact", clientid="2", email="charles@example.com")["contactid"] == 2


def test_get_contacts_shape_filters_and_pages(call: CallAction) -> None:
    call("AddContact", clientid="1", firstname="Jane", email="jane@example.com", country="GB",
         email_preferences={"domain": "1", "affiliate": "1"})
    call("AddContact", clientid="2", firstname="Jane", email="jane2@example.com")
    response = call("GetContacts", userid="1", limitstart="1")
    assert response == {
        "result": "success", "totalresults": 2, "startnumber": 1, "numreturned": 1,
        "contacts": {"contact": [{
            "id": 2, "userid": 1, "firstname": "Jane", "lastname": "", "email": "jane@example.com",
            "address1": "", "address2": "", "city": "", "state": "", "postcode": "", "country": "GB",
            "phonenumber": "", "domainemails": True, "generalemails": False, "invoiceemails": False,
            "productemails": False, "supportemails": False, "affiliateemails": True,
            "created_at": "2026-01-15 10:00:00", "updated_at": "2026-01-15 10:00:00",
        }]},
    }

    def ids(**params: str) -> list[int]:
        found = call("GetContacts", **params)
        return [c["id"] for c in found["contacts"]["contact"]] if "contacts" in found else []

    assert ids() == [1, 2, 3]
    assert ids(firstname="jane") == [2, 3]
    assert ids(firstname="Jane", userid="2") == [3]
    assert ids(email="CHARLES@example.com") == [1]
    assert ids(country="US") == []
    assert ids(limitnum="1", limitstart="2") == [3]


def test_update_contact_changes_what_it_is_sent(call: CallAction, store: Store) -> None:
    assert call("UpdateContact", contactid="1", city="<London>", email="cb@example.com",
                email_preferences={"general": "1"}) == {"result": "success", "contactid": 1}
    contact = store.contacts.rows[1]
    assert (contact.city, contact.email, contact.firstname, contact.email_preferences) == (
        "&lt;London&gt;", "cb@example.com", "Charles", ("general",))


def test_update_contact_errors_leave_it_unchanged(call: CallAction, store: Store) -> None:
    assert api_error(call, "UpdateContact", contactid="99").message == "Contact ID Not Found"
    call("AddContact", clientid="1", email="jane@example.com")
    assert api_error(call, "UpdateContact", contactid="1", email="Jane@example.com", city="X").message == (
        "Duplicate Email Address")
    assert store.contacts.rows[1].city == ""


def test_update_contact_keeps_someone_receiving_domain_emails(call: CallAction, store: Store) -> None:
    call("UpdateContact", contactid="1", email_preferences={"domain": "1"})
    # The client still receives them: the contact may stop.
    assert call("UpdateContact", contactid="1", email_preferences={"domain": "0"})["result"] == "success"
    call("UpdateContact", contactid="1", email_preferences={"domain": "1"})
    call("UpdateClient", clientid="1", email_preferences={"domain": "0"})
    error = api_error(call, "UpdateContact", contactid="1", city="X", email_preferences={"domain": "0"})
    assert error.message == ICANN
    assert store.contacts.rows[1].email_preferences == ("domain",)


@pytest.mark.parametrize("contactid", ["99", ""])
def test_delete_contact(call: CallAction, store: Store, contactid: str) -> None:
    assert api_error(call, "DeleteContact", contactid=contactid).message == "Contact ID Not Found"
    assert call("DeleteContact", contactid="1") == {"result": "success", "contactid": 1}
    assert len(store.contacts) == 0
