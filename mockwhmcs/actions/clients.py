"""Clients and what they hold: AddClient, GetClientsDetails, GetClientsProducts, GetClientsDomains."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from ..php import intval
from ..store.models import Client, ConfigOption, Domain, Service
from ..store.pricing import money
from ..store.store import Store
from .common import (
    candidates,
    client_currency,
    echo,
    gateway_name,
    page_bounds,
    paginate,
    record_email,
    valid_email,
)
from .registry import Call, Response, action

# AddClient's required fields, checked in this order, and WHMCS's message for each one left empty.
_REQUIRED = (
    ("firstname", "You did not enter your first name"),
    ("lastname", "You did not enter your last name"),
    ("email", "You did not enter your email address"),
)
_REQUIRED_ADDRESS = (
    ("address1", "You did not enter your address (line 1)"),
    ("city", "You did not enter your city"),
    ("state", "You did not enter your state"),
    ("postcode", "You did not enter your postcode"),
    ("country", "You did not enter your country"),
    ("phonenumber", "You did not enter your phone number"),
)
_CLIENT_TEXT = ("firstname", "lastname", "companyname", "email", "address1", "address2", "city", "state",
                "postcode", "country", "phonenumber", "notes")


@action(
    "AddClient",
    params=(*_CLIENT_TEXT, "password2", "currency"),
    flags=("noemail", "skipvalidation"),
    mutates=True,
)
def add_client(call: Call) -> Response:
    store = call.store
    validate = not call.flag("skipvalidation")
    email = call.text("email").strip()
    if validate:
        _require(call, _REQUIRED)
        if not valid_email(email):
            raise ApiError("The email address you entered was not valid")
    # skipvalidation skips the required-field checks only: two clients never share an email address.
    if email and any(client.email.lower() == email.lower() for client in store.clients):
        raise ApiError("A user already exists with that email address")
    if validate:
        _require(call, _REQUIRED_ADDRESS)
    currency = call.int("currency")
    client = store.clients.add(Client(
        id=store.clients.new_id(),
        **{name: call.text(name).strip() for name in _CLIENT_TEXT},
        currency=currency if currency in store.catalog.currencies else store.catalog.default_currency.id,
        datecreated=store.today(),
        password=call.text("password2"),
    ))
    record_email(store, client.id, "Client Signup Email", client.id, sent=not call.flag("noemail"),
                 reason="AddClient with noemail")
    # Every client WHMCS 8 creates through the API gets a user of its own; the mock numbers users
    # like the clients they own.
    return {"result": "success", "clientid": client.id, "owner_id": client.id}


def _require(call: Call, fields: tuple[tuple[str, str], ...]) -> None:
    for name, message in fields:
        if not call.text(name).strip():
            raise ApiError(message)


@action("GetClientsDetails", params=("clientid", "email"))
def get_clients_details(call: Call) -> Response:
    store = call.store
    if call.int("clientid"):
        client = store.clients.get(call.int("clientid"))
    elif call.text("email"):
        email = call.text("email").lower()
        client = next((c for c in store.clients if c.email.lower() == email), None)
    else:
        raise ApiError("Either clientid Or email Is Required")
    if client is None:
        raise ApiError("Client Not Found")
    return {"result": "success", "client": _client(store, client)}


def _client(store: Store, client: Client) -> dict[str, Any]:
    currency = client_currency(store, client)
    return {
        "userid": client.id,
        "id": client.id,
        "firstname": client.firstname,
        "lastname": client.lastname,
        "fullname": f"{client.firstname} {client.lastname}",
        "companyname": client.companyname,
        "email": client.email,
        "address1": client.address1,
        "address2": client.address2,
        "city": client.city,
        "fullstate": client.state,
        "state": client.state,
        "postcode": client.postcode,
        "countrycode": client.country,
        "country": client.country,
        "phonenumber": client.phonenumber,
        "billingcid": 0,
        "notes": client.notes,
        "currency": currency.id,
        "defaultgateway": "",
        "groupid": 0,
        "status": client.status,
        "credit": money(client.credit),
        "language": "",
        "currency_code": currency.code,
    }


# --- what a client holds -------------------------------------------------------------------------


@action("GetClientsProducts", list_style=True,
        params=("clientid", "serviceid", "pid", "domain", "username2", "limitstart", "limitnum"))
def get_clients_products(call: Call) -> Response:
    store = call.store
    start, limit = page_bounds(call)
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
