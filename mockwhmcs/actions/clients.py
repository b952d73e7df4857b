"""Client accounts: AddClient, GetClients, UpdateClient, CloseClient, DeleteClient, and what a client holds
(GetClientsProducts, GetClientsDomains). GetClientsDetails is in client_details.py, contacts in
contacts.py, WHMCS 8's users in users.py."""

from __future__ import annotations

import re
import uuid
from typing import Any

from ..errors import ApiError
from ..php import intval, truthy
from ..store.models import (
    EMAIL_KINDS,
    Client,
    ConfigOption,
    Contact,
    Domain,
    Service,
    User,
    UserClient,
)
from ..store.pricing import money
from ..store.store import Store, password_hash
from .common import (
    NO_LIMIT,
    candidates,
    echo,
    gateway_name,
    listed,
    page_bounds,
    paginate,
    record_email,
    table_page,
    valid_email,
)
from .registry import Call, Response, action
from .support import remove_ticket

# A phone number WHMCS can format: digits and the usual separators (a leading + for the country code).
_PHONE = re.compile(r"\+?[\d\s().-]*")
_COUNTRY = re.compile(r"[A-Za-z]{2}")

# AddClient's required fields, checked in this order (addclient.md), and WHMCS's message for each one
# left empty. The two spaces in the address message are WHMCS's.
_REQUIRED_NAMES = (
    ("firstname", "You did not enter your first name"),
    ("lastname", "You did not enter your last name"),
)
_REQUIRED_ADDRESS = (
    ("address1", "You did not enter your  address line 1"),
    ("city", "You did not enter your city"),
    ("state", "You did not enter your state"),
    ("postcode", "You did not enter your postcode"),
)
# Client text WHMCS stores through its input cleaning (the email is a lookup key: kept as sent).
_CLIENT_TEXT = ("firstname", "lastname", "companyname", "address1", "address2", "city", "state", "postcode",
                "phonenumber", "tax_id", "notes", "language")
# UpdateClient's switches, each stored under its own name.
_CLIENT_FLAGS = ("taxexempt", "latefeeoveride", "overideduenotices", "separateinvoices", "disableautocc",
                 "overrideautoclose")
_ICANN = ("You must have at least one email address enabled to receive domain related notifications as "
          "required by ICANN. To disable domain notifications, please {}")


def client_by_email(store: Store, email: str) -> Client | None:
    email = email.lower()
    return next((client for client in store.clients if client.email.lower() == email), None)


def user_by_email(store: Store, email: str) -> User | None:
    email = email.lower()
    return next((user for user in store.users if user.email.lower() == email), None)


def owner_of(store: Store, client: Client) -> User | None:
    """The user who owns the client account."""
    link = next((link for link in store.user_clients.where("client_id", client.id) if link.owner), None)
    return store.users.get(link.auth_user_id) if link is not None else None


def cleaned(call: Call, name: str) -> str:
    """Request text as WHMCS keeps it: trimmed, then through its input cleaning."""
    return call.clean(name).strip()


def email_preferences(call: Call, current: tuple[str, ...]) -> tuple[str, ...]:
    """The kinds of email received after a request's ``email_preferences[kind]`` switches (PHP
    truthiness); kinds the request leaves out keep their current setting."""
    sent = call.array("email_preferences")
    return tuple(kind for kind in EMAIL_KINDS
                 if (truthy(sent[kind]) if kind in sent else kind in current))


def check_domain_emails(store: Store, client: Client, before: tuple[str, ...], after: tuple[str, ...],
                        contact_id: int, remedy: str) -> None:
    """WHMCS refuses to leave a client with nobody receiving domain emails. ``before`` and ``after``
    are the email kinds of the client itself (contact_id 0) or of contact ``contact_id``."""
    if "domain" not in before or "domain" in after:
        return
    receivers = [contact.email_preferences for contact in store.contacts.where("userid", client.id)
                 if contact.id != contact_id]
    if contact_id:
        receivers.append(client.email_preferences)
    if not any("domain" in kinds for kinds in receivers):
        raise ApiError(_ICANN.format(remedy))


