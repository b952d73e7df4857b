"""The dashboard's record pages: a paged list per table, a page per record, the overview's links to
them, the front page at /, and that a page reads only the rows it shows, however big the store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from flask import Flask, before_render_template
from flask.testing import FlaskClient

from mockwhmcs.app import engine_of
from mockwhmcs.store.models import Order
from mockwhmcs.store.store import Store
from mockwhmcs.ui.listings import LISTINGS
from mockwhmcs.ui.paging import PAGE_SIZE
from tests.ui.helpers import FULL_ORDER, UI, api, page, place_order, text


def store_of(client: FlaskClient) -> Store:
    return engine_of(client.application).store


@pytest.fixture
def busy(client: FlaskClient) -> FlaskClient:
    """Two full orders, one accepted with its module run and the other's invoice paid, and credit for the
    closed client: a row in every table the dashboard lists."""
    first = place_order(client, FULL_ORDER)
    second = place_order(client, FULL_ORDER)
    assert api(client, f"action=AcceptOrder&orderid={first}&autosetup=1")["result"] == "success"
    invoice = store_of(client).orders.rows[second].invoiceid
    assert api(client, f"action=AddInvoicePayment&invoiceid={invoice}&transid=TX-1&gateway=mailin"
                       "&date=2026-01-15")["result"] == "success"
    assert api(client, "action=AddCredit&clientid=2&description=Goodwill&amount=5")["result"] == "success"
    return client


def listed_ids(html: str, noun: str) -> list[int]:
    """The ids of the rows a list shows, in order, from each row's own link."""
    anchor = noun.lower().replace(" ", "-")
    return [int(row_id) for row_id in re.findall(rf'<a id="{anchor}-(\d+)"', html)]


def record_path(table: str, row_id: int) -> str:
    return f"{UI}/{table}/{row_id}"


def add_orders(store: Store, count: int, kind: type[Order] = Order) -> None:
    """``count`` orders for client 1 straight into the table, as if placed one after another."""
    for _ in range(count):
        order_id = store.orders.new_id()
        store.orders.add(kind(id=order_id, ordernum=str(1_000_000 + order_id), userid=1,
                              date="2026-01-15 10:00:00"))


# --- a page per table and per record -----------------------------------------------------------------


@pytest.mark.parametrize("table", list(LISTINGS))
def test_every_table_lists_its_rows_newest_first_each_linking_to_its_page(busy: FlaskClient,
                                                                           table: str) -> None:
    listing = LISTINGS[table]
    rows = list(store_of(busy).tables()[table])
    assert rows, f"the fixture should give {table} a row"
    html = page(busy, f"/{table}")
    assert listed_ids(html, listing.noun) == sorted((row.id for row in rows), reverse=True)
    for row in rows:
        assert f'href="{record_path(table, row.id)}"' in html
    assert f"{listing.title}, newest first" in text(html)


@pytest.mark.parametrize("table", list(LISTINGS))
def test_every_record_has_a_page_with_its_fields_and_an_unknown_one_is_a_404(busy: FlaskClient,
                                                                             table: str) -> None:
    listing = LISTINGS[table]
    row = next(iter(store_of(busy).tables()[table]))
    reply = busy.get(record_path(table, row.id))
    assert reply.status_code == 200
    assert f"{listing.noun} {row.id}" in text(reply.get_data(as_text=True))
    missing = busy.get(record_path(table, 9999))
    assert missing.status_code == 404
    assert f"There is no {listing.noun.lower()} 9999." in missing.get_data(as_text=True)


def test_a_client_page_shows_the_client_and_its_records(busy: FlaskClient) -> None:
    html = page(busy, "/clients/1")
    shown = text(html)
    assert "firstname Ada lastname Lovelace email ada@example.com status Active" in shown
    assert "credit 0.00" in shown
    for title, table in [("Orders", "orders"), ("Services", "services"), ("Domains", "domains"),
                         ("Invoices", "invoices"), ("Emails", "emails")]:
        assert f"{title}, newest first" in shown
        for row in store_of(busy).tables()[table].where("userid", 1):
            assert f'href="{record_path(table, row.id)}"' in html
    assert re.search(r"Order 2 \d+ Ada Lovelace Pending \$17\.95 USD Paid 2026-01-15 10:00:00 "
                     r"Order 1 \d+ Ada Lovelace Active \$17\.95 USD Unpaid", shown)


