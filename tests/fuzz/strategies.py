"""Hostile request material: names with brackets, deep nesting, huge indices, NUL bytes, invalid UTF-8,
200 KB values, numbers out of range, corrupt base64, PHP-serialized objects and broken serializations.

Each request also carries, with some probability, plausible values for the action's own parameters
(a real client id, an order that exists, a gateway), so that the hostile parts reach the code behind
WHMCS's first checks instead of bouncing off "Client ID Not Found".
"""

from __future__ import annotations

import base64
from typing import Any

from hypothesis import strategies as st

from mockwhmcs import actions  # noqa: F401  (registers every action)
from mockwhmcs.actions.registry import ACTIONS, Action
from mockwhmcs.wire.api import SPECIAL_PARAMS

BIG = 200_000
ACTION_NAMES = sorted(entry.name for entry in ACTIONS.values())
# Every parameter an action reads. The credentials and the action itself are left out: random values
# for those would end most requests at "Authentication Failed".
PARAM_NAMES = sorted({name for entry in ACTIONS.values() for name in entry.params} - set(SPECIAL_PARAMS))

# Numbers PHP and Python read differently, or not at all, or past every integer type.
NUMBERS = (
    "0", "-0", "1", "-1", "05", "+7", " 3", "3 ", "1.5", ".5", "5.", "1e3", "1e999", "-1e999", "NaN", "INF",
    "0x1A", "1_000", "\u0661\u0662", "\u00b2", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "18446744073709551616", "99999999999999999999999999999999.99",
)

# --- PHP serialize() output, valid, hostile and broken ---------------------------------------------

_php_scalar = st.one_of(
    st.integers().map(lambda n: f"i:{n};"),
    st.text(max_size=12).map(lambda text: f's:{len(text.encode())}:"{text}";'),
    st.sampled_from(["b:1;", "b:0;", "N;", "d:1.5;", "d:INF;", "d:NAN;", "d:-0;", "d:1e308;"]),
)