def update_person(call: Call, person: Client | Contact, email: str, preferences: tuple[str, ...],
                  fields: tuple[str, ...]) -> None:
    """What UpdateClient and UpdateContact change alike: the email, the email kinds and the text sent."""
    person.email = email
    person.email_preferences = preferences
    for name in fields:
        if call.has(name):
            setattr(person, name, cleaned(call, name))


def new_user(call: Call, email: str) -> User:
    """The user AddClient and AddUser create, from the request's names, password2 and language."""
    store = call.store
    return store.users.add(User(
        id=store.users.new_id(), firstname=cleaned(call, "firstname"), lastname=cleaned(call, "lastname"),
        email=email, password=password_hash(call.text("password2")), language=cleaned(call, "language"),
        datecreated=store.now(),
    ))


# --- AddClient ------------------------------------------------------------------------------------


@action(
    "AddClient",
    params=(*_CLIENT_TEXT, "email", "country", "password2", "currency", "groupid", "owner_user_id"),
    flags=("noemail", "skipvalidation", "marketingoptin"),
    mutates=True,
)
def add_client(call: Call) -> Response:
    store = call.store
    owner: User | None = None
    if call.has("owner_user_id"):
        owner = store.users.get(call.int("owner_user_id"))
        if owner is None:
            raise ApiError("Invalid Owner User ID")
    validate = not call.flag("skipvalidation")
    email = call.text("email").strip()
    if validate:
        _require(call, _REQUIRED_NAMES)
    # skipvalidation never spares the email and password of the user the call creates (addclient.md).
    if validate or owner is None:
        if not email:
            raise ApiError("You did not enter your email address")
        if not valid_email(email):
            raise ApiError("The email address you entered was not valid")
    if owner is None and not call.text("password2").strip():
        raise ApiError("You did not enter a password")
    if validate:
        _validate_address(call)
    if owner is None and user_by_email(store, email):
        raise ApiError("A user already exists with that email address")
    if email and client_by_email(store, email):
        raise ApiError("The email address entered is not available for use.")

    if owner is None:
        owner = new_user(call, email)
    currency = call.int("currency")
    client = store.clients.add(Client(
        id=store.clients.new_id(),
        email=email,
        country=call.text("country").strip(),
        **{name: cleaned(call, name) for name in _CLIENT_TEXT},
        currency=currency if currency in store.catalog.currencies else store.catalog.default_currency.id,
        groupid=call.int("groupid"),
        datecreated=store.today(),
        uuid=str(uuid.UUID(int=store.random.getrandbits(128), version=4)),
        marketing_emails_opt_in=call.flag("marketingoptin"),
    ))
    store.user_clients.add(UserClient(store.user_clients.new_id(), owner.id, client.id, owner=True))
    record_email(store, client.id, "Client Signup Email", client.id, sent=not call.flag("noemail"),
                 reason="AddClient with noemail")
    return {"result": "success", "clientid": client.id, "owner_id": owner.id}


def _require(call: Call, fields: tuple[tuple[str, str], ...]) -> None:
    for name, message in fields:
        if not call.text(name).strip():
            raise ApiError(message)


def _validate_address(call: Call) -> None:
    _require(call, _REQUIRED_ADDRESS)
    if not _COUNTRY.fullmatch(call.text("country").strip()):
        raise ApiError("Valid country required")
    phone = call.text("phonenumber").strip()
    if not phone:
        raise ApiError("You did not enter your phone number")
    if not _PHONE.fullmatch(phone):
        raise ApiError("Invalid telephone phone number")


# --- GetClients -----------------------------------------------------------------------------------

# The columns GetClients orders by (getclients.md); anything else orders by id.
_ORDERABLE = ("id", "firstname", "lastname", "companyname", "email", "groupid", "datecreated", "status")


@action("GetClients", list_style=True,
        params=("limitstart", "limitnum", "sorting", "status", "search", "orderby"))