def test_an_invoice_page_shows_its_items(busy: FlaskClient) -> None:
    shown = text(page(busy, "/invoices/1"))
    assert "userid Client 1 date 2026-01-15 duedate 2026-01-15 status Unpaid" in shown
    assert "subtotal 17.95" in shown and "total 17.95" in shown
    assert re.search(r"Invoice items, newest first .* Item 3 Invoice 1 DomainRegister Domain Registration - "
                     r"golden\.com .* \$9\.95 USD Item 2 Invoice 1 Addon SSL Certificate .* \$2\.00 USD "
                     r"Item 1 Invoice 1 Hosting Shared Hosting - Starter - golden\.com .* \$6\.00 USD", shown)


def test_a_service_page_shows_its_addons_and_module_calls(busy: FlaskClient) -> None:
    service = store_of(busy).services.where("orderid", 1)[0]
    shown = text(page(busy, f"/services/{service.id}"))
    assert "orderid Order 1 packageid 1 regdate 2026-01-15 billingcycle Monthly status Active" in shown
    assert re.search(rf"Service addons, newest first .* Addon 1 SSL Certificate Service {service.id} ", shown)
    assert re.search(rf"Module log, newest first .* Module call 1 2026-01-15 10:00:00 cpanel create "
                     rf"Service {service.id} success", shown)


def test_record_pages_mask_secrets(busy: FlaskClient) -> None:
    service = store_of(busy).services.where("orderid", 1)[0]
    service.password = "hunter2"
    html = page(busy, f"/services/{service.id}")
    assert "hunter2" not in html and "password ***" in text(html)


def test_record_dates_and_journal_times_say_which_clock(busy: FlaskClient) -> None:
    assert "Date (WHMCS time)" in page(busy, "/orders")
    assert "Date (WHMCS time)" in page(busy, "/orders/1")
    assert "Received (wall clock, UTC)" in page(busy, "/journal")
    assert "Received (wall clock, UTC)" in page(busy, "/orders/1")
    assert "dates are WHMCS time" in page(busy, "/clients/1")


def test_an_unknown_table_is_a_404_page(client: FlaskClient) -> None:
    assert "The dashboard has no page &#39;widgets&#39;." in page(client, "/widgets", 404)


# --- paging ------------------------------------------------------------------------------------------


def test_a_long_list_is_paged_newest_first_with_links_between_pages(client: FlaskClient) -> None:
    total = 2 * PAGE_SIZE + 20
    add_orders(store_of(client), total)
    html = page(client, "/orders")
    assert listed_ids(html, "Order") == list(range(total, total - PAGE_SIZE, -1))
    assert f"Orders, newest first (1\N{EN DASH}{PAGE_SIZE} of {total})" in text(html)
    assert "Page 1 of 3" in text(html) and 'rel="prev"' not in html

    second = client.get(next_link(html)).get_data(as_text=True)
    assert listed_ids(second, "Order") == list(range(total - PAGE_SIZE, total - 2 * PAGE_SIZE, -1))
    assert re.search(rf'<a href="{UI}/orders" rel="prev">', second)

    last = client.get(next_link(second)).get_data(as_text=True)
    assert listed_ids(last, "Order") == list(range(20, 0, -1))
    assert "Page 3 of 3" in text(last) and 'rel="next"' not in last
    assert f'href="{UI}/orders?page=1"' not in html + second + last  # page 1 has one address


def next_link(html: str) -> str:
    found = re.search(r'<a href="([^"]+)" rel="next">', html)
    assert found, "no link to the next page"
    return found.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("number", ["0", "4", "x", "-1"])
def test_a_page_that_cannot_exist_is_a_404(client: FlaskClient, number: str) -> None:
    add_orders(store_of(client), 2 * PAGE_SIZE + 20)
    assert "There is no page" in page(client, f"/orders?page={number}", 404)


def test_an_empty_list_has_its_first_page(client: FlaskClient) -> None:
    assert "No orders yet." in page(client, "/orders")


def test_a_list_keeps_one_clients_rows_and_pages_through_them(client: FlaskClient) -> None:
    store = store_of(client)
    place_order(client, FULL_ORDER)
    html = page(client, "/services?userid=2")
    assert "No services yet." in html and f'href="{UI}/clients/2"' in html
    add_orders(store, PAGE_SIZE + 5)
    first = page(client, "/orders?userid=1")
    assert "Orders of Client 1, newest first (1\N{EN DASH}50 of 56)" in text(first)
    second = client.get(next_link(first)).get_data(as_text=True)
    assert next_link(first) == f"{UI}/orders?userid=1&page=2"
    assert listed_ids(second, "Order") == list(range(6, 0, -1))
    assert "is no userid" in page(client, "/orders?userid=x", 404)


