"""The domain shop over a real socket, with bodies encoded as PHP's http_build_query encodes them:
look a name up, read the prices, order it, accept the order, then manage the domain. Once per
currency: a client billed in the second currency sees and pays its prices.

The golden files pin the JSON and XML of each catalogue and domain answer on the default scenario.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.integration.test_order_lifecycle_http import call
from tests.support import AUTH, FIXTURES, IDENTIFIER, SECRET, TEST_SCENARIOS, Http, fresh, serve


@pytest.fixture(scope="module")
def shop_server() -> Iterator[Http]:
    yield from serve(TEST_SCENARIOS / "domains.yaml")


@pytest.fixture
def shop(shop_server: Http) -> Http:
    """Two currencies: client 1 pays in USD, client 3 in EUR (currency id 2)."""
    return fresh(shop_server)


def php(**params: Any) -> str:
    """A body as PHP's http_build_query writes it: brackets percent-encoded, spaces as +."""
    return urlencode(params)


@pytest.mark.parametrize(("clientid", "currency", "register", "renew"), [
    ("1", "USD", "9.95", "9.95"),
    ("3", "EUR", "9.15", "9.15"),
])
def test_the_domain_shop_flow_in_the_client_s_currency(
    shop: Http, clientid: str, currency: str, register: str, renew: str
) -> None:
    name = f"shop-{currency.lower()}.com"
    assert call(shop, "DomainWhois", php(domain=name))["status"] == "available"

    pricing = call(shop, "GetTLDPricing", php(clientid=clientid))
    assert pricing["currency"]["code"] == currency
    com = pricing["pricing"]["com"]
    assert (com["register"]["1"], com["renew"]["1"]) == (register, renew)

    placed = call(shop, "AddOrder", php(**{
        "clientid": clientid, "paymentmethod": "mailin", "domaintype[0]": "register", "domain[0]": name,
        "regperiod[0]": "1", "nameserver1": "ns1.shop.test", "nameserver2": "ns2.shop.test",
    }))
    assert placed["result"] == "success", placed
    domainid = placed["domainids"]
    invoice = call(shop, "GetInvoice", php(invoiceid=placed["invoiceid"]))
    assert invoice["total"] == register
    assert call(shop, "AcceptOrder", php(orderid=placed["orderid"], registrar="enom", sendregistrar=1)) == {
        "result": "success"
    }

    row = call(shop, "GetClientsDomains", php(domainid=domainid))["domains"]["domain"][0]
    assert (row["domainname"], row["status"], row["registrar"]) == (name, "Active", "enom")
    assert (row["firstpaymentamount"], row["recurringamount"]) == (register, renew)
    assert call(shop, "DomainWhois", php(domain=name))["status"] == "unavailable"
    assert call(shop, "DomainGetNameservers", php(domainid=domainid)) == {
        "result": "success", "ns1": "ns1.shop.test", "ns2": "ns2.shop.test",
    }

    assert call(shop, "DomainRenew", php(domainid=domainid, regperiod=2)) == {"result": "success"}
    row = call(shop, "GetClientsDomains", php(domainid=domainid))["domains"]["domain"][0]
    assert (row["expirydate"], row["nextduedate"]) == ("2028-01-15", "2028-01-15")

    servers = {"ns1": "ns1.moved.test", "ns2": "ns2.moved.test", "ns3": "ns3.moved.test"}
    assert call(shop, "DomainUpdateNameservers", php(domainid=domainid, **servers)) == {"result": "success"}
    assert call(shop, "DomainGetNameservers", php(domainid=domainid)) == {"result": "success", **servers}


def test_a_registrar_error_is_an_error_envelope_over_http(shop: Http) -> None:
    reply = shop.post(f"action=DomainRenew&{AUTH}&domainid=21")
    assert (reply.status, reply.text) == (200, "result=error;message=Renewal refused")


def test_python_requests_false_locks_the_domain_as_php_reads_it(shop: Http) -> None:
    # requests sends False as "False", which PHP reads as true.
    call(shop, "DomainUpdateLockingStatus", php(domainid=23, lockstatus=False))
    assert call(shop, "DomainGetLockingStatus", php(domainid=23))["lockstatus"] == "locked"


def test_updating_whois_contacts_with_the_reference_s_xml(shop: Http) -> None:
    xml = ("<contactdetails><Registrant><Name>Test Client</Name><Email>test@testemail.com</Email>"
           "<Company>WHMCS</Company><Address1>123 Test Street</Address1><Address2></Address2>"
           "</Registrant></contactdetails>")
    assert call(shop, "DomainUpdateWhoisInfo", php(domainid=20, xml=xml)) == {"result": "success"}
    registrant = call(shop, "DomainGetWhoisInfo", php(domainid=20))["Registrant"]
    assert registrant == {"Name": "Test Client", "Email": "test@testemail.com", "Company": "WHMCS",
                          "Address1": "123 Test Street", "Address2": ""}


# --- golden files --------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "params"), [
    ("GetTLDPricing", ""),
    ("GetCurrencies", ""),
    ("GetPromotions", ""),
    ("DomainWhois", "domain=example.com"),
    ("DomainGetNameservers", "domainid=20"),
    ("DomainGetLockingStatus", "domainid=20"),
    ("DomainGetWhoisInfo", "domainid=20"),
    ("DomainRequestEPP", "domainid=20"),
    ("UpdateClientDomain", "domainid=20&status=Active"),
    # The plain success every other registrar command answers with.
    ("DomainRenew", "domainid=20"),
])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_catalogue_and_domain_answers_match_golden_files(
    api: Http, action: str, params: str, fmt: str
) -> None:
    reply = api.post(f"action={action}&{AUTH}&responsetype={fmt}&{params}")
    assert reply.body == (FIXTURES / "api" / f"{action.lower()}.{fmt}").read_bytes()


# --- a published client --------------------------------------------------------------------------


def test_whmcspy_reads_tld_pricing(api: Http) -> None:
    whmcspy = pytest.importorskip("whmcspy", reason="whmcspy (the test extra) is not installed")
    client = whmcspy.WHMCS(f"http://{api.server.host}:{api.server.port}/includes/api.php", IDENTIFIER, SECRET)

    pricing = client.get_tld_pricing()

    assert pricing["currency"]["code"] == "USD"
    assert pricing["pricing"]["com"]["register"] == {"1": "9.95", "2": "19.90"}
    assert pricing["pricing"]["net"]["transfer"] == {"1": "10.95"}


def test_whmcspy_updates_a_domain_it_read(api: Http) -> None:
    whmcspy = pytest.importorskip("whmcspy", reason="whmcspy (the test extra) is not installed")
    client = whmcspy.WHMCS(f"http://{api.server.host}:{api.server.port}/includes/api.php", IDENTIFIER, SECRET)
    domain = next(client.get_clients_domains(clientid=1))

    # whmcspy sends every field of the domain it is given (its keyword arguments cannot override them).
    changed = {**domain, "status": "Cancelled"}
    assert client.update_client_domain(changed) == {"result": "success", "domainid": 20}
    assert next(client.get_clients_domains(clientid=1)) == changed
