"""AddClient, GetClientsDetails, GetClientsProducts and GetClientsDomains (FIDELITY §6)."""

from __future__ import annotations

from typing import Any

import pytest

from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction
from tests.actions.helpers import api_error, seed_order

NEW_CLIENT = {
    "firstname": "Grace", "lastname": "Hopper", "email": "grace@example.com", "address1": "1 Navy Way",
    "city": "Arlington", "state": "VA", "postcode": "22202", "country": "US", "phonenumber": "555-0100",
    "password2": "cobol",
}


# --- AddClient ------------------------------------------------------------------------------------


def test_add_client_creates_an_active_client(call: CallAction, store: Store) -> None:
    assert call("AddClient", **NEW_CLIENT) == {"result": "success", "clientid": 3, "owner_id": 3}
    client = store.clients.get(3)
    assert client is not None
    assert (client.firstname, client.email, client.status, client.datecreated, client.currency) == (
        "Grace", "grace@example.com", "Active", "2026-01-15", 1,
    )


@pytest.mark.parametrize(("missing", "message"), [
    ("firstname", "You did not enter your first name"),
    ("lastname", "You did not enter your last name"),
    ("email", "You did not enter your email address"),
    ("address1", "You did not enter your address (line 1)"),
    ("city", "You did not enter your city"),
    ("state", "You did not enter your state"),
    ("postcode", "You did not enter your postcode"),
    ("country", "You did not enter your country"),
    ("phonenumber", "You did not enter your phone number"),
])
def test_add_client_requires_each_field(call: CallAction, store: Store, missing: str, message: str) -> None:
    assert api_error(call, "AddClient", **(NEW_CLIENT | {missing: " "})).message == message
    assert len(store.clients) == 2


def test_add_client_reports_the_first_missing_field(call: CallAction) -> None:
    params = NEW_CLIENT | {"lastname": "", "city": ""}
    assert api_error(call, "AddClient", **params).message == "You did not enter your last name"


@pytest.mark.parametrize("email", ["grace", "grace@", "grace@example", "gr ace@example.com", "a@@b.com"])
def test_add_client_refuses_an_invalid_email(call: CallAction, email: str) -> None:
    error = api_error(call, "AddClient", **(NEW_CLIENT | {"email": email}))
    assert error.message == "The email address you entered was not valid"


@pytest.mark.parametrize("email", ["ada@example.com", "ADA@Example.com"])
def test_add_client_refuses_an_email_already_in_use(call: CallAction, email: str) -> None:
    error = api_error(call, "AddClient", **(NEW_CLIENT | {"email": email}))
    assert error.message == "A user already exists with that email address"


def test_skipvalidation_skips_required_fields_but_not_the_duplicate_check(call: CallAction) -> None:
    assert call("AddClient", firstname="Only", skipvalidation="1")["clientid"] == 3
    error = api_error(call, "AddClient", email="ada@example.com", skipvalidation="1")
    assert error.message == "A user already exists with that email address"


def test_add_client_records_the_signup_email_or_its_suppression(call: CallAction, store: Store) -> None:
    call("AddClient", **NEW_CLIENT)
    call("AddClient", **(NEW_CLIENT | {"email": "quiet@example.com", "noemail": "true"}))
    assert [(e.template, e.userid, e.sent, e.reason) for e in store.emails] == [
        ("Client Signup Email", 3, True, ""),
        ("Client Signup Email", 4, False, "AddClient with noemail"),
    ]


def test_add_client_keeps_a_known_currency_only(call: CallAction, store: Store) -> None:
    call("AddClient", **(NEW_CLIENT | {"currency": "9"}))
    client = store.clients.get(3)
    assert client is not None and client.currency == 1


# --- GetClientsDetails ----------------------------------------------------------------------------


def test_get_clients_details_needs_clientid_or_email(call: CallAction) -> None:
    assert api_error(call, "GetClientsDetails").message == "Either clientid Or email Is Required"


