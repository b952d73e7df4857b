import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from mockwhmcs.wire.render import CONTENT_TYPES, render

FIXTURES = Path(__file__).parents[2] / "fixtures" / "render"

ERROR = {"result": "error", "message": "Authentication Failed"}
PRODUCTS = {
    "result": "success",
    "totalresults": 1,
    "products": {
        "product": [
            {
                "pid": 1,
                "gid": 1,
                "type": "hostingaccount",
                "name": "Starter",
                "description": "<b>fast</b> & cheap",
                "module": "cpanel",
                "paytype": "recurring",
                "pricing": {
                    "USD": {
                        "prefix": "$",
                        "suffix": " USD",
                        "msetupfee": "1.00",
                        "monthly": "5.00",
                        "annually": "-1.00",
                    }
                },
            }
        ]
    },
}
ADDORDER = {
    "result": "success",
    "orderid": 1,
    "productids": "1,2",
    "serviceids": "1,2",
    "addonids": "",
    "domainids": "",
    "invoiceid": 1,
}


def as_json(data: dict[str, Any]) -> str:
    return render("json", data, action="addorder", version="8.12.1").decode("utf-8")


def as_xml(data: dict[str, Any], action: str = "addorder", version: str = "8.12.1") -> str:
    return render("xml", data, action=action, version=version).decode("utf-8")


def as_nvp(data: dict[str, Any]) -> str:
    return render("nvp", data, action="addorder", version="8.12.1").decode("utf-8")


def xml_body(data: dict[str, Any]) -> list[str]:
    """The lines between <action> and </whmcsapi>."""
    return as_xml(data).split("\n")[3:-1]


@pytest.mark.parametrize(
    ("fixture", "data", "action", "version"),
    [
        ("error.json", ERROR, "addorder", ""),
        ("error.xml", ERROR, "addorder", ""),
        ("error.nvp", ERROR, "addorder", ""),
        ("products.json", PRODUCTS, "getproducts", "8.12.1"),
        ("products.xml", PRODUCTS, "getproducts", "8.12.1"),
        ("addorder.json", ADDORDER, "addorder", "8.12.1"),
        ("addorder.xml", ADDORDER, "addorder", "8.12.1"),
        ("addorder.nvp", ADDORDER, "addorder", "8.12.1"),
    ],
)
def test_rendered_response_matches_golden_file(
    fixture: str, data: dict[str, Any], action: str, version: str
) -> None:
    fmt = fixture.rsplit(".", 1)[1]
    assert render(fmt, data, action=action, version=version) == (FIXTURES / fixture).read_bytes()


def test_content_types_match_whmcs_headers() -> None:
    assert CONTENT_TYPES == {
        "json": "application/json",
        "xml": "application/xml; charset=utf-8",
        "nvp": "text/plain; charset=utf-8",
    }


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="yaml"):
        render("yaml", ERROR, action="addorder", version="")


@pytest.mark.parametrize("fmt", ["json", "xml", "nvp"])
def test_money_left_as_decimal_is_rejected(fmt: str) -> None:
    with pytest.raises(TypeError, match="Decimal"):
        render(fmt, {"amount": Decimal("1.50")}, action="addorder", version="")


@pytest.mark.parametrize("fmt", ["xml", "nvp"])
def test_values_php_cannot_hold_are_rejected(fmt: str) -> None:
    with pytest.raises(TypeError, match="float"):
        render(fmt, {"amount": 1.5}, action="addorder", version="")


# JSON


def test_json_is_compact_and_leaves_slashes_unescaped() -> None:
    assert as_json({"url": "https://example.com/a/b", "n": [1, 2]}) == (
        '{"url":"https://example.com/a/b","n":[1,2]}'
    )


def test_json_escapes_markup_characters_as_uppercase_hex() -> None:
    assert as_json({"s": "<a href='x'>\"q\" & b</a>"}) == (
        '{"s":"\\u003Ca href=\\u0027x\\u0027\\u003E\\u0022q\\u0022 \\u0026 b\\u003C/a\\u003E"}'
    )


def test_json_escapes_markup_characters_in_keys_too() -> None:
    assert as_json({"a<b": 1}) == '{"a\\u003Cb":1}'


def test_json_escapes_quote_after_backslash_and_trailing_backslash() -> None:
    data = {"quote": 'a\\"b', "trailing": "C:\\", "double": "\\\\"}
    rendered = as_json(data)
    assert rendered == '{"quote":"a\\\\\\u0022b","trailing":"C:\\\\","double":"\\\\\\\\"}'
    assert json.loads(rendered) == data


def test_json_escapes_non_ascii_as_lowercase_hex() -> None:
    assert as_json({"s": "café 😀"}) == '{"s":"caf\\u00e9 \\ud83d\\ude00"}'


def test_json_escapes_control_characters_like_php() -> None:
    assert as_json({"s": "a\nb\tc\rd\x08e\x0cf\x01g\x1f\x7f"}) == (
        '{"s":"a\\nb\\tc\\rd\\be\\ff\\u0001g\\u001f\x7f"}'
    )


def test_json_writes_ints_as_numbers_and_money_as_strings() -> None:
    assert as_json({"orderid": 7, "amount": "8.00", "negative": -1}) == (
        '{"orderid":7,"amount":"8.00","negative":-1}'
    )


def test_json_writes_null_and_booleans() -> None:
    assert as_json({"a": None, "b": True, "c": False}) == '{"a":null,"b":true,"c":false}'


