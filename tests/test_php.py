import base64
import math

import pytest

from mockwhmcs.php import (
    PHP_INT_MAX,
    PHP_INT_MIN,
    array_key,
    as_array,
    floatval,
    html_clean,
    intval,
    is_array,
    php_text,
    truthy,
    unserialize_base64,
)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@pytest.mark.parametrize("value", [None, "", "0", {}, [], 0, 0.0, False])
def test_falsy_parameters(value):
    assert truthy(value) is False


@pytest.mark.parametrize(
    "value", ["1", "false", "False", "off", "no", "0.0", "00", " ", "null", {0: "0"}, ["0"], 1, True]
)
def test_everything_else_is_truthy_including_the_string_false(value):
    assert truthy(value) is True


def test_absent_parameter_is_an_empty_array():
    assert as_array(None) == {}


def test_array_parameter_is_returned_as_is():
    pid = {0: "1", 5: "2"}
    assert as_array(pid) is pid


def test_scalar_parameter_is_a_one_element_array():
    assert as_array("1") == {0: "1"}
    assert as_array("") == {0: ""}


def test_list_parameter_is_indexed_from_zero():
    assert as_array(["a", "b"]) == {0: "a", 1: "b"}


@pytest.mark.parametrize(
    ("value", "expected"), [({}, True), ([], True), ({0: "1"}, True), ("1", False), (None, False)]
)
def test_is_array_is_true_only_for_arrays(value, expected):
    assert is_array(value) is expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [("7", 7), ("-7", -7), ("0", 0), ("07", "07"), ("-0", "-0"), ("7.0", "7.0"), (" 7", " 7"), ("x", "x")],
)
def test_array_key_is_integer_only_for_canonical_decimals(key, expected):
    assert array_key(key) == expected
    assert type(array_key(key)) is type(expected)


def test_unserializes_a_base64_encoded_php_array():
    assert unserialize_base64("YToxOntpOjE7czo2OiJHb29nbGUiO30=", param="customfields[0]") == {1: "Google"}


def test_unserializes_nested_arrays_and_scalars():
    data = b'a:3:{s:4:"name";s:5:"J\xc3\xbcrg";i:2;a:1:{i:0;i:5;}s:1:"x";N;}'
    assert unserialize_base64(b64(data), param="configoptions[0]") == {"name": "Jürg", 2: {0: 5}, "x": None}


def test_numeric_string_keys_become_integer_keys_as_in_php():
    data = b'a:2:{s:1:"5";s:1:"a";s:2:"05";s:1:"b";}'
    assert unserialize_base64(b64(data), param="p") == {5: "a", "05": "b"}


def test_base64_is_decoded_leniently_like_php_base64_decode():
    encoded = b64(b'a:1:{i:1;s:6:"Google";}')
    wrapped = "\n".join(encoded[i : i + 8] for i in range(0, len(encoded), 8)).rstrip("=")
    assert unserialize_base64(wrapped, param="p") == {1: "Google"}


def test_invalid_utf8_in_serialized_string_is_replaced():
    assert unserialize_base64(b64(b'a:1:{i:0;s:2:"\xff\xfe";}'), param="p") == {0: "\ufffd\ufffd"}


def test_refuses_serialized_object():
    with pytest.raises(ValueError, match=r"^customfields\[0\] is not a base64-encoded PHP serialized array$"):
        unserialize_base64(b64(b'O:8:"stdClass":0:{}'), param="customfields[0]")


def test_refuses_object_nested_in_array():
    data = b'a:1:{i:0;O:8:"stdClass":1:{s:1:"a";s:1:"b";}}'
    with pytest.raises(ValueError, match="configoptions"):
        unserialize_base64(b64(data), param="configoptions")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "!!!not base64!!!",
        "YToxOntpOjE7",
        "Google",
        b64(b'a:1:{i:1;s:6:"Google";'),
        b64(b'a:1:{i:1;s:6:"Goo'),
        b64(b'a:2:{i:1;s:6:"Google";}'),
        b64(b'a:1:{i:1;s:7:"Google";}'),
    ],
)
def test_rejects_corrupt_or_truncated_data(value):
    with pytest.raises(ValueError, match=r"^customfields is not"):
        unserialize_base64(value, param="customfields")


@pytest.mark.parametrize("data", [b's:6:"Google";', b"i:5;", b"b:1;", b"N;", b"d:1.5;"])
def test_rejects_value_that_is_not_an_array(data):
    with pytest.raises(ValueError, match="param"):
        unserialize_base64(b64(data), param="param")