def _php_container(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    keys = st.one_of(st.integers(-3, 9).map(lambda n: f"i:{n};"), _php_scalar)
    members = st.lists(st.tuples(keys, children), max_size=4)
    array = members.map(lambda pairs: f"a:{len(pairs)}:{{{''.join(k + v for k, v in pairs)}}}")
    # Objects must never be built: WHMCS's unserialize has no business instantiating classes.
    obj = st.tuples(st.sampled_from(["stdClass", "Exception", "GuzzleHttp\\Psr7\\FnStream"]), members).map(
        lambda item: f'O:{len(item[0])}:"{item[0]}":{len(item[1])}:{{{"".join(k + v for k, v in item[1])}}}'
    )
    return st.one_of(array, obj)


_php_value = st.recursive(_php_scalar, _php_container, max_leaves=5)
_php_hostile = st.one_of(
    st.sampled_from([
        'R:1;', 'r:1;', 'C:3:"Foo":0:{}', 'a:-1:{}', 'a:99999999999:{', 's:9999999999:"x";', 's:-1:"";',
        'a:1:{i:0;R:1;}', 'a:1:{d:1.5;i:1;}', 'a:1:{a:0:{}i:1;}', 'E:3:"A:B";',
    ]),
    st.integers(50, 5000).map(lambda depth: "a:1:{i:0;" * depth),  # nested past Python's recursion limit
)


@st.composite
def _serialized(draw: st.DrawFn) -> str:
    """base64 of PHP serialize() output: valid, hostile, cut short, or with the base64 itself damaged."""
    text = draw(st.one_of(_php_value, _php_hostile))
    if draw(st.integers(0, 3)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    encoded = base64.b64encode(text.encode("utf-8", "surrogatepass")).decode()
    damage = draw(st.integers(0, 5))
    if damage == 1:
        return encoded.rstrip("=")
    if damage == 2:
        cut = draw(st.integers(0, len(encoded)))
        return encoded[:cut] + "!*\u00e9" + encoded[cut:]
    if damage == 3:
        return encoded[1:]
    return encoded


serialized = _serialized()

def as_bytes(text: str | bytes) -> bytes:
    """What goes on the wire for a drawn name or value (lone surrogates included)."""
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")


# --- names and values --------------------------------------------------------------------------------

_index = st.one_of(
    st.sampled_from(["", "0", "1", "-1", "05", " ", "a b", "x.y", "[", "]", "\x00",
                     "9223372036854775807", "9223372036854775808", "99999999999999999999999999"]),
    st.integers(-3, 30).map(str),
    st.text(max_size=6),
)
_base_name = st.one_of(st.sampled_from(PARAM_NAMES), st.text(max_size=8))
names = st.one_of(
    st.builds(lambda base, indices: base + "".join(f"[{index}]" for index in indices),
              _base_name, st.lists(_index, max_size=4)),
    # Unbalanced brackets, brackets first, a NUL in the middle of a name.
    st.builds(lambda base, junk: base + junk, _base_name,
              st.sampled_from(["[", "]", "[a", "a]", "[]]", "\x00x"])),
    st.builds(lambda junk, base: junk + base, st.sampled_from(["[", "]", " ", "."]), _base_name),
    # Nested past any sane depth.
    st.builds(lambda base, depth, index: base + f"[{index}]" * depth,
              st.sampled_from(PARAM_NAMES), st.integers(30, 300), _index),
)
_big = st.sampled_from(["9", "a", "\x00", "\u00e9", "[", ";", "1,", "<![CDATA[", "]]>"]).map(
    lambda piece: piece * (BIG // len(piece))
)
values: st.SearchStrategy[str | bytes] = st.one_of(
    st.text(max_size=24),
    st.sampled_from(NUMBERS),
    st.integers().map(str),
    st.binary(max_size=24),  # invalid UTF-8, percent-encoded or raw
    serialized,
    _big,
)

# Plausible values for the parameters WHMCS checks first, by name; anything else gets a number or text.
PLAUSIBLE: dict[str, st.SearchStrategy[str]] = {
    "clientid": st.sampled_from(["1", "1", "1", "3", "2"]),  # 2 is Closed
    "userid": st.sampled_from(["1", "2", "3"]),
    "orderid": st.integers(1, 40).map(str),
    "id": st.integers(1, 40).map(str),
    "invoiceid": st.integers(1, 40).map(str),
    "serviceid": st.integers(1, 40).map(str),
    "domainid": st.integers(1, 40).map(str),
    "pid": st.sampled_from(["1", "2", "6", "7", "8", "9", "10", "11", "1,6"]),
    "paymentmethod": st.sampled_from(["mailin", "paypal", "banktransfer", "alipay"]),
    "billingcycle": st.sampled_from(["monthly", "annually", "free", "onetime", "Semi-Annually", "3"]),
    "domaintype": st.sampled_from(["register", "transfer"]),
    "domain": st.sampled_from(["example.com", "shop.co.uk", "a.net", "x", ".com"]),
    "regperiod": st.sampled_from(["1", "2", "10", "0"]),
    "promocode": st.sampled_from(["FIVEOFF", "FLAT3", "NOSETUP", "LOYAL20", "ADDONHALF", "DOTCOM", "ONCE"]),
    "addons": st.sampled_from(["3", "3,4", "4,5,6", "99"]),
    "qty": st.sampled_from(["1", "2", "3", "0", "-1", "1001", "9223372036854775807"]),
    "email": st.sampled_from(["ada@example.com", "new@example.org", "x@y"]),
    "status": st.sampled_from(["Pending", "Active", "Cancelled", "Fraud"]),
    "firstname": st.just("Ada"),
    "lastname": st.just("Lovelace"),
    "customfields": serialized,
    "configoptions": serialized,
    "domainfields": serialized,
}
_anything_plausible = st.one_of(st.sampled_from(["1", "0", "on", "false"]), st.text(max_size=8))


# What WHMCS checks first: sent with a plausible value most of the time, so that requests get past it.
GATEKEEPERS = ("clientid", "paymentmethod", "pid", "billingcycle", "orderid", "invoiceid", "firstname",
               "lastname", "email")


@st.composite
def plausible_params(draw: st.DrawFn, entry: Action) -> list[tuple[str, str]]:
    """Some of ``entry``'s own parameters with values that pass WHMCS's first checks."""
    if not entry.params:
        return []
    chosen = [name for name in GATEKEEPERS if name in entry.params and draw(st.integers(0, 4))]
    chosen += draw(st.lists(st.sampled_from(sorted(entry.params)), max_size=6, unique=True))
    return [(f"{name}[0]" if name in entry.arrays else name, draw(PLAUSIBLE.get(name, _anything_plausible)))
            for name in chosen]


def php_params(entry: Action) -> st.SearchStrategy[dict[str, Any]]:
    """Decoded PHP parameters as ``entry`` receives them, mostly its own: strings (numbers above all),
    and arrays keyed by int or str."""
    numbers = st.one_of(st.sampled_from(NUMBERS), st.integers().map(str))
    leaf = st.one_of(numbers, st.text(max_size=16), serialized)
    key = st.one_of(st.integers(-2, 12), st.text(max_size=6))
    tree = st.recursive(leaf, lambda children: st.dictionaries(key, children, max_size=3), max_leaves=6)
    own = sorted(entry.params) or PARAM_NAMES
    return st.dictionaries(st.one_of(st.sampled_from(own), st.sampled_from(PARAM_NAMES), st.text(max_size=8)),
                           st.one_of(numbers, leaf, tree), max_size=6)
