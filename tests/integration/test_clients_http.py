"""Clients and users over a real socket, with bodies encoded as PHP's http_build_query sends them.

The portal flow a hosting integration runs (ValidateLogin -> GetUsers -> GetClientsDetails ->
GetClientsProducts -> CreateSsoToken) and GetClients paging through a thousand clients.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.support import AUTH, Http, serve

CLIENTS = 1000


def call(api: Http, action: str, **params: Any) -> dict[str, Any]:
    # urlencode quotes like http_build_query (spaces as +, @ as %40); booleans go as 1 and 0.
    body = urlencode({"action": action, "responsetype": "json", **params})
    reply = api.post(f"{AUTH}&{body}")
    assert reply.status == 200
    result: dict[str, Any] = json.loads(reply.body)
    return result


def test_portal_login_reads_the_account_and_signs_the_user_in(api: Http) -> None:
    order = call(api, "AddOrder", clientid=1, **{"pid[0]": 1, "billingcycle[0]": "monthly"},
                 paymentmethod="mailin")
    login = call(api, "ValidateLogin", email="ada@example.com", password2="ada-password")
    assert (login["result"], login["userid"], login["twoFactorEnabled"]) == ("success", 1, False)
    assert re.fullmatch(r"[0-9a-f]{40}", login["passwordhash"])

    (user,) = call(api, "GetUsers", search="ada@example.com")["users"]
    (account,) = user["clients"]
    assert (user["id"], account) == (login["userid"], {"id": 1, "isOwner": True})

    details = call(api, "GetClientsDetails", clientid=account["id"], stats=1)
    assert (details["email"], details["client"]["fullname"], details["stats"]["productsnumtotal"]) == (
        "ada@example.com", "Ada Lovelace", 2)
    assert details["client"]["users"]["user"][0]["is_owner"] is True
    assert details["lastlogin"].startswith("Date: 15/01/2026 10:00<br>IP Address: 127.0.0.1")

    invoices = call(api, "GetInvoices", userid=account["id"])["invoices"]["invoice"]
    assert [(invoice["id"], invoice["status"]) for invoice in invoices] == [(order["invoiceid"], "Unpaid")]

    products = call(api, "GetClientsProducts", clientid=account["id"])["products"]["product"]
    service = products[0]["id"]
    sso = call(api, "CreateSsoToken", client_id=account["id"], user_id=login["userid"],
               destination="clientarea:product_details", service_id=service)
    assert sso["redirect_url"] == f"http://localhost/oauth/singlesignon.php?access_token={sso['access_token']}"


def test_a_wrong_password_is_refused(api: Http) -> None:
    assert call(api, "ValidateLogin", email="ada@example.com", password2="nope") == {
        "result": "error", "message": "Email or Password Invalid"}


def test_client_text_is_cleaned_and_email_preferences_arrive_as_a_php_array(api: Http) -> None:
    added = call(api, "AddClient", firstname="Tom", lastname="& <Jerry>", email="tom+jerry@example.com",
                 address1="1 Road", city="Town", state="ST", postcode="12345", country="US",
                 phonenumber="800-555-1234", password2="p&ss w+rd")
    assert added == {"result": "success", "clientid": 3, "owner_id": 3}
    updated = call(api, "UpdateClient", clientid=3, **{"email_preferences[invoice]": 0,
                                                         "email_preferences[general]": "False"})
    assert updated == {"result": "success", "clientid": 3}
    client = call(api, "GetClientsDetails", email="tom+jerry@example.com")["client"]
    assert (client["fullname"], client["email_preferences"]["invoice"],
            client["email_preferences"]["general"]) == ("Tom &amp; &lt;Jerry&gt;", "0", "1")
    assert call(api, "ValidateLogin", email="tom+jerry@example.com", password2="p&ss w+rd")["userid"] == 3


def test_get_clients_is_xml_by_default_and_refuses_nvp(api: Http) -> None:
    reply = api.post(f"action=GetClients&{AUTH}&limitnum=1")
    assert reply.content_type.startswith("application/xml")
    assert "<clients>\n<client>\n<id>1</id>" in reply.text
    refused = api.post(f"action=GetClients&{AUTH}&responsetype=nvp")
    assert refused.text == (
        "result=error;message=This API action only supports the XML or JSON response type formats")


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Http]:
    """A scenario of a thousand clients, generated."""
    path: Path = tmp_path_factory.mktemp("crowded") / "crowded.yaml"
    lines = ["extends: default", "clients:"]
    lines += [f"  - {{id: {number}, firstname: F{number}, lastname: L, email: c{number}@example.com}}"
              for number in range(3, CLIENTS + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    yield from serve(path)


@pytest.mark.parametrize(("params", "total", "first", "last", "count"), [
    ({}, CLIENTS, 1, 25, 25),
    ({"limitstart": 975, "limitnum": 100}, CLIENTS, 976, 1000, 25),
    ({"limitstart": 500, "limitnum": 10, "sorting": "DESC"}, CLIENTS, 500, 491, 10),
    ({"limitstart": 1000}, CLIENTS, None, None, 0),
    ({"search": "F99", "limitnum": 5}, 11, 99, 993, 5),
    ({"status": "Closed"}, 1, 2, 2, 1),
])
def test_get_clients_pages_through_a_thousand_clients(
    crowded: Http, params: dict[str, Any], total: int, first: int | None, last: int | None, count: int,
) -> None:
    page = call(crowded, "GetClients", **params)
    ids = [client["id"] for client in page["clients"]["client"]] if count else []
    assert (page["totalresults"], page["numreturned"], len(ids)) == (total, count, count)
    assert page["startnumber"] == params.get("limitstart", 0)
    if count:
        assert (ids[0], ids[-1]) == (first, last)
        assert "clients" in page
    else:
        assert "clients" not in page
