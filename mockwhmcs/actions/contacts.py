"""A client's contacts: AddContact, GetContacts, UpdateContact, DeleteContact."""

from __future__ import annotations

from ..errors import ApiError
from ..store.models import Contact
from .clients import check_domain_emails, cleaned, email_preferences, update_person
from .common import listed, page_bounds, paginate
from .registry import Call, Response, action

# Contact text WHMCS stores through its input cleaning (the email is a lookup key: kept as sent).
_CONTACT_TEXT = ("firstname", "lastname", "companyname", "address1", "address2", "city", "state", "postcode",
                 "country", "phonenumber", "tax_id")
# The fields GetContacts finds contacts by (an exact, case-insensitive match, as MySQL compares).
_FILTERS = ("firstname", "lastname", "companyname", "email", "address1", "address2", "city", "state",
            "postcode", "country", "phonenumber")
# GetContacts lists the email switches in this order.
_SHOWN_KINDS = ("domain", "general", "invoice", "product", "support", "affiliate")


def _duplicate(call: Call, userid: int, email: str, contact_id: int = 0) -> None:
    """One client's contacts never share an email address."""
    email = email.lower()
    if email and any(contact.email.lower() == email and contact.id != contact_id
                     for contact in call.store.contacts.where("userid", userid)):
        raise ApiError("Duplicate Email Address")


@action("AddContact", params=("clientid", "email", *_CONTACT_TEXT), arrays=("email_preferences",),
        mutates=True)
def add_contact(call: Call) -> Response:
    store = call.store
    client = store.clients.get(call.int("clientid"))
    if client is None:
        raise ApiError("Client ID Not Found")
    email = call.text("email").strip()
    _duplicate(call, client.id, email)
    now = store.now()
    contact = store.contacts.add(Contact(
        id=store.contacts.new_id(), userid=client.id, email=email,
        **{name: cleaned(call, name) for name in _CONTACT_TEXT},
        email_preferences=email_preferences(call, ()), created_at=now, updated_at=now,
    ))
    return {"result": "success", "contactid": contact.id}


@action("GetContacts", list_style=True, params=("limitstart", "limitnum", "userid", *_FILTERS))
def get_contacts(call: Call) -> Response:
    store = call.store
    start, limit = page_bounds(call)
    wanted = {name: call.text(name).lower() for name in _FILTERS if call.text(name)}
    userid = call.int("userid")
    rows = store.contacts.where("userid", userid) if userid else store.contacts
    total, page = paginate(
        (contact for contact in rows
         if all(getattr(contact, name).lower() == value for name, value in wanted.items())),
        start, limit,
    )
    return listed(total, start, "contacts", "contact", [
        {"id": contact.id, "userid": contact.userid, "firstname": contact.firstname,
         "lastname": contact.lastname, "email": contact.email, "address1": contact.address1,
         "address2": contact.address2, "city": contact.city, "state": contact.state,
         "postcode": contact.postcode, "country": contact.country, "phonenumber": contact.phonenumber,
         **{f"{kind}emails": kind in contact.email_preferences for kind in _SHOWN_KINDS},
         "created_at": contact.created_at, "updated_at": contact.updated_at}
        for contact in page
    ])


def _contact_of(call: Call) -> Contact:
    contact = call.store.contacts.get(call.int("contactid"))
    if contact is None:
        raise ApiError("Contact ID Not Found")
    return contact


@action("UpdateContact", params=("contactid", "email", *_CONTACT_TEXT), arrays=("email_preferences",),
        mutates=True)
def update_contact(call: Call) -> Response:
    store = call.store
    contact = _contact_of(call)
    email = call.text("email").strip() if call.has("email") else contact.email
    _duplicate(call, contact.userid, email, contact.id)
    preferences = email_preferences(call, contact.email_preferences)
    check_domain_emails(
        store, store.clients.rows[contact.userid], contact.email_preferences, preferences, contact.id,
        "enable domain notifications for the primary account holder or another contact",
    )
    update_person(call, contact, email, preferences, _CONTACT_TEXT)
    contact.updated_at = store.now()
    return {"result": "success", "contactid": contact.id}


@action("DeleteContact", params=("contactid",), mutates=True)
def delete_contact(call: Call) -> Response:
    contact = _contact_of(call)
    call.store.contacts.remove(contact.id)
    return {"result": "success", "contactid": contact.id}
