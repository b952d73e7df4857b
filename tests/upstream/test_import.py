"""mockwhmcs import, against a second `mockwhmcs serve` standing in for a real WHMCS: the imported
scenario validates, serves, answers the catalogue actions and GetSupportDepartments byte for byte as its
source did, and the clients' contacts, invoices, tickets and users as the source did but for the values
made up in place of personal data."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mockwhmcs.cli import main
from mockwhmcs.client import http_build_query
from mockwhmcs.store.scenario import load_scenario
from mockwhmcs.upstream import importer
from mockwhmcs.upstream.client import Upstream
from mockwhmcs.upstream.importer import import_scenario, scenario_yaml
from tests.support import IDENTIFIER, SECRET, TEST_SCENARIOS, Served, serve_process

RICH = TEST_SCENARIOS / "import_rich.yaml"
# The rich scenario's own credential: the import must leave it behind.
RICH_IDENTIFIER, RICH_SECRET = "source-identifier", "source-secret-do-not-copy"
WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
PERSONAL = ("Grace", "Hopper", "grace@example.com", "Navy Labs", "Harbour", "Arlington", "22201",
            "5551234567", "US-123", "VIP customer", "navy.example", "grace.com", "hopper.co.uk", "liskov.io",
            "navyuser", "Turing", "alan@example.com", "Byron", "Analytical", "Marylebone", "London",
            "2071234567", "Babbage", "McCarthy", "john@example.com", "Liskov", "barbara@", "Dijkstra",
            "Knuth", "Owner Admin", "Alan", "Consulting", "cancelled?", "Still down", "reboot")
SECRETS = (RICH_IDENTIFIER, RICH_SECRET, "hunter2-secret", "owner-password")

pytestmark = pytest.mark.slow  # every test here runs `mockwhmcs serve` in a child process


@pytest.fixture(scope="module")
def rich() -> Iterator[Upstream]:
    with serve_process("--scenario", str(RICH)) as served:
        yield Upstream(served.url, RICH_IDENTIFIER, RICH_SECRET)


def write(data: dict[str, Any], source: Upstream, path: Path) -> Path:
    path.write_text(scenario_yaml(data, source=source.url, when=WHEN), encoding="utf-8")
    return path


def answer(upstream: Upstream, action: str, params: dict[str, Any], responsetype: str) -> bytes:
    fields = {"action": action, **upstream.credentials(), "responsetype": responsetype, **params}
    exchange = upstream.post(http_build_query(fields).encode())
    assert exchange.status == 200
    return exchange.body


# --- the round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize(("scenario", "identifier", "secret", "currencies"), [
    ("default", IDENTIFIER, SECRET, 1),
    (str(RICH), RICH_IDENTIFIER, RICH_SECRET, 3),
], ids=["default", "rich"])
def test_the_imported_scenario_answers_the_catalogue_and_departments_as_its_source_did_byte_for_byte(
    scenario: str, identifier: str, secret: str, currencies: int, tmp_path: Path,
) -> None:
    calls = [("GetProducts", {}), ("GetCurrencies", {}), ("GetPaymentMethods", {}), ("GetPromotions", {}),
             ("GetSupportDepartments", {}), ("GetSupportDepartments", {"ignore_dept_assignments": 1}),
             *(("GetTLDPricing", {"currencyid": number}) for number in range(1, currencies + 2))]
    with serve_process("--scenario", scenario) as served:
        source = Upstream(served.url, identifier, secret)
        path = write(import_scenario(source, clients=5), source, tmp_path / "imported.yaml")
        with serve_process("--scenario", str(path)) as copy_served:
            copy = Upstream(copy_served.url, IDENTIFIER, SECRET)
            for action, params in calls:
                for responsetype in ("json", "xml"):
                    expected = answer(source, action, params, responsetype)
                    served = answer(copy, action, params, responsetype)
                    assert served == expected, (action, params, responsetype)


# What an import makes up in place of personal data (and the ticket access keys it never imports):
# these values differ between a source and its import; everything else answers the same.
MADE_UP = {"firstname", "lastname", "fullname", "name", "owner_name", "requestor_name", "email",
           "requestor_email", "companyname", "address1", "address2", "city", "state", "fullstate",
           "statecode", "postcode", "phonenumber", "phonenumberformatted", "telephoneNumber", "tax_id",
           "notes", "cc", "subject", "message", "description", "admin", "c"}


def masked(answer: Any, keys: set[str]) -> Any:
    """``answer`` with the values of ``keys`` replaced, at every depth; keys, order and types stay."""
    if isinstance(answer, dict):
        return {key: "<masked>" if key in keys and isinstance(value, str) else masked(value, keys)
                for key, value in answer.items()}
    return [masked(value, keys) for value in answer] if isinstance(answer, list) else answer


def client_record_calls(source: Upstream) -> list[tuple[str, dict[str, Any]]]:
    """The read actions showing what an import brings with clients, for every record the source has."""
    invoices = importer._items(source.call("GetInvoices"), "invoices", "invoice")
    tickets = importer._items(source.call("GetTickets"), "tickets", "ticket")
    clients = [c["id"] for c in importer._items(source.call("GetClients"), "clients", "client")]
    assert invoices or tickets, "a scenario with something to compare"
    return [
        ("GetContacts", {}), ("GetInvoices", {}), ("GetTickets", {}), ("GetUsers", {}),
        *(("GetInvoice", {"invoiceid": invoice["id"]}) for invoice in invoices),
        *(call for ticket in tickets for call in (("GetTicket", {"ticketid": ticket["id"]}),
                                                  ("GetTicketNotes", {"ticketid": ticket["id"]}))),
        *(call for clientid in clients for call in (("GetTransactions", {"clientid": clientid}),
                                                    ("GetClientsDetails", {"clientid": clientid}))),
        ("GetTicketCounts", {}),
    ]


@pytest.mark.parametrize(("scenario", "identifier", "secret"), [
    ("default", IDENTIFIER, SECRET),
    (str(RICH), RICH_IDENTIFIER, RICH_SECRET),
], ids=["default", "rich"])
@pytest.mark.parametrize("keep", [False, True], ids=["made-up", "kept"])
def test_contacts_invoices_tickets_and_users_answer_as_the_source_did_but_for_made_up_values(
    scenario: str, identifier: str, secret: str, keep: bool, tmp_path: Path,
) -> None:
    # Kept personal data: only the ticket access keys (never imported) may differ.
    hidden = {"c"} if keep else MADE_UP
    with serve_process("--scenario", scenario) as served:
        source = Upstream(served.url, identifier, secret)
        data = import_scenario(source, clients=5, keep_personal_data=keep)
        path = write(data, source, tmp_path / "imported.yaml")
        with serve_process("--scenario", str(path)) as copy_served:
            copy = Upstream(copy_served.url, IDENTIFIER, SECRET)
            for action, params in client_record_calls(source):
                expected = json.loads(answer(source, action, params, "json"))
                served_answer = json.loads(answer(copy, action, params, "json"))
                assert json.dumps(masked(served_answer, hidden)) == json.dumps(masked(expected, hidden)), (
                    action, params)


def test_the_rich_catalogue_keeps_ids_currencies_and_what_promotions_apply_to(rich: Upstream) -> None:
    data = import_scenario(rich)

    assert data["settings"]["currency"] == {"code": "USD", "prefix": "$", "suffix": " USD", "format": 1}
    assert [(c["id"], c["code"], c["rate"]) for c in data["settings"]["currencies"]] == [
        (2, "EUR", "0.92000"), (3, "GBP", "0.80000")]
    assert data["product_groups"] == [{"id": 1, "name": "Group 1"}, {"id": 3, "name": "Group 3"}]
    assert [(p["id"], p["gid"], p["allowqty"]) for p in data["products"]] == [
        (1, 1, 0), (2, 1, "multiple"), (5, 3, "scaling"), (7, 3, 0)]
    assert data["products"][0]["pricing"]["GBP"] == {"monthly": "10.49", "quarterly": "30.00",
                                                     "triennially": "300.00"}
    assert data["products"][0]["customfields"][0] == {
        "id": 3, "name": "Site name", "description": "Shown in the control panel", "required": True}
    # WHMCS's API lists no product addons: the one a promotion names is a placeholder.
    assert data["addons"] == [{"id": 4, "name": "Addon 4"}]
    save10 = data["promotions"][0]
    assert (save10["appliesto"], save10["addons"], save10["tlds"], save10["cycles"]) == (
        [1, 2], [4], [".com"], ["monthly", "annually"])
    io = data["tlds"][3]
    assert (io["tld"], io["register"], io["group"], io["redemption_period"]) == (
        ".io", {"USD": {1: "35.00"}, "EUR": {}, "GBP": {1: "28.00"}}, "sale", 45)
    assert "grace_period" not in io


# --- clients -------------------------------------------------------------------------------------


def test_clients_come_with_their_services_and_domains_and_made_up_personal_data(
    rich: Upstream, tmp_path: Path,
) -> None:
    data = import_scenario(rich, clients=5)
    text = scenario_yaml(data, source=rich.url, when=WHEN)

    assert [c["id"] for c in data["clients"]] == [1, 2, 3, 4, 5]
    assert [(s["id"], s["client"], s["pid"]) for s in data["services"]] == [
        (11, 1, 1), (12, 1, 2), (13, 1, 7), (14, 2, 1)]
    assert [(d["id"], d["domain"]) for d in data["domains"]] == [
        (21, "domain21.example"), (22, "domain22.com"), (23, "domain23.co.uk"), (24, "domain24.io")]
    assert [word for word in (*PERSONAL, *SECRETS) if word in text] == []
    assert import_scenario(rich, clients=5) == data  # the same made-up values every time

    with serve_process("--scenario", str(write(data, rich, tmp_path / "clients.yaml"))) as served:
        copy = Upstream(served.url, IDENTIFIER, SECRET)
        for clientid in (1, 2, 3):
            assert _client_facts(copy, clientid) == _client_facts(rich, clientid)


def _client_facts(upstream: Upstream, clientid: int) -> dict[str, Any]:
    """What an import keeps of a client, its services and domains (all but personal data)."""
    params = {"clientid": clientid}
    client = upstream.call("GetClientsDetails", params)
    services = importer._items(upstream.call("GetClientsProducts", params), "products", "product")
    domains = importer._items(upstream.call("GetClientsDomains", params), "domains", "domain")
    client_keys = ("status", "currency", "credit", "countrycode", "groupid", "language", "defaultgateway",
                   "taxexempt", "email_preferences")
    service_keys = ("id", "pid", "billingcycle", "status", "regdate", "nextduedate", "firstpaymentamount",
                    "recurringamount", "paymentmethod", "qty", "dedicatedip")
    domain_keys = ("id", "regtype", "registrar", "regperiod", "regdate", "expirydate", "nextduedate",
                   "status", "recurringamount", "paymentmethod", "dnsmanagement", "idprotection")
    return {
        "client": {key: client[key] for key in client_keys},
        "services": [{key: s[key] for key in service_keys} for s in services],
        "domains": [{key: d[key] for key in domain_keys} for d in domains],
    }


def test_departments_contacts_invoices_transactions_tickets_and_users_come_with_made_up_texts(
    rich: Upstream,
) -> None:
    data = import_scenario(rich, clients=5)

    # GetSupportDepartments shows no email address: the scenario's default ("") stands.
    assert data["support_departments"] == [{"id": 2, "name": "Sales"}, {"id": 5, "name": "Technical Support"}]
    # What GetContacts shows of a contact (the mock's shows no companyname: none is imported).
    assert data["clients"][0]["contacts"] == [
        {"id": 2, "firstname": "Casey", "lastname": "Archer", "email": "contact2@example.com",
         "address1": "2 Example Street", "city": "Exampleton",
         "phonenumber": "+1.5550000002", "country": "GB", "generalemails": False, "invoiceemails": True,
         "supportemails": True, "productemails": False, "domainemails": False, "affiliateemails": False},
        {"id": 5, "firstname": "Frankie", "lastname": "Archer", "email": "contact5@example.com",
         **{f"{kind}emails": False for kind in ("general", "invoice", "support", "product", "domain",
                                                "affiliate")}},
    ]
    assert data["invoices"][0] == {
        "id": 31, "client": 1, "status": "Paid", "date": "2025-03-04", "duedate": "2025-03-11",
        "datepaid": "2025-03-05 08:00:00", "paymentmethod": "stripe", "notes": "Notes of invoice 31",
        "taxrate": "20.000",
        "items": [{"id": 41, "type": "Hosting", "relid": 11, "description": "Item 41 of invoice 31",
                   "amount": "129.90", "taxed": True},
                  {"id": 42, "type": "DomainRegister", "relid": 21, "description": "Item 42 of invoice 31",
                   "amount": "19.90", "taxed": False}],
        "payments": [],
    }
    # Payments are the transactions naming their invoice, with the source's ids.
    assert [(t["id"], t["client"], t.get("invoice"), t["transid"], t["amountin"], t["amountout"])
            for t in data["transactions"]] == [
        (51, 1, 31, "ch_3NQ8x", "175.78", "0.00"), (52, 1, 32, "BT-7", "200.00", "0.00"),
        (53, 1, None, "re_1", "0.00", "10.00"), (54, 4, None, "", "50.00", "0.00")]
    ticket = data["tickets"][0]
    assert {key: ticket[key] for key in ("id", "tid", "client", "deptid", "subject", "message", "status",
                                         "priority", "cc", "flag")} == {
        "id": 61, "tid": "ABC-123456", "client": 1, "deptid": 5, "subject": "Ticket 61",
        "message": "Message 1 of ticket 61", "status": "Customer-Reply", "priority": "High",
        "cc": "cc61@example.com", "flag": 1}
    assert ticket["replies"] == [
        {"id": 1, "message": "Message 2 of ticket 61", "date": "2026-01-10 12:30:00", "admin": "Staff 1"},
        {"id": 2, "message": "Message 3 of ticket 61", "date": "2026-01-10 13:00:00"}]
    assert ticket["notes"] == [
        {"id": 1, "message": "Note 1 of ticket 61", "date": "2026-01-10 12:20:00", "admin": "Staff 1"}]
    assert "c" not in ticket  # the access key is never imported
    # Owners first: the first user listing a client owns it. No password is ever imported.
    assert [(u["id"], u["email"], u["clients"]) for u in data["users"]] == [
        (1, "user1@example.com", [1]), (2, "user2@example.com", [2]), (3, "user3@example.com", [4, 1]),
        (4, "user4@example.com", [3]), (5, "user5@example.com", [5])]
    assert data["users"][2]["datecreated"] == "2025-05-06 07:08:09"
    assert all("password" not in user for user in data["users"])


def test_each_client_list_is_read_a_page_at_a_time(rich: Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = import_scenario(rich, clients=5)
    monkeypatch.setattr(importer, "PAGE_SIZE", 1)

    paged = import_scenario(rich, clients=5)

    assert paged == whole
    assert [len(c["contacts"]) for c in paged["clients"]] == [2, 0, 0, 1, 0]
    assert [i["id"] for i in paged["invoices"]] == [31, 32, 33]
    assert [t["id"] for t in paged["tickets"]] == [61, 62, 63]


def test_keep_personal_data_keeps_it_but_never_a_service_password(rich: Upstream) -> None:
    data = import_scenario(rich, clients=1, keep_personal_data=True)

    grace = data["clients"][0]
    assert (grace["firstname"], grace["email"], grace["companyname"], grace["notes"]) == (
        "Grace", "grace@example.com", "Navy Labs", "VIP customer")
    assert (data["services"][0]["domain"], data["services"][0]["username"]) == ("navy.example", "navyuser")
    assert all("password" not in service for service in data["services"])


def test_clients_services_and_domains_are_read_a_page_at_a_time(
    rich: Upstream, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(importer, "PAGE_SIZE", 2)
    progress: list[str] = []

    data = import_scenario(rich, clients=9, progress=progress.append)

    assert [line for line in progress if "clients" in line] == [
        "importing clients 1-2 of 5…", "importing clients 3-4 of 5…", "importing clients 5-5 of 5…"]
    assert len(data["clients"]) == 5
    # Client 1 has three services and three domains: two pages each.
    assert [s["id"] for s in data["services"]] == [11, 12, 13, 14]
    assert [d["id"] for d in data["domains"]] == [21, 22, 23, 24]
    assert [c["id"] for c in import_scenario(rich, clients=3)["clients"]] == [1, 2, 3]


# --- what cannot be imported ---------------------------------------------------------------------


def test_the_header_says_where_and_when_and_what_is_not_imported() -> None:
    data = {"description": "Imported. Not imported: service 9 (its product 4 is not in the catalogue); "
                           "promotion A\nB's requires",
            "clients": [{"id": 1}]}

    text = scenario_yaml(data, source="https://billing.example.com/includes/api.php", when=WHEN)

    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header[:4] == [
        "# Imported from the WHMCS API at https://billing.example.com/includes/api.php",
        "# on 2026-12-01 09:30:00 UTC by: mockwhmcs import https://billing.example.com/includes/api.php "
        "--clients 1",
        "# Serve it with: mockwhmcs serve --scenario THIS_FILE",
        "# Not imported, as the WHMCS API does not tell them:",
    ]
    assert header[-3:] == ["# Not imported from this WHMCS:",
                           "#   - service 9 (its product 4 is not in the catalogue)",
                           "#   - promotion A B's requires"]


def test_a_service_of_a_product_not_imported_is_left_out_and_reported() -> None:
    reading = importer._Reading(Upstream("http://billing.example.com", "i", "s"), lambda _: None)
    reading.pids = {1, 2}

    assert reading._service({"id": 9, "pid": 4}, 1, False) is None
    assert reading.notes == ["service 9 (its product 4 is not in the catalogue)"]


def reading_of(answers: dict[str, Any]) -> importer._Reading:
    """An import whose source answers each action with ``answers[action]``."""
    reading = importer._Reading(Upstream("http://billing.example.com", "i", "s"), lambda _: None)
    reading.upstream.call = lambda action, params=None: answers[action]  # type: ignore[method-assign]
    return reading


def test_tickets_in_departments_or_statuses_not_imported_are_left_out_and_reported() -> None:
    reading = reading_of({})
    reading.deptids = {1}

    assert reading._ticket({"id": 7, "deptid": 4, "status": "Open"}, 1, False) is None
    assert reading._ticket({"id": 8, "deptid": 1, "status": "Escalated"}, 1, False) is None
    assert reading.notes == ["ticket 7 (its department 4 is not imported)", "ticket 8 (status 'Escalated')"]


def test_a_ticket_shaped_as_the_reference_example_gets_integer_ids() -> None:
    # GetTicket's example response in the API reference gives its ids as strings.
    replies = [{"replyid": "0", "message": "Opening"},
               {"replyid": "1", "message": "Reply", "admin": "Demo Admin", "date": "2016-01-01 06:27:00"}]
    reading = reading_of({"GetTicket": {
        "subject": "Help", "date": "2016-01-01 06:26:29", "replies": {"reply": replies},
        "notes": {"note": [{"noteid": "1", "message": "Note", "admin": "Demo Admin"}]}}})
    reading.deptids = {1}

    ticket = reading._ticket({"id": "3", "tid": "781438", "deptid": "1", "status": "Open", "priority": "Low"},
                             1, False)

    assert ticket == {"id": 3, "client": 1, "deptid": 1, "tid": "781438", "subject": "Ticket 3",
                      "message": "Message 1 of ticket 3", "status": "Open", "priority": "Low",
                      "date": "2016-01-01 06:26:29",
                      "replies": [{"id": 1, "message": "Message 2 of ticket 3", "date": "2016-01-01 06:27:00",
                                   "admin": "Staff 1"}],
                      "notes": [{"id": 1, "message": "Note 1 of ticket 3", "admin": "Staff 1"}]}


def test_transactions_of_invoices_not_imported_are_left_out_and_reported() -> None:
    rows = [{"id": 1, "invoiceid": 5, "date": "2026-01-01 10:00:00", "amountin": "5.00"},
            {"id": 2, "invoiceid": 6, "date": "2026-01-01 10:00:00", "amountin": "5.00"},
            {"id": 3, "invoiceid": 0, "date": "0000-00-00 00:00:00"},
            {"id": 4, "invoiceid": 0, "date": "2026-01-02 10:00:00", "amountout": "5.00", "refundid": 1}]
    reading = reading_of({"GetTransactions": {"transactions": {"transaction": rows}}})

    transactions = reading._transactions(1, {5})

    assert [(t["id"], t.get("invoice")) for t in transactions] == [(1, 5), (4, None)]
    assert reading.notes == ["transaction 2 (its invoice 6 is not imported)",
                             "transaction 3 (its date '0000-00-00 00:00:00')",
                             "transaction 4's refund of transaction 1"]


def test_an_invoice_of_a_status_the_scenario_cannot_hold_is_left_out_and_its_credit_reported() -> None:
    reading = reading_of({"GetInvoice": {"status": "Overdue"}})
    assert reading._invoice({"id": 9}, 1, False) is None
    reading = reading_of({"GetInvoice": {"status": "Paid", "credit": "5.00", "taxrate2": "0.000"}})
    assert reading._invoice({"id": 10}, 1, False) == {"id": 10, "client": 1, "status": "Paid", "items": [],
                                                     "payments": []}
    assert reading.notes == ["invoice 10's credit"]


def test_users_owning_each_others_clients_lose_the_access_no_order_can_keep() -> None:
    found = {"users": [{"id": 1, "email": "a@example.com"}, {"id": 2, "email": "b@example.com"}]}
    reading = reading_of({"GetUsers": found})
    # User 1 owns client 1 and accesses client 2; user 2 owns client 2 and accesses client 1.
    users = {1: {"email": "a@example.com", "owns": [1], "accesses": [2]},
             2: {"email": "b@example.com", "owns": [2], "accesses": [1]}}

    imported = reading._users(users, keep=True)

    assert [(u["id"], u["clients"]) for u in imported] == [(1, [1]), (2, [2, 1])]
    assert reading.notes == ["user 1's access to client 2 (listed first, it would own it)"]


def test_config_options_of_the_reference_example_become_scenario_config_options() -> None:
    # GetProducts' example response in the API reference.
    prices = {"msetupfee": "0.00", "monthly": "2.99", "quarterly": "0.00", "annually": "0.00"}
    product = {"pid": 1, "gid": 1, "type": "hostingaccount", "name": "Best Hosting Plan", "allowqty": 2,
               "pricing": {}, "customfields": {"customfield": []},
               "configoptions": {"configoption": [{
                   "id": 4, "name": "MultiPHP Services", "type": "3", "minqty": 1, "maxqty": 10,
                   "options": {"option": [{"id": 4, "name": "Include MultiPHP Options", "rawName": None,
                                           "recurring": 0, "required": None, "pricing": {"USD": prices}}]}}]}}
    reading = importer._Reading(Upstream("http://billing.example.com", "i", "s"), lambda _: None)

    assert reading._product(product)["configoptions"] == [{
        "id": 4, "name": "MultiPHP Services", "type": "yesno", "minqty": 1, "maxqty": 10,
        "options": [{"id": 4, "name": "Include MultiPHP Options", "pricing": {"USD": {"monthly": "2.99"}}}],
    }]
    assert reading.notes == []


# --- the command ---------------------------------------------------------------------------------


def mockwhmcs(*args: str, identifier: str = IDENTIFIER,
              secret: str = SECRET) -> subprocess.CompletedProcess[str]:
    # Credentials through the environment, as the docs advise: never on the command line.
    env = {**os.environ, "WHMCS_IDENTIFIER": identifier, "WHMCS_SECRET": secret}
    return subprocess.run([sys.executable, "-m", "mockwhmcs", *args], capture_output=True, text=True,
                          timeout=60, env=env)


def test_the_command_writes_a_scenario_that_validate_accepts_and_serve_serves(tmp_path: Path) -> None:
    output = tmp_path / "shop.yaml"
    with serve_process("--scenario", str(RICH)) as source:
        run = mockwhmcs("import", source.url, "--clients", "2", "-o", str(output),
                        identifier=RICH_IDENTIFIER, secret=RICH_SECRET)

    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        "mockwhmcs: importing currencies…", "mockwhmcs: importing payment methods…",
        "mockwhmcs: importing products…", "mockwhmcs: importing TLD pricing…",
        "mockwhmcs: importing promotions…", "mockwhmcs: importing support departments…",
        "mockwhmcs: importing clients 1-2 of 2…",
        f"mockwhmcs: wrote {output} (4 products, 4 TLDs, 4 promotions, 2 clients)",
    ]
    assert [p for p in tmp_path.iterdir()] == [output]  # no temporary file left behind
    text = output.read_text(encoding="utf-8")
    assert text.startswith(f"# Imported from the WHMCS API at {source.url}/includes/api.php\n")
    assert [word for word in SECRETS if word in text] == []
    assert mockwhmcs("validate", str(output)).returncode == 0
    assert len(load_scenario(output).data["clients"]) == 2
    with serve_process("--scenario", str(output)) as served:
        assert Upstream(served.url, IDENTIFIER, SECRET).call("GetProducts")["totalresults"] == 4


def test_without_output_the_scenario_goes_to_stdout() -> None:
    with serve_process() as source:
        run = mockwhmcs("import", source.url)

    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"# Imported from the WHMCS API at {source.url}/includes/api.php\n")
    assert "mockwhmcs: wrote" not in run.stderr


@pytest.fixture
def html_site() -> Iterator[str]:
    """A web server that is not WHMCS: every POST gets an HTML page."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = b"<html><body>Welcome to our shop</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def failing_source(tmp_path: Path) -> Iterator[Served]:
    scenario = tmp_path / "failing.yaml"
    scenario.write_text("extends: default\nfaults:\n  - {action: GetTLDPricing, error: Database error}\n")
    with serve_process("--scenario", str(scenario)) as served:
        yield served