def test_json_writes_a_php_list_given_as_a_list_as_an_array() -> None:
    # Actions hand PHP lists, and PHP's empty array, to the renderer as lists.
    assert as_json({"orders": [], "pid": ["1", "2"]}) == '{"orders":[],"pid":["1","2"]}'


def test_json_writes_an_int_keyed_dict_as_an_object() -> None:
    assert as_json({"pid": {5: "1", 1: "2"}}) == '{"pid":{"5":"1","1":"2"}}'


def test_json_round_trips_through_a_json_parser() -> None:
    data = {"a": "x'\"<>&/\\é", "b": [1, {"c": None}], "d": {"e": True}}
    assert json.loads(as_json(data)) == data


# XML


def test_xml_envelope_has_declaration_version_and_action_first() -> None:
    lines = as_xml({"result": "success"}, action="getorders", version="8.12.1").split("\n")
    assert lines == [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<whmcsapi version="8.12.1">',
        "<action>getorders</action>",
        "<result>success</result>",
        "</whmcsapi>",
    ]


def test_xml_error_envelope_has_empty_version() -> None:
    assert '<whmcsapi version="">' in as_xml(ERROR, version="")


def test_xml_repeats_list_items_under_their_key() -> None:
    assert xml_body({"orders": {"order": [{"id": 1}, {"id": 2}]}}) == [
        "<orders>",
        "<order>",
        "<id>1</id>",
        "</order>",
        "<order>",
        "<id>2</id>",
        "</order>",
        "</orders>",
    ]


def test_xml_omits_empty_arrays() -> None:
    assert xml_body({"result": "success", "orders": {}, "items": []}) == ["<result>success</result>"]


def test_xml_keeps_array_whose_only_child_is_empty() -> None:
    assert xml_body({"nested": {"inner": {}}}) == ["<nested>", "</nested>"]


def test_xml_keeps_empty_strings_as_empty_elements() -> None:
    assert xml_body({"addonids": ""}) == ["<addonids></addonids>"]


def test_xml_casts_scalars_like_php() -> None:
    assert xml_body({"a": None, "b": True, "c": False, "d": 42}) == [
        "<a></a>",
        "<b>1</b>",
        "<c></c>",
        "<d>42</d>",
    ]


def test_xml_wraps_markup_characters_in_cdata() -> None:
    assert xml_body({"a": "x < y", "b": "x > y", "c": "x & y", "d": 'it\'s "fine"'}) == [
        "<a><![CDATA[x < y]]></a>",
        "<b><![CDATA[x > y]]></b>",
        "<c><![CDATA[x & y]]></c>",
        '<d>it\'s "fine"</d>',
    ]


def test_xml_splits_cdata_terminator_inside_cdata() -> None:
    rendered = as_xml({"note": "a]]>b"})
    assert "<note><![CDATA[a]]]]><![CDATA[>b]]></note>" in rendered
    assert ET.fromstring(rendered.encode("utf-8")).findtext("note") == "a]]>b"


def test_xml_renders_int_keyed_dict_as_repeated_elements() -> None:
    rendered = as_xml({"pids": {"pid": {0: "1", 1: "2"}}})
    assert rendered.split("\n")[3:-1] == ["<pids>", "<pid>1</pid>", "<pid>2</pid>", "</pids>"]
    assert [e.text for e in ET.fromstring(rendered.encode("utf-8")).iter("pid")] == ["1", "2"]


def test_xml_is_well_formed_and_keeps_text() -> None:
    root = ET.fromstring(render("xml", PRODUCTS, action="getproducts", version="8.12.1"))
    assert root.tag == "whmcsapi"
    assert root.get("version") == "8.12.1"
    assert root.findtext("products/product/description") == "<b>fast</b> & cheap"
    assert root.findtext("products/product/pricing/USD/suffix") == " USD"


def test_xml_writes_non_ascii_as_utf8() -> None:
    assert render("xml", {"name": "café"}, action="x", version="").count("café".encode()) == 1


# NVP


def test_nvp_has_no_trailing_separator() -> None:
    assert as_nvp(ERROR) == "result=error;message=Authentication Failed"


def test_nvp_casts_scalars_like_php() -> None:
    assert as_nvp({"a": None, "b": True, "c": False, "d": 3, "e": ""}) == "a=;b=1;c=;d=3;e="


def test_nvp_flattens_arrays_with_php_bracket_notation() -> None:
    data = {"result": "success", "client": {"id": 1, "tags": ["x", "y"]}, "pid": {0: "5"}}
    assert as_nvp(data) == "result=success;client[id]=1;client[tags][0]=x;client[tags][1]=y;pid[0]=5"


def test_nvp_omits_empty_arrays() -> None:
    assert as_nvp({"result": "success", "orders": {}, "items": []}) == "result=success"


def test_nvp_does_not_escape_values() -> None:
    assert as_nvp({"message": "a=b; <c> & é"}) == "message=a=b; <c> & é"


def test_nvp_writes_non_ascii_as_utf8() -> None:
    assert render("nvp", {"name": "café"}, action="x", version="") == "name=café".encode()


# Key order


def test_every_format_preserves_key_order() -> None:
    data = {"zeta": "1", "alpha": "2", "mid": {"y": "3", "b": "4"}}
    assert as_json(data) == '{"zeta":"1","alpha":"2","mid":{"y":"3","b":"4"}}'
    assert xml_body(data) == [
        "<zeta>1</zeta>",
        "<alpha>2</alpha>",
        "<mid>",
        "<y>3</y>",
        "<b>4</b>",
        "</mid>",
    ]
    assert as_nvp(data) == "zeta=1;alpha=2;mid[y]=3;mid[b]=4"