@pytest.mark.parametrize("params", [{"clientid": "99"}, {"email": "nobody@example.com"}])
def test_get_clients_details_unknown_client(call: CallAction, params: dict[str, str]) -> None:
    assert api_error(call, "GetClientsDetails", **params).message == "Client Not Found"


@pytest.mark.parametrize("params", [{"clientid": "1"}, {"email": "Ada@Example.com"}])
def test_get_clients_details_by_id_or_email(call: CallAction, params: dict[str, str]) -> None:
    response = call("GetClientsDetails", **params)
    assert list(response) == ["result", "client"]
    client = response["client"]
    assert (client["id"], client["userid"], client["fullname"], client["email"]) == (
        1, 1, "Ada Lovelace", "ada@example.com",
    )
    assert (client["status"], client["currency"], client["currency_code"], client["credit"]) == (
        "Active", 1, "USD", "0.00",
    )


def test_a_client_added_through_the_api_reads_back(call: CallAction) -> None:
    clientid = call("AddClient", **NEW_CLIENT)["clientid"]
    client = call("GetClientsDetails", clientid=str(clientid))["client"]
    assert {k: client[k] for k in ("firstname", "lastname", "address1", "city", "state", "postcode",
                                    "country", "countrycode", "phonenumber")} == {
        "firstname": "Grace", "lastname": "Hopper", "address1": "1 Navy Way", "city": "Arlington",
        "state": "VA", "postcode": "22202", "country": "US", "countrycode": "US", "phonenumber": "555-0100",
    }


# --- GetClientsProducts ---------------------------------------------------------------------------


def product_ids(response: dict[str, Any]) -> list[int]:
    products = response["products"]
    return [] if products == "" else [p["id"] for p in products["product"]]


def test_get_clients_products_echoes_the_request_and_answers_an_empty_string(call: CallAction) -> None:
    assert call("GetClientsProducts", clientid="2", pid="1") == {
        "result": "success", "clientid": "2", "serviceid": None, "pid": "1", "domain": None,
        "totalresults": 0, "startnumber": 0, "numreturned": 0, "products": "",
    }


def test_get_clients_products_filters(call: CallAction, store: Store) -> None:
    first = seed_order(store, userid=1, pids=(1, 3)).services
    other = seed_order(store, userid=2, pids=(1,)).services
    first[1].username = "vpsuser"
    assert product_ids(call("GetClientsProducts", clientid="1")) == [10, first[0].id, first[1].id]
    assert product_ids(call("GetClientsProducts", serviceid=str(other[0].id))) == [other[0].id]
    assert product_ids(call("GetClientsProducts", serviceid=str(other[0].id), clientid="1")) == []
    assert product_ids(call("GetClientsProducts", pid="3")) == [first[1].id]
    assert product_ids(call("GetClientsProducts", domain="EXISTING.example.com")) == [10]
    assert product_ids(call("GetClientsProducts", username2="vpsuser")) == [first[1].id]
    assert product_ids(call("GetClientsProducts")) == [10, first[0].id, first[1].id, other[0].id]


def test_get_clients_products_pages(call: CallAction, store: Store) -> None:
    seed_order(store, pids=(1, 1, 1))
    response = call("GetClientsProducts", clientid="1", limitstart="1", limitnum="2")
    assert (response["totalresults"], response["startnumber"], response["numreturned"]) == (4, 1, 2)
    assert product_ids(response) == [11, 12]