def test_a_record_page_shows_the_first_page_of_its_rows_and_links_to_them_all(client: FlaskClient) -> None:
    add_orders(store_of(client), PAGE_SIZE + 1)
    html = page(client, "/clients/1")
    assert len(listed_ids(html, "Order")) == PAGE_SIZE
    assert f'<a href="{UI}/orders?userid=1">All {PAGE_SIZE + 1} orders</a>' in html


# --- the overview and the way in -----------------------------------------------------------------------


def test_the_overview_links_every_table_with_its_count(busy: FlaskClient) -> None:
    html = page(busy, "/")
    for table, listing in LISTINGS.items():
        count = len(store_of(busy).tables()[table])
        link = re.search(rf'<a id="overview-{table.replace("_", "-")}" href="{UI}/{table}">(.*?)</a>', html)
        assert link, f"the overview does not link {table}"
        assert text(link.group(1)) == f"{count} {listing.title}"
        assert busy.get(f"{UI}/{table}").status_code == 200


def test_the_header_links_the_main_tables(client: FlaskClient) -> None:
    html = page(client, "/")
    for table in ("clients", "orders", "services", "domains", "invoices", "emails", "module_log"):
        assert f'<li><a href="{UI}/{table}">{LISTINGS[table].title}</a></li>' in html


def test_the_front_page_points_at_the_api_the_dashboard_and_the_control_api(client: FlaskClient) -> None:
    reply = client.get("/")
    html = reply.get_data(as_text=True)
    assert (reply.status_code, reply.content_type) == (200, "text/html; charset=utf-8")
    assert "running scenario <strong>default</strong>" in html
    for address in ("/includes/api.php", f"{UI}/", "/_mock/health"):
        assert f'href="{address}"' in html


def test_the_front_page_is_public_and_the_dashboard_stays_guarded(client: FlaskClient) -> None:
    elsewhere = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/", environ_base=elsewhere).status_code == 200
    refused = client.get(UI, environ_base=elsewhere)
    assert refused.status_code == 403 and "loopback callers only" in refused.json["error"]


# --- a page costs its rows, not the store ------------------------------------------------------------


class WatchedOrder(Order):
    """An order that notes each read of it, and whether the reader held the store lock."""

    reads: ClassVar[list[tuple[int, bool]]] = []
    store: ClassVar[Store | None] = None

    def __getattribute__(self, name: str) -> Any:
        watched = type(self)
        if watched.store is not None and not name.startswith("__"):
            watched.reads.append((object.__getattribute__(self, "id"), watched.store.lock._is_owned()))
        return object.__getattribute__(self, name)


@pytest.fixture
def big(app: Flask, client: FlaskClient) -> Iterator[tuple[FlaskClient, list[bool]]]:
    """50,000 orders of client 1 that note their reads; the second item notes, for each page rendered,
    whether the store lock was held while it rendered."""
    store = store_of(client)
    add_orders(store, 50_000, WatchedOrder)
    rendering: list[bool] = []

    def rendered(*_: Any, **__: Any) -> None:
        rendering.append(store.lock._is_owned())

    WatchedOrder.store, WatchedOrder.reads = store, []
    with before_render_template.connected_to(rendered, app):
        yield client, rendering
    WatchedOrder.store = None


@pytest.mark.parametrize(("path", "shown"), [
    ("/orders", range(50_000, 50_000 - PAGE_SIZE, -1)),
    ("/orders?page=600", range(20_050, 20_000, -1)),
    ("/orders?userid=1&page=1000", range(50, 0, -1)),
    ("/clients/1", range(50_000, 50_000 - PAGE_SIZE, -1)),
    ("/orders/12345", [12345]),
    ("/", []),
])
def test_a_page_of_a_huge_store_reads_only_its_own_rows_under_the_lock(
    big: tuple[FlaskClient, list[bool]], path: str, shown: range | list[int]
) -> None:
    client, rendering = big
    page(client, path)
    read = WatchedOrder.reads
    assert {order_id for order_id, _ in read} == set(shown)
    assert all(locked for _, locked in read), "rows were read without the store lock"
    assert rendering == [False], "the page rendered holding the store lock"
