"""The scenario keys of clients, contacts and users reach the store; references are checked."""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal
from importlib.resources import files

import pytest
import yaml

from mockwhmcs.store.scenario import ScenarioError, parse_scenario
from mockwhmcs.store.store import Store, password_hash

EVERY_KEY = """\
settings:
  system_url: "https://billing.example.com"
  currencies: [{code: EUR, prefix: "€", suffix: " EUR", rate: 0.92}]
clients:
  - id: 1
    firstname: Ada
    lastname: Lovelace
    email: ada@example.com
    status: Inactive
    companyname: Engines
    address1: 1 Road
    address2: Flat 2
    city: London
    state: Middlesex
    postcode: "01234"
    country: GB
    phonenumber: "020 7946 0000"
    credit: 5
    currency: EUR
    tax_id: GB1
    groupid: 2
    datecreated: "2020-02-02"
    notes: VIP
    language: english
    defaultgateway: paypal
    marketing_emails_opt_in: true
    taxexempt: true
    latefeeoveride: true
    overideduenotices: true
    separateinvoices: true
    disableautocc: true
    overrideautoclose: true
    allow_sso: false
    generalemails: false
    invoiceemails: true
    supportemails: false
    productemails: true
    domainemails: false
    affiliateemails: true
    contacts:
      - id: 4
        firstname: Charles
        lastname: Babbage
        email: charles@example.com
        companyname: Engines
        address1: 2 Road
        address2: Floor 3
        city: Cambridge
        state: Cambs
        postcode: CB1
        country: GB
        phonenumber: "01223"
        tax_id: GB2
        generalemails: true
        invoiceemails: false
        supportemails: true
        productemails: false
        domainemails: true
        affiliateemails: false
  - {id: 2, firstname: Carl, lastname: Other, email: carl@example.com}
  - {id: 3, firstname: Dora, lastname: Shared, email: dora@example.com}
users:
  - {id: 7, email: ada@example.com, password: secret, clients: [1, 3], twofactor: true, firstname: Ada,
     lastname: L, language: french, datecreated: "2021-03-04 05:06:07"}
  - {email: dora@example.com, clients: [3]}
"""


def test_the_example_gives_every_key_the_schema_accepts() -> None:
    """So that a key added to the schema is added here too, and the test below shows it reaches the store."""
    schema = json.loads(files("mockwhmcs.store").joinpath("scenario.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load(EVERY_KEY)
    client, user = data["clients"][0], data["users"][0]
    assert set(schema["$defs"]["client"]["properties"]) == set(client)
    assert set(schema["$defs"]["contact"]["properties"]) == set(client["contacts"][0])
    assert set(schema["$defs"]["user"]["properties"]) == set(user)


def store_of(text: str) -> Store:
    return Store(parse_scenario(textwrap.dedent(text), "shop.yaml"))


def test_every_client_contact_and_user_key_reaches_the_store() -> None:
    store = store_of(EVERY_KEY)
    assert store.catalog.settings.system_url == "https://billing.example.com/"
    client = store.clients.rows[1]
    assert (client.status, client.companyname, client.address1, client.address2, client.city, client.state,
            client.postcode, client.country, client.phonenumber, client.credit) == (
        "Inactive", "Engines", "1 Road", "Flat 2", "London", "Middlesex", "01234", "GB", "020 7946 0000",
        Decimal("5"))
    assert client.currency == 2
    assert (client.tax_id, client.groupid, client.datecreated, client.notes, client.language,
            client.defaultgateway) == ("GB1", 2, "2020-02-02", "VIP", "english", "paypal")
    assert (client.marketing_emails_opt_in, client.taxexempt, client.latefeeoveride, client.overideduenotices,
            client.separateinvoices, client.disableautocc, client.overrideautoclose, client.allow_sso) == (
        True, True, True, True, True, True, True, False)
    assert client.email_preferences == ("invoice", "product", "affiliate")
    assert store.clients.rows[2].email_preferences == (
        "general", "invoice", "support", "product", "domain", "affiliate")
    contact = store.contacts.rows[4]
    assert (contact.userid, contact.firstname, contact.lastname, contact.email, contact.companyname,
            contact.address1, contact.address2, contact.city, contact.state, contact.postcode,
            contact.country, contact.phonenumber, contact.tax_id, contact.email_preferences) == (
        1, "Charles", "Babbage", "charles@example.com", "Engines", "2 Road", "Floor 3", "Cambridge", "Cambs",
        "CB1", "GB", "01223", "GB2", ("general", "support", "domain"))
    ada = store.users.rows[7]
    assert (ada.email, ada.password, ada.twofactor, ada.firstname, ada.lastname, ada.language,
            ada.datecreated) == ("ada@example.com", password_hash("secret"), True, "Ada", "L", "french",
                                 "2021-03-04 05:06:07")
    # Ids numbered past those given; the first user listing a client owns it; client 2, listed by no
    # user, gets an owner user of its own, with no password.
    dora, carl = store.users.rows[1], store.users.rows[8]
    assert (dora.email, dora.password, carl.email, carl.firstname, carl.password) == (
        "dora@example.com", "", "carl@example.com", "Carl", "")
    assert [(link.auth_user_id, link.client_id, link.owner) for link in store.user_clients] == [
        (7, 1, True), (7, 3, True), (1, 3, False), (8, 2, True)]


def test_a_user_listed_for_no_client_owns_the_client_with_its_email() -> None:
    store = store_of("clients: [{firstname: A, lastname: B, email: Ab@example.com}]\n"
                     "users: [{email: ab@example.com}]\n")
    assert len(store.users) == 1
    assert [(link.auth_user_id, link.client_id, link.owner) for link in store.user_clients] == [(1, 1, True)]


@pytest.mark.parametrize(("text", "problem"), [
    ("users: [{email: a@example.com, clients: [1, 9]}]",
     "shop.yaml:2: users[0].clients[1]: no client with id 9"),
    ("users: [{email: a@example.com}, {email: a@example.com}]",
     "shop.yaml:2: users[1].email: duplicate email 'a@example.com' (also users[0])"),
    ("users: [{clients: [1]}]", "shop.yaml:2: users[0]: missing required key 'email'"),
    ("users: [{email: a@example.com, twofactor: 'no'}]",
     "shop.yaml:2: users[0].twofactor: 'no' is not true or false"),
    ("settings: {system_url: billing.example.com}",
     "shop.yaml:2: settings.system_url: 'billing.example.com' is not an http:// or https:// URL"),
])
def test_users_are_checked(text: str, problem: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario("clients: [{id: 1, firstname: A, lastname: B, email: c@example.com}]\n" + text + "\n",
                       "shop.yaml")
    assert caught.value.problems == [problem]