def get_clients(call: Call) -> Response:
    store = call.store
    start, limit = page_bounds(call)
    search, status = call.text("search").lower(), call.text("status").lower()
    orderby = call.text("orderby").lower()
    orderby = orderby if orderby in _ORDERABLE else "id"
    descending = call.text("sorting").upper() == "DESC"
    if not search and not status and orderby == "id":
        # The common case, a page of every client: no row but the page's is looked at.
        total, page = table_page(store.clients, start, limit, descending=descending)
    else:
        matches = [client for client in store.clients
                   if (not status or client.status.lower() == status) and _found(client, search)]
        matches.sort(key=lambda client: _sort_key(client, orderby), reverse=descending)
        total, page = len(matches), matches[start:start + limit]
    return listed(total, start, "clients", "client", [
        {"id": client.id, "firstname": client.firstname, "lastname": client.lastname,
         "companyname": client.companyname, "email": client.email, "datecreated": client.datecreated,
         "groupid": client.groupid, "status": client.status}
        for client in page
    ])


def _found(client: Client, search: str) -> bool:
    """WHMCS's search: the term at the start of the email, first, last or full name or company name."""
    if not search:
        return True
    names = (client.email, client.firstname, client.lastname, f"{client.firstname} {client.lastname}",
             client.companyname)
    return any(name.lower().startswith(search) for name in names)


def _sort_key(client: Client, column: str) -> tuple[Any, int]:
    # MySQL compares text case-insensitively; equal values keep id order.
    value = getattr(client, column)
    return (value.lower() if isinstance(value, str) else value), client.id


# --- UpdateClient, CloseClient, DeleteClient ------------------------------------------------------


@action(
    "UpdateClient",
    params=("clientid", "clientemail", *_CLIENT_TEXT, "email", "country", "currency", "groupid", "status",
            "paymentmethod"),
    flags=("marketingoptin", "clearcreditcard", "skipvalidation", *_CLIENT_FLAGS),
    arrays=("email_preferences",),
    mutates=True,
)
def update_client(call: Call) -> Response:
    store = call.store
    if call.int("clientid"):
        client = store.clients.get(call.int("clientid"))
    else:
        client = client_by_email(store, call.text("clientemail")) if call.text("clientemail") else None
    if client is None:
        raise ApiError("Client ID Not Found")
    email = call.text("email").strip() if call.has("email") else client.email
    if email != client.email:
        if not call.flag("skipvalidation") and not valid_email(email):
            raise ApiError("The email address entered is not valid")
        other = client_by_email(store, email)
        if other is not None and other.id != client.id:
            raise ApiError("Duplicate Email Address")
    preferences = email_preferences(call, client.email_preferences)
    check_domain_emails(store, client, client.email_preferences, preferences, 0,
                        "create an alternative contact that is set to receive them")

    update_person(call, client, email, preferences, _CLIENT_TEXT)
    if call.has("country"):
        client.country = call.text("country").strip()
    if call.int("currency") in store.catalog.currencies:
        client.currency = call.int("currency")
    if call.has("groupid"):
        client.groupid = call.int("groupid")
    if call.text("status") in ("Active", "Inactive", "Closed"):
        client.status = call.text("status")
    if call.has("paymentmethod"):
        client.defaultgateway = call.text("paymentmethod")
    if call.has("marketingoptin"):
        client.marketing_emails_opt_in = call.flag("marketingoptin")
    for name in _CLIENT_FLAGS:
        if call.has(name):
            setattr(client, name, call.flag(name))
    return {"result": "success", "clientid": client.id}


# Closing a client: what each service and addon status becomes (the rest stay as they are).
_CLOSED_SERVICE = {"Pending": "Cancelled", "Active": "Terminated", "Suspended": "Terminated"}
_CLOSED_DOMAIN = {status: "Cancelled" for status in
                  ("Pending", "Pending Registration", "Pending Transfer", "Active")}


def _client_of(call: Call) -> Client:
    client = call.store.clients.get(call.int("clientid"))
    if client is None:
        raise ApiError("Client ID Not Found")
    return client


