"""Render a WHMCS API response in one of the three wire formats: json, xml and nvp.

Values follow PHP semantics: None, True and False become "", "1" and "" wherever WHMCS string-casts
them (xml, nvp); money is already a decimal string. Key order is kept in every format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

CONTENT_TYPES: dict[str, str] = {
    "json": "application/json",
    "xml": "application/xml; charset=utf-8",
    "nvp": "text/plain; charset=utf-8",
}


def render(fmt: str, data: Mapping[str, Any], *, action: str, version: str) -> bytes:
    """Render ``data`` as WHMCS does for ``responsetype=fmt``.

    ``action`` and ``version`` appear only in the XML envelope.
    """
    if fmt == "json":
        text = _json_document(data)
    elif fmt == "xml":
        text = _xml_document(data, action, version)
    elif fmt == "nvp":
        text = _nvp_document(data)
    else:
        raise ValueError(f"unknown response format {fmt!r}")
    return text.encode("utf-8")


def _php_string(value: Any) -> str:
    """Cast a scalar to a string the way PHP's (string) does."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, (str, int)):
        return str(value)
    raise TypeError(f"cannot render a value of type {type(value).__name__}")


# JSON, as PHP json_encode with JSON_HEX_TAG | JSON_HEX_APOS | JSON_HEX_AMP | JSON_HEX_QUOT
# | JSON_UNESCAPED_SLASHES: compact, "/" left alone, everything outside printable ASCII escaped.
# The C encoder does the work (this is the request hot path); one regex pass then turns what PHP
# hex-escapes into \u003C and friends. Matching whole escape pairs (\\.) first is what keeps a
# backslash followed by a quote from being mistaken for an escaped quote.

def _refuse(value: Any) -> Any:
    raise TypeError(f"cannot render a value of type {type(value).__name__}")


# Actions give PHP lists (and PHP's empty array) as Python lists, so a dict is always a JSON object
# here; checking every dict for PHP list keys would cost a full pass over every answer.
# No check for reference cycles: answers are trees built per request (a cycle would still end in
# the internal-error envelope, as a RecursionError).
_JSON_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False,
                                 check_circular=False, default=_refuse)
_PHP_HEX = re.compile(r"""\\u007f|\\.|[<>&']""")
# PHP leaves DEL (0x7f) raw where Python's encoder escapes it.
_PHP_HEX_FOR = {'\\"': "\\u0022", "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "'": "\\u0027",
                "\\u007f": "\x7f"}
# Plain substring scans: far faster than one regex search over a large body. A single character is
# found at memchr speed, a pair far slower, so the pairs are looked for only after a backslash.
_NEEDS_HEX = ("<", ">", "&", "'")
_ESCAPES_NEEDING_HEX = ('\\"', "\\u007f")


def _hex(match: re.Match[str]) -> str:
    token = match.group()
    return _PHP_HEX_FOR.get(token, token)


def _json_document(data: Mapping[str, Any]) -> str:
    text = _JSON_ENCODER.encode(data)
    if any(token in text for token in _NEEDS_HEX) or (
        "\\" in text and any(token in text for token in _ESCAPES_NEEDING_HEX)
    ):
        return _PHP_HEX.sub(_hex, text)
    return text


# XML: one element per line, no indentation. A list repeats its key once per item. A dict with int
# keys is a PHP numeric array, so it is rendered exactly like a list of its values (names such as
# <0> would not be well-formed XML). Empty dicts and lists produce no element at all.

_XML_MARKUP = re.compile("[<>&]")
# Characters XML 1.0 cannot carry at all, not even in CDATA (NUL, most C0 controls, U+FFFE/U+FFFF).
# WHMCS writes them raw, which no XML parser accepts; the mock puts U+FFFD in their place so that a
# client sending control characters still gets a document it can read.
_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: Any) -> str:
    text = _php_string(value)
    if _XML_FORBIDDEN.search(text) is not None:
        text = _XML_FORBIDDEN.sub("\ufffd", text)
    if _XML_MARKUP.search(text) is None:
        return text
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _xml_element(name: str, value: Any, lines: list[str]) -> None:
    if isinstance(value, Mapping) and any(isinstance(key, int) for key in value):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        for item in value:
            _xml_element(name, item, lines)
    elif isinstance(value, Mapping):
        if value:
            lines.append(f"<{name}>")
            for key, item in value.items():
                _xml_element(key, item, lines)
            lines.append(f"</{name}>")
    else:
        lines.append(f"<{name}>{_xml_text(value)}</{name}>")


def _xml_document(data: Mapping[str, Any], action: str, version: str) -> str:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<whmcsapi version="{version}">',
        f"<action>{_xml_text(action)}</action>",
    ]
    for key, value in data.items():
        _xml_element(key, value, lines)
    lines.append("</whmcsapi>")
    return "\n".join(lines)


# NVP: key=value joined by ";", values unescaped; arrays flattened in PHP bracket notation.


def _nvp_pairs(name: str, value: Any, pairs: list[str]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _nvp_pairs(f"{name}[{key}]", item, pairs)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _nvp_pairs(f"{name}[{index}]", item, pairs)
    else:
        pairs.append(f"{name}={_php_string(value)}")


def _nvp_document(data: Mapping[str, Any]) -> str:
    pairs: list[str] = []
    for key, value in data.items():
        _nvp_pairs(key, value, pairs)
    return ";".join(pairs)