@pytest.fixture
def odd_source(tmp_path: Path) -> Iterator[Served]:
    """A source whose GetProducts succeeds without what the reference page says a product has."""
    scenario = tmp_path / "odd.yaml"
    scenario.write_text("extends: default\nfaults:\n  - {action: GetProducts, status: 200, content_type: "
                        "application/json, body: '{\"result\":\"success\",\"totalresults\":1,"
                        "\"products\":{\"product\":[{\"name\":\"Starter\"}]}}'}\n")
    with serve_process("--scenario", str(scenario)) as served:
        yield served


@pytest.mark.parametrize(("case", "exit_code", "message"), [
    ("unreachable", 3, "mockwhmcs: cannot reach {url}/includes/api.php: connection refused"),
    ("bad secret", 4, "mockwhmcs: {url}/includes/api.php refused GetCurrencies (HTTP 403): "
                      "Authentication Failed"),
    ("html page", 5, "mockwhmcs: {url}/includes/api.php did not answer GetCurrencies like a WHMCS API: "
                     "HTTP 200, text/html: '<html><body>Welcome to our shop</body></html>'"),
    ("not the api", 5, "mockwhmcs: {url}/shop/index.php did not answer GetCurrencies like a WHMCS API: "
                       "HTTP 404"),
    ("whmcs error", 6, "mockwhmcs: GetTLDPricing failed on {url}/includes/api.php: Database error"),
    ("odd answer", 5, "mockwhmcs: {url}/includes/api.php answered in a shape mockwhmcs cannot import, "
                      "while importing products: KeyError 'pid'"),
])
def test_each_failure_is_one_line_and_its_exit_code_and_writes_nothing(
    case: str, exit_code: int, message: str, tmp_path: Path, request: pytest.FixtureRequest,
) -> None:
    output = tmp_path / "shop.yaml"
    output.write_text("# kept\n")
    secret = SECRET
    if case == "unreachable":
        port = _closed_port()
        url = f"http://127.0.0.1:{port}"
    elif case == "html page":
        url = request.getfixturevalue("html_site")
    elif case == "whmcs error":
        url = request.getfixturevalue("failing_source").url
    elif case == "odd answer":
        url = request.getfixturevalue("odd_source").url
    else:
        context = serve_process()
        url = context.__enter__().url
        request.addfinalizer(lambda: context.__exit__(None, None, None))
        secret = "wrong" if case == "bad secret" else SECRET
    target = f"{url}/shop/index.php" if case == "not the api" else url

    run = mockwhmcs("import", target, "-o", str(output), secret=secret)

    assert run.returncode == exit_code
    assert len(run.stderr.splitlines()) - run.stderr.count("mockwhmcs: importing") == 1, run.stderr
    assert run.stderr.splitlines()[-1].startswith(message.format(url=url))
    assert output.read_text() == "# kept\n"
    assert not list(tmp_path.glob(".shop.yaml*"))