@action("CloseClient", params=("clientid",), mutates=True)
def close_client(call: Call) -> Response:
    store = call.store
    client = _client_of(call)
    client.status = "Closed"
    for table, statuses in ((store.services, _CLOSED_SERVICE), (store.service_addons, _CLOSED_SERVICE),
                            (store.domains, _CLOSED_DOMAIN)):
        for row in table.where("userid", client.id):
            row.status = statuses.get(row.status, row.status)
    for invoice in store.invoices.where("userid", client.id):
        if invoice.status == "Unpaid":
            invoice.status = "Cancelled"
    return {"result": "success", "clientid": client.id}


# Records DeleteClient keeps unless asked: WHMCS keeps a client's transactions for the books.
_KEPT_UNLESS = {"transactions": "deletetransactions"}
# The field naming the client, where it is not `userid`.
_CLIENT_FIELD = {"credits": "clientid"}


@action("DeleteClient", params=("clientid",), flags=("deleteusers", "deletetransactions"), mutates=True)
def delete_client(call: Call) -> Response:
    store = call.store
    client = _client_of(call)
    # A ticket's staff replies and notes do not carry the client's id: they go with the ticket.
    for ticket in [ticket for ticket in store.tickets if ticket.userid == client.id]:
        remove_ticket(store, ticket)
    for name, table in store.tables().items():
        if name in _KEPT_UNLESS and not call.flag(_KEPT_UNLESS[name]):
            continue
        # Everything the client owns carries its id: contacts, orders, services, addons, domains,
        # invoices and their items, transactions, credit, emails, SSO tokens.
        field = _CLIENT_FIELD.get(name, "userid")
        for row_id in [row.id for row in table if getattr(row, field, None) == client.id]:
            table.remove(row_id)
    users = [link.auth_user_id for link in store.user_clients.where("client_id", client.id)]
    for link in store.user_clients.where("client_id", client.id):
        store.user_clients.remove(link.id)
    if call.flag("deleteusers"):
        for user_id in users:
            if not store.user_clients.where("auth_user_id", user_id):
                store.users.remove(user_id)
    store.clients.remove(client.id)
    return {"result": "success", "clientid": client.id}


# --- what a client holds -------------------------------------------------------------------------


@action("GetClientsProducts", list_style=True,
        params=("clientid", "serviceid", "pid", "domain", "username2", "limitstart", "limitnum"))
def get_clients_products(call: Call) -> Response:
    store = call.store
    # 8.12 lists every service unless limitnum is sent (its page's "default: 25" is not what it does).
    start, limit = page_bounds(call, NO_LIMIT)
    clientid, pid = call.int("clientid"), call.int("pid")
    domain, username = call.text("domain").lower(), call.text("username2")
    matches = (
        service for service in candidates(store.services, call.int("serviceid"), "userid", clientid)
        if (not clientid or service.userid == clientid)
        and (not pid or service.packageid == pid)
        and (not domain or service.domain.lower() == domain)
        and (not username or service.username == username)
    )
    total, page = paginate(matches, start, limit)
    return _holdings(call, ("clientid", "serviceid", "pid", "domain"), total, start, "products", "product",
                     [_service(store, service) for service in page])


def _holdings(call: Call, echoed: tuple[str, ...], total: int, start: int, key: str, item: str,
              rows: list[dict[str, Any]]) -> Response:
    """The answer GetClientsProducts and GetClientsDomains share: the filters echoed, the counts, and
    the rows, which WHMCS sends as an empty string rather than an empty list when there are none."""
    return {
        "result": "success",
        **{name: echo(call, name) for name in echoed},
        "totalresults": total,
        "startnumber": start,
        "numreturned": len(rows),
        key: {item: rows} if rows else "",
    }


