"""The dashboard's pages through Flask's test client: what each shows, and what its forms do."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mockwhmcs import create_app
from mockwhmcs.app import engine_of
from mockwhmcs.store.scenario import parse_scenario
from tests.support import AUTH, SECRET
from tests.ui.helpers import FULL_ORDER, UI, api, page, place_order, text


def press(client: FlaskClient, order_id: int, action: str) -> str:
    """Press an order page button; returns the page it redirects to."""
    reply = client.post(f"{UI}/orders/{order_id}", data={"action": action})
    assert reply.status_code == 303
    assert reply.headers["Location"] == f"{UI}/orders/{order_id}?sent={action}"
    return text(page(client, f"/orders/{order_id}?sent={action}"))


def order_status(app: Flask, order_id: int) -> str:
    return engine_of(app).store.orders.get(order_id).status


# --- overview and orders -------------------------------------------------------------------------


@pytest.mark.parametrize("path", [UI, UI + "/"])
def test_the_dashboard_address_answers_the_overview_itself(client: FlaskClient, path: str) -> None:
    reply = client.get(path)
    assert reply.status_code == 200
    assert "<h1>Overview</h1>" in reply.get_data(as_text=True)


def test_overview_shows_both_clocks_and_record_counts(client: FlaskClient) -> None:
    place_order(client)
    accepted = place_order(client)
    api(client, f"action=AcceptOrder&orderid={accepted}")
    shown = text(page(client, "/"))
    assert "scenario default" in shown
    assert "WHMCS time 2026-01-15 10:00:00 (frozen; records carry this clock)" in shown
    assert "Journal 3 requests (received times are the wall clock)" in shown
    assert "2 Clients 1 Contacts 2 Orders 3 Services 0 Service addons 1 Domains 2 Invoices" in shown


def test_orders_are_listed_newest_first_with_client_amount_and_payment_status(client: FlaskClient) -> None:
    first, second = place_order(client), place_order(client, FULL_ORDER)
    api(client, f"action=AcceptOrder&orderid={first}")
    state = engine_of(client.application).store
    shown = text(page(client, "/orders"))
    rows = re.findall(r"Order (\d+) (\d+) Ada Lovelace (\w+) (\S+ USD) (\w+) 2026-01-15 10:00:00", shown)
    assert rows == [
        (str(second), state.orders.get(second).ordernum, "Pending", "$17.95 USD", "Unpaid"),
        (str(first), state.orders.get(first).ordernum, "Active", "$6.00 USD", "Unpaid"),
    ]


def test_the_orders_page_says_when_there_are_none(client: FlaskClient) -> None:
    assert "No orders yet" in page(client, "/orders")


def test_an_order_page_shows_its_services_addons_domains_and_invoice(client: FlaskClient) -> None:
    order_id = place_order(client, FULL_ORDER)
    html = page(client, f"/orders/{order_id}")
    shown = text(html)
    assert "Status Pending Client Ada Lovelace (id 1)" in shown
    assert re.search(r"Services, newest first .* Service \d+ Starter Ada Lovelace golden\.com Monthly "
                     r"\$5\.00 USD Pending", shown)
    assert re.search(r"Service addons, newest first .* Addon \d+ SSL Certificate Service \d+ Ada Lovelace "
                     r"Monthly \$2\.00 USD Pending", shown)
    assert re.search(r"Domains, newest first .* Domain \d+ golden\.com Ada Lovelace Register 1 Pending",
                     shown)
    assert re.search(r"Invoice \d+: total \$17\.95 USD, due 2026-01-15", shown)
    assert re.search(r"Invoice items, newest first .* Item \d+ Invoice \d+ DomainRegister Domain "
                     r"Registration - golden\.com .* Addon SSL Certificate .* \$2\.00 USD", shown)
    # Each of its records links to its own page.
    assert f'href="{UI}/invoices/1"' in html and f'href="{UI}/clients/1"' in html
    # The request that created the order is listed with it.
    assert re.search(r"API requests about this order.* 1 \S+ AddOrder 200 [\d.]+ ms success", shown)


def test_an_unknown_order_is_a_404_page(client: FlaskClient) -> None:
    assert "There is no order 99." in page(client, "/orders/99", 404)


# --- the order buttons ---------------------------------------------------------------------------


def test_accept_from_the_order_page_goes_through_the_api_and_is_journalled(
    app: Flask, client: FlaskClient
) -> None:
    order_id = place_order(client)
    shown = press(client, order_id, "AcceptOrder")
    assert order_status(app, order_id) == "Active"
    assert "AcceptOrder answered success (request 2)" in shown
    assert "Status Active" in shown
    entry = engine_of(app).journal.entries("AcceptOrder")[0].to_json()
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/includes/api.php", 200)
    assert entry["params"] == {"action": "AcceptOrder", "identifier": "mockwhmcs-identifier", "secret": "***",
                               "responsetype": "json", "orderid": str(order_id)}


@pytest.mark.parametrize(("action", "status"), [("CancelOrder", "Cancelled"), ("FraudOrder", "Fraud")])
def test_cancel_and_fraud_buttons_move_the_order(app: Flask, client: FlaskClient, action: str,
                                                 status: str) -> None:
    order_id = place_order(client)
    assert f"{action} answered success" in press(client, order_id, action)
    assert order_status(app, order_id) == status


def test_a_refused_action_shows_whmcs_own_error(client: FlaskClient) -> None:
    order_id = place_order(client)
    press(client, order_id, "AcceptOrder")
    shown = press(client, order_id, "AcceptOrder")
    assert "AcceptOrder answered error: Order ID not found or Status not Pending (request 3)" in shown


def test_fault_rules_apply_to_the_buttons(app: Flask, client: FlaskClient) -> None:
    order_id = place_order(client)
    engine_of(app).faults.add({"action": "AcceptOrder", "connection": "reset"})
    assert "AcceptOrder answered connection reset" in press(client, order_id, "AcceptOrder")
    assert order_status(app, order_id) == "Pending"


def test_the_buttons_send_only_the_order_actions(app: Flask, client: FlaskClient) -> None:
    order_id = place_order(client)
    reply = client.post(f"{UI}/orders/{order_id}", data={"action": "DeleteOrder"})
    assert reply.status_code == 400
    assert "AcceptOrder, CancelOrder, FraudOrder" in reply.get_data(as_text=True)
    assert len(engine_of(app).journal.entries()) == 1


def test_a_scenario_without_api_credentials_cannot_send() -> None:
    # With an admin of its own, a scenario gets no default credential either.
    locked = "name: locked\nadmins: [{username: root, password: pw}]\napi_credentials: []\n"
    client = create_app(parse_scenario(locked, source="test")).test_client()
    reply = client.post(f"{UI}/orders/1", data={"action": "AcceptOrder"})
    assert reply.status_code == 409
    assert "Scenario locked has no api_credentials" in reply.get_data(as_text=True)


def test_forms_posted_from_another_site_are_refused(app: Flask, client: FlaskClient) -> None:
    order_id = place_order(client)
    reply = client.post(f"{UI}/orders/{order_id}", data={"action": "AcceptOrder"},
                        headers={"Origin": "https://evil.example"})
    assert reply.status_code == 403
    assert order_status(app, order_id) == "Pending"
    same_site = client.post(f"{UI}/orders/{order_id}", data={"action": "AcceptOrder"},
                            headers={"Origin": "http://localhost"})
    assert same_site.status_code == 303


# --- journal -------------------------------------------------------------------------------------


def test_the_journal_lists_requests_newest_first_and_flags_problems(app: Flask, client: FlaskClient) -> None:
    place_order(client)
    engine_of(app).faults.add({"action": "GetProducts", "status": 503, "body": "down"})
    client.post("/includes/api.php", data=f"action=GetProducts&{AUTH}&pdi=1")
    api(client, "action=AcceptOrder&orderid=99")
    html = page(client, "/journal")
    shown = text(html)
    assert re.search(r"3 \S+ AcceptOrder 200 [\d.]+ ms error: Order ID not found or Status not Pending "
                     r"2 \S+ GetProducts 503 [\d.]+ ms HTTP 503 fault #1 1 warning "
                     r"1 \S+ AddOrder 200 [\d.]+ ms success", shown)
    assert html.count('<tr class="problem') == 2


def test_the_journal_filters_by_action(client: FlaskClient) -> None:
    place_order(client)
    api(client, "action=GetProducts")
    shown = text(page(client, "/journal?action=getproducts"))
    assert "getproducts requests, newest first" in shown
    assert "GetProducts" in shown and "AddOrder" not in shown.split("newest first")[1]
    options = re.findall(r'<option value="(\w*)"', page(client, "/journal"))
    assert options == ["", "AddOrder", "GetProducts"]


def test_a_journal_entry_shows_decoded_params_and_the_response(client: FlaskClient) -> None:
    place_order(client, FULL_ORDER + "&noemial=1")
    html = page(client, "/journal/1")
    shown = text(html)
    assert "Request 1: AddOrder" in shown
    assert "Request POST /includes/api.php HTTP status 200 Answer success" in shown
    assert 'unknown parameter "noemial" for AddOrder' in html.replace("&#34;", '"')
    assert '"pid": { "0": "1" }' in shown.replace("&#34;", '"')
    assert '"secret": "***"' in shown.replace("&#34;", '"')
    assert '"orderid": 1' in shown.replace("&#34;", '"')


@pytest.mark.parametrize(("note", "shown"), [
    ({"upstream": "https://whmcs.example.com/includes/api.php", "saved": "0001-getproducts.json"},
     "Answered by the WHMCS at https://whmcs.example.com/includes/api.php, saved as 0001-getproducts.json"),
    ({"replayed": "0001-getproducts.json"}, "Answered by the recording 0001-getproducts.json"),
])
def test_a_journal_entry_says_when_a_recorded_or_replayed_exchange_answered(
        app: Flask, client: FlaskClient, note: dict[str, str], shown: str) -> None:
    engine_of(app).journal.record(received=0.0, method="POST", path="/includes/api.php", action="GetProducts",
                                  params={}, status=200, response={"result": "success"}, fault=None,
                                  warnings=[], duration_ms=1.0, note=note)
    assert shown in text(page(client, "/journal/1"))


def test_an_answer_of_the_engine_names_no_other_source(client: FlaskClient) -> None:
    api(client, "action=GetProducts")
    assert "Answered by" not in text(page(client, "/journal/1"))


def test_a_request_no_longer_in_the_journal_is_a_404_page(client: FlaskClient) -> None:
    assert "Request #5 is not in the journal" in page(client, "/journal/5", 404)


def test_what_clients_sent_is_escaped(client: FlaskClient) -> None:
    api(client, "action=GetProducts&pid=<script>alert(1)</script>")
    html = page(client, "/journal/1")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- faults, reset and the page shell ------------------------------------------------------------


def test_fault_rules_are_added_listed_and_removed(app: Flask, client: FlaskClient) -> None:
    reply = client.post(f"{UI}/faults", data={"action": "AcceptOrder", "when": "orderid=5", "times": "2",
                                             "error": "Server busy", "status": "", "connection": ""})
    assert (reply.status_code, reply.headers["Location"]) == (303, f"{UI}/faults")
    assert engine_of(app).faults.to_json() == [{
        "id": 1, "action": "AcceptOrder", "when": {"orderid": "5"}, "after": 0, "times": 2,
        "probability": 1.0, "delay": 0.0, "error": "Server busy", "matched": 0, "fired": 0,
    }]
    assert re.search(r'1 AcceptOrder \{"orderid": "5"\} error: Server busy 0 2 1\.0 0\.0 s 0 0 Remove',
                     text(page(client, "/faults")).replace("&#34;", '"'))

    assert client.post(f"{UI}/faults/1/remove").status_code == 303
    assert engine_of(app).faults.to_json() == []
    assert "No fault rules" in page(client, "/faults")


def test_a_bad_fault_rule_is_refused_with_every_problem_and_the_form_kept(
    app: Flask, client: FlaskClient
) -> None:
    reply = client.post(f"{UI}/faults", data={"action": "AddOrder", "status": "soon", "connection": "reset"})
    html = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "status: &#39;soon&#39; is not of type &#39;integer&#39;" in html
    assert "a fault has one outcome; give only one of status, connection" in html
    assert 'value="AddOrder"' in html and '<option value="reset" selected>' in html
    assert engine_of(app).faults.to_json() == []


def test_reset_puts_the_scenario_back(app: Flask, client: FlaskClient) -> None:
    place_order(client)
    engine_of(app).faults.add({"action": "*", "error": "down"})
    reply = client.post(f"{UI}/reset")
    assert (reply.status_code, reply.headers["Location"]) == (303, f"{UI}/")
    engine = engine_of(app)
    assert (len(engine.store.orders), engine.journal.entries(), engine.faults.to_json()) == (0, [], [])


@pytest.mark.parametrize("path", ["/", "/orders", "/orders/1", "/clients", "/clients/1", "/invoices/1",
                                  "/journal", "/journal/1", "/faults"])
def test_every_page_ships_its_own_assets_and_never_shows_the_secret(client: FlaskClient, path: str) -> None:
    place_order(client)
    html = page(client, path)
    assert SECRET not in html
    assets = re.findall(r'(?:href|src)="([^"#]+)"', html)
    assert assets and all(asset.startswith(UI) for asset in assets), assets
    assert '<main id="main"' in html and 'aria-label="Dashboard"' in html
    for asset in ("dashboard.css", "dashboard.js"):
        assert client.get(f"{UI}/static/{asset}").status_code == 200