def test_an_output_file_that_cannot_be_written_is_one_line_and_exit_1(tmp_path: Path) -> None:
    output = tmp_path / "missing" / "shop.yaml"
    with serve_process() as source:
        run = mockwhmcs("import", source.url, "-o", str(output))

    assert run.returncode == 1
    assert run.stderr.splitlines()[-1] == f"mockwhmcs: cannot write {output}: No such file or directory"
    assert not output.parent.exists()


def test_a_default_currency_with_another_id_becomes_id_1_and_clients_keep_their_currency() -> None:
    reading = importer._Reading(Upstream("http://billing.example.com", "i", "s"), lambda _: None)
    currencies = [{"id": 1, "code": "EUR", "prefix": "€", "suffix": "", "format": 3, "rate": "0.90000"},
                  {"id": 2, "code": "USD", "prefix": "$", "suffix": " USD", "format": 1, "rate": "1.00000"}]

    settings = reading._settings(currencies)

    assert settings == {"currency": {"code": "USD", "prefix": "$", "suffix": " USD", "format": 1},
                        "currencies": [{"id": 2, "code": "EUR", "prefix": "€", "suffix": "", "format": 3,
                                        "rate": "0.90000"}]}
    assert reading.notes == ["the default currency's id 2 (the scenario's default currency is id 1)"]
    client = reading._client({"id": 5}, {"currency": 1, "firstname": "Ann"}, keep=False)
    assert client["currency"] == "EUR"


# --- compare against the import ------------------------------------------------------------------


def test_compare_of_a_served_default_scenario_with_its_own_import_finds_no_difference() -> None:
    with serve_process() as source:
        result = CliRunner().invoke(main, ["compare", source.url, "--clients", "5"],
                                    env={"WHMCS_IDENTIFIER": IDENTIFIER, "WHMCS_SECRET": SECRET})

    lines = result.stdout.splitlines()
    assert result.exit_code == 0, result.output
    assert lines[0] == f"real: {source.url}/includes/api.php"
    assert lines[1].startswith(f"mock: scenario 127.0.0.1 (imported from {source.url}/includes/api.php), ")
    # The default scenario has no order and no invoice: neither side has one to look at.
    assert lines[2:] == [
        "GetOrders: skipped, real: GetOrders(limitnum=1) lists none; mock: GetOrders(limitnum=1) lists none",
        "GetInvoice: skipped, real: GetInvoices(limitnum=1) lists none; "
        "mock: GetInvoices(limitnum=1) lists none",
        "63 probes: 61 same, 0 different (0 differences), 0 different in data only, 2 skipped",
    ]