def test_get_clients_products_product_fields(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(1,))
    service = seeded.services[0]
    service.server, service.username, service.customfields = 1, "ada", {1: "Analytical Engines Ltd"}
    product = call("GetClientsProducts", serviceid=str(service.id))["products"]["product"][0]
    assert product == {
        "id": service.id, "qty": 1, "clientid": 1, "orderid": seeded.order.id, "ordernumber": 1000000001,
        "pid": 1, "regdate": "2026-01-15", "name": "Starter", "translated_name": "Starter",
        "groupname": "Shared Hosting", "translated_groupname": "Shared Hosting",
        "domain": "site1.example.com", "dedicatedip": "", "serverid": 1, "servername": "web1",
        "serverip": "", "serverhostname": "web1.example.com", "suspensionreason": "",
        "firstpaymentamount": "6.00", "recurringamount": "5.00", "paymentmethod": "mailin",
        "paymentmethodname": "Mail In Payment", "billingcycle": "Monthly", "nextduedate": "2026-01-15",
        "status": "Pending", "username": "ada", "password": "", "subscriptionid": "", "promoid": 0,
        "overideautosuspend": 0, "overidesuspenduntil": "0000-00-00", "ns1": "", "ns2": "",
        "assignedips": "", "notes": "", "diskusage": 0, "disklimit": 0, "bwusage": 0, "bwlimit": 0,
        "lastupdate": "0000-00-00 00:00:00",
        "customfields": {"customfield": [
            {"id": 1, "name": "Company", "translated_name": "Company", "value": "Analytical Engines Ltd"},
        ]},
        "configoptions": {"configoption": []},
    }


def test_get_clients_products_leaves_out_ordernumber_for_a_service_without_order(call: CallAction) -> None:
    product = call("GetClientsProducts", serviceid="10")["products"]["product"][0]
    assert (product["orderid"], "ordernumber" in product) == (0, False)
    assert product["customfields"] == {"customfield": [
        {"id": 1, "name": "Company", "translated_name": "Company", "value": ""},
    ]}


def test_get_clients_products_shows_an_unknown_server_without_details(call: CallAction, store: Store) -> None:
    service = seed_order(store).services[0]
    call("AcceptOrder", orderid=str(service.orderid), serverid="77")
    product = call("GetClientsProducts", serviceid=str(service.id))["products"]["product"][0]
    assert (product["serverid"], product["servername"], product["serverhostname"]) == (77, "", "")


# --- GetClientsDomains ----------------------------------------------------------------------------


def test_get_clients_domains_answers_an_empty_string_when_none_match(call: CallAction) -> None:
    assert call("GetClientsDomains", clientid="2") == {
        "result": "success", "clientid": "2", "domainid": None, "totalresults": 0, "startnumber": 0,
        "numreturned": 0, "domains": "",
    }


def test_get_clients_domains_filters_and_pages(call: CallAction, store: Store) -> None:
    seeded = seed_order(store, pids=(), domains=(("a.com", "Register"), ("b.com", "Transfer")))
    seed_order(store, userid=2, pids=(), domains=(("c.com", "Register"),))

    def ids(**params: str) -> list[int]:
        domains = call("GetClientsDomains", **params)["domains"]
        return [] if domains == "" else [d["id"] for d in domains["domain"]]

    a, b = (d.id for d in seeded.domains)
    assert ids(clientid="1") == [20, a, b]
    assert ids(domainid=str(b)) == [b]
    assert ids(domain="B.com") == [b]
    assert ids(clientid="1", limitstart="2", limitnum="5") == [b]
    assert ids(clientid="2", domainid=str(a)) == []


def test_get_clients_domains_domain_fields(call: CallAction, store: Store) -> None:
    domain = seed_order(store, pids=(), domains=(("a.com", "Transfer"),)).domains[0]
    domain.dnsmanagement = True
    assert call("GetClientsDomains", domainid=str(domain.id))["domains"]["domain"] == [{
        "id": domain.id, "userid": 1, "orderid": domain.orderid, "regtype": "Transfer", "domainname": "a.com",
        "registrar": "", "regperiod": 1, "firstpaymentamount": "9.95", "recurringamount": "9.95",
        "paymentmethod": "mailin", "paymentmethodname": "Mail In Payment", "regdate": "2026-01-15",
        "expirydate": "0000-00-00", "nextduedate": "0000-00-00", "status": "Pending", "subscriptionid": "",
        "promoid": 0, "dnsmanagement": 1, "emailforwarding": 0, "idprotection": 0, "donotrenew": 0,
        "notes": "",
    }]
