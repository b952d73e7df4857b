"""Reading the dashboard's pages in tests: place orders through the API, fetch a page, read its words."""

from __future__ import annotations

import json
import re

from flask.testing import FlaskClient

from tests.support import AUTH

UI = "/_mock/ui"
# A hosting service with an addon and its domain registered: every kind of record an order can hold.
FULL_ORDER = ("action=AddOrder&clientid=1&paymentmethod=mailin&pid[0]=1&domain[0]=golden.com"
              "&billingcycle[0]=monthly&addons[0]=1&domaintype[0]=register&regperiod[0]=1")
SIMPLE_ORDER = "action=AddOrder&clientid=1&pid[0]=1&billingcycle[0]=monthly&paymentmethod=mailin"


def api(client: FlaskClient, body: str) -> dict:
    reply = client.post("/includes/api.php", data=f"{body}&responsetype=json&{AUTH}",
                        content_type="application/x-www-form-urlencoded")
    return json.loads(reply.data)


def place_order(client: FlaskClient, body: str = SIMPLE_ORDER) -> int:
    answer = api(client, body)
    assert answer["result"] == "success", answer
    return answer["orderid"]


def page(client: FlaskClient, path: str, status: int = 200) -> str:
    reply = client.get(UI + path)
    assert reply.status_code == status, reply.data
    assert reply.content_type == "text/html; charset=utf-8"
    return reply.get_data(as_text=True)


def text(html: str) -> str:
    """The page's words with the markup and runs of whitespace gone, to assert on what a reader sees."""
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" (?=[,.):])|(?<=\() ", "", words)
