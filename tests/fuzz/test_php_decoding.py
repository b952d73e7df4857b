"""PHP's request decoding and unserialize, on anything: PHP's shapes within PHP's caps, and never an
object built from a serialized string."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mockwhmcs.php import unserialize_base64
from mockwhmcs.wire.phpform import MAX_INPUT_VARS, MAX_NESTING, decode_query
from tests.fuzz.strategies import as_bytes, names, serialized, values

_form = st.one_of(
    st.binary(max_size=512),
    st.lists(st.tuples(names, values), max_size=8).map(
        lambda pairs: b"&".join(as_bytes(name) + b"=" + as_bytes(value) for name, value in pairs)
    ),
)


def _leaves(value: Any, depth: int = 0) -> list[int]:
    """The depth of every string in a decoded PHP value, checking its types on the way."""
    if isinstance(value, str):
        return [depth]
    assert isinstance(value, dict)
    assert all(isinstance(key, int | str) for key in value)
    return [leaf for item in value.values() for leaf in _leaves(item, depth + 1)]


@given(_form)
def test_any_form_string_decodes_to_php_arrays_within_phps_caps(raw: bytes) -> None:
    decoded = decode_query(raw)
    assert all(isinstance(name, str) and name for name in decoded)
    depths = [depth for value in decoded.values() for depth in _leaves(value)]
    assert len(depths) <= MAX_INPUT_VARS
    assert max(depths, default=0) <= MAX_NESTING


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(key, int | str) and _plain(item) for key, item in value.items())
    return value is None or isinstance(value, str | int | float | bool)


@given(st.one_of(serialized, st.text(max_size=64)))
def test_unserialize_gives_a_plain_array_or_refuses_and_never_builds_an_object(text: str) -> None:
    try:
        result = unserialize_base64(text, param="customfields[0]")
    except ValueError as refused:
        assert str(refused) == "customfields[0] is not a base64-encoded PHP serialized array"
        return
    assert isinstance(result, dict) and _plain(result)
