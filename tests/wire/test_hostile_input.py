"""Hostile input found by the fuzz tests (tests/fuzz), pinned: each answered a mockwhmcs internal error,
an unreadable document or took seconds, before it was fixed. And the caps that keep decoding linear."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from flask import Flask

from mockwhmcs.app import create_app
from mockwhmcs.wire.phpform import MAX_INPUT_VARS, MAX_NESTING, decode_query
from mockwhmcs.wire.render import render
from tests.support import AUTH, TEST_SCENARIOS

MB = 1024 * 1024


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app("default")


def post(app: Flask, body: bytes, content_type: str = "application/x-www-form-urlencoded",
         query: str = "", **environ: str) -> tuple[int, str]:
    reply = app.test_client().post(f"/includes/api.php?{query}", data=body, content_type=content_type,
                                   environ_base=environ)
    return reply.status_code, reply.get_data(as_text=True)


def test_a_multipart_body_that_does_not_parse_is_an_empty_body_as_in_php(app: Flask) -> None:
    status, body = post(app, b"action=GetOrders", content_type="multipart/form-data; boundary=x",
                        query=f"action=GetOrderStatuses&{AUTH}&responsetype=json")
    assert (status, body[:21]) == (200, '{"result":"success","')


def test_a_multipart_part_without_a_readable_name_is_skipped(app: Flask) -> None:
    parts = b'--b\r\nContent-Disposition: form-data; name="\r"\r\n\r\nx\r\n' \
            b'--b\r\nContent-Disposition: form-data; name="responsetype"\r\n\r\njson\r\n--b--\r\n'
    status, body = post(app, parts, content_type="multipart/form-data; boundary=b",
                        query=f"action=GetOrderStatuses&{AUTH}")
    assert (status, body[:21]) == (200, '{"result":"success","')


@pytest.mark.parametrize("length", ["\u00b2", "x", "-1", ""])
def test_a_content_length_that_is_no_number_declares_no_body(app: Flask, length: str) -> None:
    reply = app.test_client().post("/includes/api.php", query_string=f"action=GetOrderStatuses&{AUTH}",
                                   data="responsetype=json", environ_overrides={"CONTENT_LENGTH": length})
    # The body was not read, so no responsetype=json: GetOrderStatuses answers in its default, XML.
    assert reply.status_code == 200 and "<result>success</result>" in reply.get_data(as_text=True)


def test_a_content_length_of_a_thousand_digits_is_too_large(app: Flask) -> None:
    reply = app.test_client().post("/includes/api.php", data="action=GetOrders",
                                   environ_overrides={"CONTENT_LENGTH": "9" * 1000})
    assert reply.status_code == 413


def test_xml_answers_stay_well_formed_whatever_characters_clients_sent() -> None:
    sent = "a\x00b\x08c\x1f<d>\ufffe"
    body = render("xml", {"result": "success", "clientid": sent}, action="x", version="1")
    assert ET.fromstring(body).findtext("clientid") == "a\ufffdb\ufffdc\ufffd<d>\ufffd"


@pytest.mark.parametrize("params", ["limitstart=9223372036854775807", "limitnum=9223372036854775807",
                                    "limitstart=5&limitnum=9223372036854775807"])
def test_get_orders_pages_past_any_index(app: Flask, params: str) -> None:
    status, body = post(app, f"action=GetOrders&{AUTH}&responsetype=json&{params}".encode())
    assert status == 200 and '"result":"success"' in body


@pytest.mark.parametrize("pid", ["\u00b2", "9" * 5000, "1,\u00b2"])
def test_get_products_reads_any_pid_like_php(app: Flask, pid: str) -> None:
    status, body = post(app, f"action=GetProducts&{AUTH}&responsetype=json&pid={pid}".encode())
    assert status == 200 and '"result":"success"' in body


@pytest.fixture(scope="module")
def shop() -> Flask:
    return create_app(TEST_SCENARIOS / "addorder.yaml")


def test_a_price_override_past_whmcs_columns_is_stored_at_their_limit(shop: Flask) -> None:
    order = f"action=AddOrder&{AUTH}&responsetype=json&clientid=1&paymentmethod=mailin&pid[0]=1"
    status, body = post(shop, f"{order}&priceoverride[0]={'9' * 40}".encode())
    assert status == 200 and '"result":"success"' in body
    invoice = json.loads(body)["invoiceid"]
    status, body = post(shop, f"action=GetInvoice&{AUTH}&responsetype=json&invoiceid={invoice}".encode())
    assert json.loads(body)["total"] == "99999999999999.99"


def test_an_order_for_more_services_than_the_mock_creates_is_refused_before_anything_is_written(
        shop: Flask) -> None:
    # Product 7 is allowqty "multiple": one service per unit ordered.
    orders = len(shop.test_client().get("/_mock/state").get_json()["orders"])
    status, body = post(shop, f"action=AddOrder&{AUTH}&clientid=1&paymentmethod=mailin&pid[0]=7"
                              f"&qty[0]=9223372036854775807".encode())
    assert status == 200
    assert body == ("result=error;message=mockwhmcs creates at most 1000 services in one order, "
                    "not 9223372036854775807")
    assert len(shop.test_client().get("/_mock/state").get_json()["orders"]) == orders


# --- decoding stays linear -------------------------------------------------------------------------

HOSTILE: dict[str, Callable[[int], bytes]] = {
    "brackets": lambda size: b"a" + b"[]" * (size // 2) + b"=1",
    "unclosed brackets": lambda size: b"a" + b"[" * size,
    "long index": lambda size: b"a[" + b"9" * size + b"]=1",
    "many variables": lambda size: b"&".join([b"a[]=1"] * (size // 6)),
    "deep variables": lambda size: b"&".join([b"v" + b"[x]" * MAX_NESTING + b"=1"] * (size // 200)),
    "separators": lambda size: b"&" * size,
    "lone percents": lambda size: b"a=" + b"%" * size,
    "escapes": lambda size: b"a=" + b"%41" * (size // 3),
}


def _seconds(body: bytes) -> float:
    """The CPU time decoding takes (the best of five): a ratio of two of these is a complexity check,
    which other processes on a loaded machine do not sway the way they sway the wall clock."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        decode_query(body)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("shape", HOSTILE)
def test_decoding_a_hostile_body_takes_time_in_proportion_to_its_size(shape: str) -> None:
    small, large = _seconds(HOSTILE[shape](MB)), _seconds(HOSTILE[shape](4 * MB))
    # Four times the bytes: about four times the time; quadratic decoding would take sixteen. The
    # margin up to eight absorbs what a loaded machine does to caches (six failed once under -n2).
    assert large < 8 * small + 0.05, f"{shape}: 1 MB in {small:.3f} s, 4 MB in {large:.3f} s"


def test_php_caps_variables_and_nesting() -> None:
    decoded = decode_query(b"&".join(b"v%d=1" % number for number in range(5 * MAX_INPUT_VARS)))
    assert len(decoded) == MAX_INPUT_VARS
    assert decode_query(b"a" + b"[x]" * (MAX_NESTING + 1) + b"=1") == {}
    nested = decode_query(b"a" + b"[x]" * MAX_NESTING + b"=1")["a"]
    for _ in range(MAX_NESTING - 1):
        nested = nested["x"]
    assert nested == {"x": "1"}