@pytest.mark.parametrize(
    "data", [b'a:1:{a:0:{}s:1:"x";}', b'a:1:{b:1;s:1:"x";}', b'a:1:{d:1.5;s:1:"x";}', b"a:1:{N;i:1;}"]
)
def test_rejects_array_key_that_php_cannot_hold(data):
    with pytest.raises(ValueError, match="p is not"):
        unserialize_base64(b64(data), param="p")


@pytest.mark.parametrize("data", [b'C:3:"Foo":0:{}', b'E:7:"Foo:Bar";', b"a:1:{i:0;R:1;}"])
def test_rejects_custom_serializations_enums_and_references(data):
    with pytest.raises(ValueError, match="p is not"):
        unserialize_base64(b64(data), param="p")


def test_rejects_a_non_string_parameter():
    with pytest.raises(ValueError, match=r"customfields\[0\] is not"):
        unserialize_base64({"a": "b"}, param="customfields[0]")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        b'a:1:{i:0;s:999999999999:"x";}',
        b"a:999999999999:{}",
        b"a:" + b"9" * 10_000 + b":{}",
        b"a:1:{i:0;" * 100_000,
        b"a:1:{i:0;" * 100_000 + b"N;" + b"}" * 100_000,
    ],
)
def test_hostile_lengths_and_nesting_are_rejected_without_crashing(data):
    with pytest.raises(ValueError, match="p is not"):
        unserialize_base64(b64(data), param="p")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # plain and leading-numeric strings
        ("12", 12), ("12abc", 12), ("abc", 0), ("", 0), ("0000000000000000000000012", 12), ("007", 7),
        ("0x1A", 0), ("0b11", 0), ("1,000", 1), ("\u0661", 0),  # Arabic-Indic one: not an ASCII digit
        # whitespace: PHP's six characters before the number; PHP 8 allows them after it too
        (" 12", 12), ("\t\n\r\v\f12", 12), ("12 ", 12), ("\xa012", 0),
        # signs
        (" -5", -5), ("+5", 5), ("-0", 0), ("+-5", 0), ("- 5", 0),
        # decimal points and exponents: read as a float, truncated toward zero
        ("1e3", 1000), ("1E3", 1000), ("12.7", 12), ("-12.7", -12), (".5", 0), ("5.", 5), ("1.e3", 1000),
        ("1.5e3x", 1500), ("1e-3", 0), ("1e", 1), ("1e+", 1), (".e3", 0), ("2.5e+2", 250),
        # 64-bit limits: an integer past them, or a float, saturates ...
        ("9223372036854775807", PHP_INT_MAX), ("9223372036854775808", PHP_INT_MAX),
        ("-9223372036854775808", PHP_INT_MIN), ("-9223372036854775809", PHP_INT_MIN),
        ("9000000000000000001", 9000000000000000001), ("99999999999999999999", PHP_INT_MAX),
        ("1e300", PHP_INT_MAX), ("-1e300", PHP_INT_MIN), ("9223372036854775807.0", PHP_INT_MAX),
        # ... but a number too large for a float is infinite, and infinity casts to 0
        ("1e400", 0), ("-1e400", 0), ("9" * 400, 0), ("-" + "9" * 5000, 0),
        # what is not a string
        (None, 0), ({0: "1"}, 0), (True, 1), (False, 0), (7, 7),
    ],
)
def test_intval_casts_like_php(value: object, expected: int) -> None:
    assert intval(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("12abc", 12.0), ("1e3", 1000.0), (" -.5e1x", -5.0), ("0x1A", 0.0), ("abc", 0.0), ("", 0.0),
    ("1e400", math.inf), ("-1e400", -math.inf), ("0.1", 0.1),
])
def test_floatval_casts_like_php(value: str, expected: float) -> None:
    assert floatval(value) == expected


@pytest.mark.parametrize(("sent", "stored"), [
    ("Tom & <Jerry>", "Tom &amp; &lt;Jerry&gt;"),
    ("O'Brien \"Bob\"", "O&#039;Brien &quot;Bob&quot;"),
    ("plain text", "plain text"),
    ("&amp;", "&amp;amp;"),
])
def test_html_clean_encodes_like_whmcs_input_cleaning(sent: str, stored: str) -> None:
    assert html_clean(sent) == stored


@pytest.mark.parametrize(("value", "stored"), [
    ("text", "text"), (5, "5"), (1.5, "1.5"), (True, "1"), (False, ""), (None, ""), ({0: "a"}, "Array"),
])
def test_php_text_is_what_a_text_column_keeps_of_a_decoded_value(value: object, stored: str) -> None:
    assert php_text(value) == stored
