"""AddClient, GetClientsDetails, GetClientsProducts and GetClientsDomains (FIDELITY §6)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from mockwhmcs.store.models import Transaction
from mockwhmcs.store.store import Store
from tests.actions.conftest import CallAction
from tests.actions.helpers import api_error, seed_order

NEW_CLIENT = {
    "firstname": "Grace", "lastname": "Hopper", "email": "grace@example.com", "address1": "1 Navy Way",
    "city": "Arlington", "state": "VA", "postcode": "22202", "country": "US", "phonenumber": "555-0100",
    "password2": "cobol",
}


# --- AddClient ------------------------------------------------------------------------------------


def test_add_client_creates_an_active_client_and_its_owner_user(call: CallAction, store: Store) -> None:
    assert call("AddClient", **NEW_CLIENT) == {"result": "success", "clientid": 3, "owner_id": 3}
    client = store.clients.get(3)
    assert client is not None
    assert (client.firstname, client.email, client.status, client.datecreated, client.currency) == (
        "Grace", "grace@example.com", "Active", "2026-01-15", 1,
    )
    user = store.users.get(3)
    assert user is not None
    assert (user.firstname, user.lastname, user.email, user.datecreated) == (
        "Grace", "Hopper", "grace@example.com", "2026-01-15 10:00:00")
    assert user.password and "cobol" not in user.password
    links = store.user_clients.where("client_id", 3)
    assert [(link.auth_user_id, link.owner) for link in links] == [(3, True)]


def test_add_client_for_an_existing_owner_user(call: CallAction, store: Store) -> None:
    params = NEW_CLIENT | {"owner_user_id": "1"}
    del params["password2"]
    assert call("AddClient", **params) == {"result": "success", "clientid": 3, "owner_id": 1}
    assert len(store.users) == 2
    assert [(link.client_id, link.owner) for link in store.user_clients.where("auth_user_id", 1)] == [
        (1, True), (3, True)]


@pytest.mark.parametrize("owner", ["99", "0", "x"])
def test_add_client_refuses_an_unknown_owner_user(call: CallAction, store: Store, owner: str) -> None:
    assert api_error(call, "AddClient", **(NEW_CLIENT | {"owner_user_id": owner})).message == (
        "Invalid Owner User ID")
    assert (len(store.clients), len(store.users)) == (2, 2)


@pytest.mark.parametrize(("missing", "message"), [
    ("firstname", "You did not enter your first name"),
    ("lastname", "You did not enter your last name"),
    ("email", "You did not enter your email address"),
    ("password2", "You did not enter a password"),
    # Two spaces, as WHMCS words it (addclient.md).
    ("address1", "You did not enter your  address line 1"),
    ("city", "You did not enter your city"),
    ("state", "You did not enter your state"),
    ("postcode", "You did not enter your postcode"),
    ("country", "Valid country required"),
    ("phonenumber", "You did not enter your phone number"),
])
def test_add_client_requires_each_field(call: CallAction, store: Store, missing: str, message: str) -> None:
    assert api_error(call, "AddClient", **(NEW_CLIENT | {missing: " "})).message == message
    assert (len(store.clients), len(store.users), len(store.emails)) == (2, 2, 0)


@pytest.mark.parametrize("country", ["USA", "U", "1A", "U S"])
def test_add_client_needs_a_two_letter_country(call: CallAction, country: str) -> None:
    assert api_error(call, "AddClient", **(NEW_CLIENT | {"country": country})).message == (
        "Valid country required")


@pytest.mark.parametrize("phone", ["call me", "555-CALL-NOW", "12#34"])
def test_add_client_refuses_a_phone_number_it_cannot_format(call: CallAction, phone: str) -> None:
    assert api_error(call, "AddClient", **(NEW_CLIENT | {"phonenumber": phone})).message == (
        "Invalid telephone phone number")


def test_add_client_reports_the_first_missing_field(call: CallAction) -> None:
    params = NEW_CLIENT | {"lastname": "", "city": ""}
    assert api_error(call, "AddClient", **params).message == "You did not enter your last name"


@pytest.mark.parametrize("email", ["grace", "grace@", "grace@example", "gr ace@example.com", "a@@b.com"])
def test_add_client_refuses_an_invalid_email(call: CallAction, email: str) -> None:
    error = api_error(call, "AddClient", **(NEW_CLIENT | {"email": email}))
    assert error.message == "The email address you entered was not valid"


@pytest.mark.parametrize("email", ["ada@example.com", "ADA@Example.com"])
def test_add_client_refuses_an_email_a_user_has(call: CallAction, email: str) -> None:
    error = api_error(call, "AddClient", **(NEW_CLIENT | {"email": email}))
    assert error.message == "A user already exists with that email address"


def test_add_client_refuses_an_email_another_client_has(call: CallAction, store: Store) -> None:
    # With an owner user no user is created: the client's own email must still be free.
    params = NEW_CLIENT | {"email": "Closed@example.com", "owner_user_id": "1"}
    assert api_error(call, "AddClient", **params).message == (
        "The email address entered is not available for use.")
    assert len(store.clients) == 2


def test_skipvalidation_skips_required_fields_but_not_the_new_users_email_and_password(
    call: CallAction, store: Store,
) -> None:
    assert api_error(call, "AddClient", firstname="Only", skipvalidation="1").message == (
        "You did not enter your email address")
    assert api_error(call, "AddClient", email="only@example", skipvalidation="1").message == (
        "The email address you entered was not valid")
    assert api_error(call, "AddClient", email="only@example.com", skipvalidation="1").message == (
        "You did not enter a password")
    assert call("AddClient", email="only@example.com", password2="x", skipvalidation="1")["clientid"] == 3
    error = api_error(call, "AddClient", email="ada@example.com", password2="x", skipvalidation="1")
    assert error.message == "A user already exists with that email address"
    # With an owner user, nothing at all is required.
    assert call("AddClient", owner_user_id="1", skipvalidation="1") == {
        "result": "success", "clientid": 4, "owner_id": 1}
    assert store.clients.rows[4].email == ""


def test_add_client_cleans_the_text_it_stores_but_not_the_password(call: CallAction, store: Store) -> None:
    call("AddClient", **(NEW_CLIENT | {"companyname": "Tom & <Jerry>", "firstname": " O'Hara ",
                                       "password2": "p&ss<word>"}))
    client = store.clients.rows[3]
    assert (client.companyname, client.firstname) == ("Tom &amp; &lt;Jerry&gt;", "O&#039;Hara")
    assert call("ValidateLogin", email="grace@example.com", password2="p&ss<word>")["userid"] == 3
    details = call("GetClientsDetails", clientid="3")
    assert details["companyname"] == details["client"]["companyname"] == "Tom &amp; &lt;Jerry&gt;"


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


def test_add_client_keeps_group_and_marketing_choice(call: CallAction, store: Store) -> None:
    call("AddClient", **(NEW_CLIENT | {"groupid": "2", "marketingoptin": "1", "tax_id": "GB123"}))
    client = store.clients.rows[3]
    assert (client.groupid, client.marketing_emails_opt_in, client.tax_id) == (2, True, "GB123")


def test_client_uuids_repeat_with_the_seed(call: CallAction, store: Store) -> None:
    call("AddClient", **NEW_CLIENT)
    first = store.clients.rows[3].uuid
    store.reset()
    call("AddClient", **NEW_CLIENT)
    assert store.clients.rows[3].uuid == first
    assert first != store.clients.rows[1].uuid


# --- GetClientsDetails ----------------------------------------------------------------------------


def test_get_clients_details_needs_clientid_or_email(call: CallAction) -> None:
    assert api_error(call, "GetClientsDetails").message == "Either clientid Or email Is Required"


@pytest.mark.parametrize("params", [{"clientid": "99"}, {"email": "nobody@example.com"}])
def test_get_clients_details_unknown_client(call: CallAction, params: dict[str, str]) -> None:
    assert api_error(call, "GetClientsDetails", **params).message == "Client Not Found"


@pytest.mark.parametrize("action", ["GetClientsDetails", "GetClientsData", "GetClientsDataByEmail"])
@pytest.mark.parametrize("params", [{"clientid": "1"}, {"email": "Ada@Example.com"}])
def test_get_clients_details_by_id_or_email(call: CallAction, action: str, params: dict[str, str]) -> None:
    response = call(action, **params)
    client = response["client"]
    # The client's fields at the top level too (deprecated, but WHMCS still sends them), in one order.
    assert list(response) == ["result", *client, "client"]
    assert all(response[key] == value for key, value in client.items())
    assert (client["id"], client["userid"], client["client_id"], client["owner_user_id"]) == (1, 1, 1, 1)
    assert (client["fullname"], client["email"]) == ("Ada Lovelace", "ada@example.com")
    assert (client["status"], client["currency"], client["currency_code"], client["credit"]) == (
        "Active", 1, "USD", "0.00",
    )
    assert client["users"] == {"user": [
        {"id": 1, "name": "Ada Lovelace", "email": "ada@example.com", "is_owner": True}]}
    assert "stats" not in response


def test_a_client_added_through_the_api_reads_back(call: CallAction) -> None:
    clientid = call("AddClient", **(NEW_CLIENT | {"phonenumber": "(555) 0100"}))["clientid"]
    client = call("GetClientsDetails", clientid=str(clientid))["client"]
    assert {k: client[k] for k in ("firstname", "lastname", "address1", "city", "state", "postcode",
                                    "country", "countrycode", "countryname", "phonenumber", "phonecc",
                                    "phonenumberformatted", "lastlogin")} == {
        "firstname": "Grace", "lastname": "Hopper", "address1": "1 Navy Way", "city": "Arlington",
        "state": "VA", "postcode": "22202", "country": "US", "countrycode": "US",
        "countryname": "United States", "phonenumber": "(555) 0100", "phonecc": "1",
        "phonenumberformatted": "+1.5550100", "lastlogin": "No Login Logged",
    }


def test_get_clients_details_formats_phone_numbers_like_whmcs(call: CallAction) -> None:
    cases = {("GB", "01234567890"): "+44.1234567890", ("GB", "+44 1234 567890"): "+44.1234567890",
             ("US", "800-555-1234"): "+1.8005551234", ("ZZ", "0123"): "0123", ("GB", ""): ""}
    for number, ((country, phone), expected) in enumerate(cases.items()):
        params = NEW_CLIENT | {"email": f"p{number}@example.com", "country": country, "phonenumber": phone,
                               "skipvalidation": "1"}
        clientid = call("AddClient", **params)["clientid"]
        assert call("GetClientsDetails", clientid=str(clientid))["phonenumberformatted"] == expected


def test_get_clients_details_shows_the_owners_last_login(call: CallAction) -> None:
    call("ValidateLogin", email="ada@example.com", password2="ada-password")
    assert call("GetClientsDetails", clientid="1")["lastlogin"] == (
        "Date: 15/01/2026 10:00<br>IP Address: 127.0.0.1<br>Host: 127.0.0.1")


def test_get_clients_details_stats(call: CallAction, store: Store) -> None:
    seed_order(store, pids=(1, 3), domains=(("a.com", "Register"),))
    overdue = seed_order(store, pids=(), invoice_status="Unpaid").invoice
    paid = seed_order(store, pids=(), invoice_status="Paid").invoice
    assert overdue is not None and paid is not None
    overdue.duedate, overdue.total, paid.total = "2026-01-01", Decimal("3.00"), Decimal("7.50")
    store.clients.rows[1].credit = Decimal("4.00")
    stats = call("GetClientsDetails", clientid="1", stats="true")["stats"]
    assert list(stats) == STATS_KEYS
    assert {key: stats[key] for key in (
        "numdueinvoices", "numoverdueinvoices", "overdueinvoicesbalance", "numunpaidinvoices",
        "numpaidinvoices", "paidinvoicesamount", "incredit", "creditbalance", "productsnumhosting",
        "productsnumactivehosting", "productsnumservers", "productsnumtotal", "productsnumactive",
        "numdomains", "numactivedomains", "numtickets", "isAffiliate")} == {
        "numdueinvoices": 2, "numoverdueinvoices": 1, "overdueinvoicesbalance": "$3.00 USD",
        "numunpaidinvoices": 2, "numpaidinvoices": 1, "paidinvoicesamount": "$7.50 USD", "incredit": True,
        "creditbalance": "$4.00 USD", "productsnumhosting": 2, "productsnumactivehosting": 1,
        "productsnumservers": 1, "productsnumtotal": 3, "productsnumactive": 1, "numdomains": 2,
        "numactivedomains": 1, "numtickets": 0, "isAffiliate": False,
    }


def test_get_clients_details_stats_count_payments_and_transactions(call: CallAction, store: Store) -> None:
    invoice = seed_order(store, pids=(1,)).invoice
    assert invoice is not None
    moves = [("4.00", "0.50", "0.00"), ("0.00", "0.00", "1.00")]
    for number, (amountin, fees, amountout) in enumerate(moves):
        store.transactions.add(Transaction(
            id=store.transactions.new_id(), userid=1, date="2026-01-15 10:00:00", transid=f"T{number}",
            invoiceid=invoice.id, amountin=Decimal(amountin), fees=Decimal(fees),
            amountout=Decimal(amountout),
        ))
    stats = call("GetClientsDetails", clientid="1", stats="1")["stats"]
    # 6.00 owed, 4.00 paid in and 1.00 refunded: 3.00 left.
    assert (stats["dueinvoicesbalance"], stats["unpaidinvoicesamount"]) == ("$3.00 USD", "$6.00 USD")
    assert (stats["grossRevenue"], stats["expenses"], stats["income"]) == (
        "$4.00 USD", "$1.50 USD", "$2.50 USD")


STATS_KEYS = [
    "numdueinvoices", "dueinvoicesbalance", "incredit", "creditbalance", "grossRevenue", "expenses", "income",
    "numoverdueinvoices", "overdueinvoicesbalance", "numDraftInvoices", "draftInvoicesBalance",
    "numunpaidinvoices", "unpaidinvoicesamount", "numpaidinvoices", "paidinvoicesamount",
    "numcancelledinvoices", "cancelledinvoicesamount", "numrefundedinvoices", "refundedinvoicesamount",
    "numcollectionsinvoices", "collectionsinvoicesamount", "numpaymentpendinginvoices",
    "paymentpendinginvoicesamount", "productsnumactivehosting", "productsnumhosting",
    "productsnumactivereseller", "productsnumreseller", "productsnumactiveservers", "productsnumservers",
    "productsnumactiveother", "productsnumother", "productsnumactive", "productsnumtotal",
    "numactivedomains", "numdomains", "numacceptedquotes", "numquotes", "numtickets", "numactivetickets",
    "numaffiliatesignups", "isAffiliate",
]


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


def test_get_clients_products_lists_every_service_unless_limitnum_is_sent(
    call: CallAction, store: Store
) -> None:
    # 8.12 reads a missing limitnum as no limit: the page's "default: 25" would hide the 26th service.
    seed_order(store, pids=(1,) * 30)
    response = call("GetClientsProducts", clientid="1")
    assert (response["totalresults"], response["numreturned"]) == (31, 31)
    paged = call("GetClientsProducts", clientid="1", limitnum="25")
    assert (paged["totalresults"], paged["numreturned"]) == (31, 25)
    # The other list actions keep WHMCS's page of 25.
    seed_order(store, pids=(), domains=tuple((f"d{n}.com", "Register") for n in range(30)))
    assert call("GetClientsDomains", clientid="1")["numreturned"] == 25


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


@pytest.mark.parametrize("descending", [False, True])
def test_table_pages_are_the_same_read_from_either_end(descending: bool) -> None:
    from mockwhmcs.actions.common import table_page
    from mockwhmcs.store.tables import Table

    @dataclass
    class Row:
        id: int

    table: Table[Row] = Table()
    for number in range(1, 101):
        table.add(Row(number))
    ids = sorted(range(1, 101), reverse=descending)
    for start in (0, 10, 49, 50, 51, 75, 90, 99, 100, 150):
        for limit in (1, 25):
            assert [row.id for row in table_page(table, start, limit, descending=descending)[1]] == \
                ids[start:start + limit], (start, limit)