def _service(store: Store, service: Service) -> dict[str, Any]:
    catalog = store.catalog
    product = catalog.products[service.packageid]
    group = catalog.product_groups[product.gid]
    server = catalog.servers.get(service.server)
    order = store.orders.get(service.orderid)
    row: dict[str, Any] = {"id": service.id, "qty": service.qty, "clientid": service.userid,
                           "orderid": service.orderid}
    if order is not None:
        # WHMCS leaves the key out for a service that belongs to no order (one added by hand).
        row["ordernumber"] = int(order.ordernum)
    row |= {
        "pid": product.id,
        "regdate": service.regdate,
        "name": product.name,
        "translated_name": product.name,
        "groupname": group.name,
        "translated_groupname": group.name,
        "domain": service.domain,
        "dedicatedip": service.dedicatedip,
        "serverid": service.server,
        "servername": server.name if server is not None else "",
        "serverip": server.ipaddress if server is not None else "",
        "serverhostname": server.hostname if server is not None else "",
        "suspensionreason": service.suspendreason,
        "firstpaymentamount": money(service.firstpaymentamount),
        "recurringamount": money(service.amount),
        "paymentmethod": service.paymentmethod,
        "paymentmethodname": gateway_name(catalog, service.paymentmethod),
        "billingcycle": service.billingcycle,
        "nextduedate": service.nextduedate,
        "status": service.status,
        "username": service.username,
        "password": service.password,
        "subscriptionid": service.subscriptionid,
        "promoid": service.promoid,
        "overideautosuspend": int(service.overideautosuspend),
        "overidesuspenduntil": service.overidesuspenduntil,
        "ns1": service.ns1,
        "ns2": service.ns2,
        "assignedips": service.assignedips,
        "notes": service.notes,
        # Usage as UpdateClientProduct set it; the time of a server module's usage update, which the
        # mock never runs.
        "diskusage": service.diskusage,
        "disklimit": service.disklimit,
        "bwusage": service.bwusage,
        "bwlimit": service.bwlimit,
        "lastupdate": "0000-00-00 00:00:00",
        "customfields": {"customfield": [
            {"id": field.id, "name": field.name, "translated_name": field.name,
             "value": service.customfields.get(field.id, "")}
            for field in product.customfields
        ]},
        "configoptions": {"configoption": [
            {"id": option.id, "option": option.name, "type": option.type,
             "value": _config_value(option, service.configoptions[option.id])}
            for option in product.configoptions if option.id in service.configoptions
        ]},
    }
    return row


def _config_value(option: ConfigOption, kept: str) -> str | int:
    """What WHMCS shows for a chosen option: the choice's name, or the count for yesno and quantity."""
    if option.type in ("dropdown", "radio"):
        return next((choice.name for choice in option.options if str(choice.id) == kept), "")
    return intval(kept)


@action("GetClientsDomains", list_style=True,
        params=("clientid", "domainid", "domain", "limitstart", "limitnum"))
def get_clients_domains(call: Call) -> Response:
    store = call.store
    start, limit = page_bounds(call)
    clientid, name = call.int("clientid"), call.text("domain").lower()
    matches = (
        domain for domain in candidates(store.domains, call.int("domainid"), "userid", clientid)
        if (not clientid or domain.userid == clientid) and (not name or domain.domain.lower() == name)
    )
    total, page = paginate(matches, start, limit)
    return _holdings(call, ("clientid", "domainid"), total, start, "domains", "domain",
                     [_domain(store, domain) for domain in page])


def _domain(store: Store, domain: Domain) -> dict[str, Any]:
    return {
        "id": domain.id,
        "userid": domain.userid,
        "orderid": domain.orderid,
        "regtype": domain.type,
        "domainname": domain.domain,
        "registrar": domain.registrar,
        "regperiod": domain.registrationperiod,
        "firstpaymentamount": money(domain.firstpaymentamount),
        "recurringamount": money(domain.recurringamount),
        "paymentmethod": domain.paymentmethod,
        "paymentmethodname": gateway_name(store.catalog, domain.paymentmethod),
        "regdate": domain.registrationdate,
        "expirydate": domain.expirydate,
        "nextduedate": domain.nextduedate,
        "status": domain.status,
        "subscriptionid": domain.subscriptionid,
        "promoid": domain.promoid,
        "dnsmanagement": int(domain.dnsmanagement),
        "emailforwarding": int(domain.emailforwarding),
        "idprotection": int(domain.idprotection),
        "donotrenew": int(domain.donotrenew),
        "notes": domain.additionalnotes,
    }
