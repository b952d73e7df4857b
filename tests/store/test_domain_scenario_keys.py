"""The scenario keys the domain and catalogue actions read: each one reaches the store, and a wrong
one is refused with its file, line and key path."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.store.scenario_support import problems_of, store_of

# The keys as SCENARIOS.md writes them, and the optional ones the domain actions add.
SHOP = """\
extends: default
settings:
  currencies:
    - {id: 2, code: EUR, prefix: "€", suffix: " EUR", rate: 0.92, format: 3}
    - {code: GBP, rate: "0.781234"}
clients:
  - {id: 1, currency: 2}
  - {id: 2, currency: GBP}
tlds:
  - {tld: .io, register: {1: 40}, categories: [Tech, Popular], group: hot,
     addons: {dnsmanagement: true, emailforwarding: true}, grace_period: 30, redemption_period: 0}
registrars:
  enom: {register: success, transfer: success, renew: success, nameservers: success,
         lock: success, whois: success, release: success, epp: "EPP-CODE-123"}
  broken: {renew: "Renewal failed", idprotect: "No ID protection", epp: {error: "No EPP"}}
whois:
  taken: [Example.com, "*.example.org"]
domains:
  - id: 20
    client: 1
    domain: existing.example.com
    nameservers: [ns1.example.com, ns2.example.com]
    locked: true
    idprotection: true
    firstpaymentamount: 5
    amount: 9.95
    addons: {dnsmanagement: true, emailforwarding: true, idprotection: false}
    whois: {Registrant: {First_Name: Ada, Organisation_Name: null}, Tech: {Email: tech@example.com}}
"""


def test_every_domain_and_catalogue_key_reaches_the_store() -> None:
    store = store_of(SHOP)
    catalog = store.catalog

    usd, eur, gbp = catalog.currencies.values()
    assert (usd.id, usd.rate, usd.format) == (1, Decimal("1.00000"), 1)
    assert (eur.id, eur.rate, eur.format, eur.prefix, eur.suffix) == (2, Decimal("0.92000"), 3, "€", " EUR")
    assert (gbp.id, gbp.rate) == (3, Decimal("0.78123"))
    client_one, client_two = store.clients.get(1), store.clients.get(2)
    assert client_one is not None and client_two is not None
    assert (client_one.currency, client_two.currency) == (2, 3)

    io = catalog.tlds[".io"]
    assert (io.categories, io.group) == (("Tech", "Popular"), "hot")
    assert (io.grace_period, io.redemption_period) == (30, 0)
    assert (io.dnsmanagement, io.emailforwarding, io.idprotection) == (True, True, False)
    assert io.register == {"USD": {1: Decimal("40.00")}, "EUR": {1: Decimal("36.80")},
                           "GBP": {1: Decimal("31.25")}}

    assert catalog.registrars["enom"] == {
        "register": "success", "transfer": "success", "renew": "success", "nameservers": "success",
        "lock": "success", "whois": "success", "release": "success", "idprotect": "success",
        "eppcode": "EPP-CODE-123",
    }
    assert catalog.registrars["broken"]["renew"] == "Renewal failed"
    assert catalog.registrars["broken"]["idprotect"] == "No ID protection"
    assert catalog.registrars["broken"]["epp"] == "No EPP"
    assert "eppcode" not in catalog.registrars["broken"]
    assert catalog.whois_taken == ("example.com", "*.example.org")

    domain = store.domains.get(20)
    assert domain is not None
    assert domain.nameservers == ("ns1.example.com", "ns2.example.com")
    assert (domain.locked, domain.idprotection, domain.dnsmanagement, domain.emailforwarding) == (
        True, True, True, True)
    assert (domain.firstpaymentamount, domain.recurringamount) == (Decimal("5.00"), Decimal("9.95"))
    assert domain.whois == {
        "Registrant": {"First_Name": "Ada", "Organisation_Name": None}, "Tech": {"Email": "tech@example.com"},
    }


def test_domain_keys_left_out_have_their_defaults() -> None:
    store = store_of("extends: default\nregistrars: {plain: {}}\n")
    domain = store.domains.get(20)
    assert domain is not None
    assert (domain.nameservers, domain.locked, domain.idprotection, domain.whois) == (
        ("ns1.example.com", "ns2.example.com"), True, False, {})
    assert store.catalog.registrars["plain"]["lock"] == "success"
    assert "eppcode" not in store.catalog.registrars["plain"]
    assert store_of("").catalog.tlds == {}
    assert store_of("tlds: [{tld: .dev}]").catalog.tlds[".dev"].categories == ("Other",)


def test_a_client_s_currency_given_as_a_code_still_works() -> None:
    client = store_of(SHOP.replace("currency: 2}", "currency: EUR}")).clients.get(1)
    assert client is not None and client.currency == 2


CLIENT = "clients: [{id: 1, firstname: A, lastname: B, email: a@b.c}]\n"


@pytest.mark.parametrize(("text", "problem"), [
    ("settings: {currencies: [{code: EUR}]}\n"
     "clients: [{firstname: A, lastname: B, email: a@b.c, currency: 3}]",
     "shop.yaml:2: clients[0].currency: unknown currency id 3 (ids: 1, 2)"),
    ("clients: [{firstname: A, lastname: B, email: a@b.c, currency: 0}]",
     "shop.yaml:1: clients[0].currency: 0 is less than the minimum of 1"),
    ("clients: [{firstname: A, lastname: B, email: a@b.c, currency: euro}]",
     "shop.yaml:1: clients[0].currency: 'euro' is not a currency code such as USD, or a currency id"),
    ("settings: {currencies: [{id: 1, code: EUR}]}",
     "shop.yaml:1: settings.currencies[0].id: currency id 1 is taken (the default one is 1)"),
    ("settings: {currency: {code: USD, format: 5}}",
     "shop.yaml:1: settings.currency.format: 5 must be one of 1, 2, 3, 4"),
    ("registrars: {enom: {lock: 1}}", "shop.yaml:1: registrars.enom.lock: 1 is not a string"),
    ("registrars: {enom: {epp: {code: X}}}",
     "shop.yaml:1: registrars.enom.epp: {'code': 'X'} is not valid under any of the given schemas"),
    ("registrars: {enom: {dns: success}}", "shop.yaml:1: registrars.enom: unknown key 'dns'"),
    ("whois: {taken: example.com}", "shop.yaml:1: whois.taken: 'example.com' is not a list"),
    ("whois: {free: [a.com]}", "shop.yaml:1: whois: unknown key 'free'"),
    ("tlds: [{tld: .com, group: featured}]",
     "shop.yaml:1: tlds[0].group: 'featured' must be one of '', 'hot', 'new', 'sale'"),
    (f"{CLIENT}domains:\n  - {{client: 1, domain: a.com, nameservers: [a, b, c, d, e, f]}}",
     "shop.yaml:3: domains[0].nameservers: ['a', 'b', 'c', 'd', 'e', 'f'] is too long"),
    (f"{CLIENT}domains:\n  - {{client: 1, domain: a.com, locked: yes}}",
     "shop.yaml:3: domains[0].locked: 'yes' is not true or false"),
    (f"{CLIENT}domains:\n  - {{client: 1, domain: a.com, whois: {{Owner: {{Email: a}}}}}}",
     "shop.yaml:3: domains[0].whois: key 'Owner' is not a contact type (Registrant, Admin, Tech, Billing)"),
])
def test_wrong_domain_keys_are_refused_with_file_line_and_path(text: str, problem: str) -> None:
    assert problem in problems_of(text)
