"""Render a WHMCS API response in one of the three wire formats: json, xml and nvp.

Values follow PHP semantics: None, True and False become "", "1" and "" wherever WHMCS string-casts
them (xml, nvp); money is already a decimal string. Key order is kept in every format.
"""

from __future__ import annotations

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
        text = _json_value(data)
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

_JSON_ESCAPES = {
    '"': "\\u0022",
    "\\": "\\\\",
    "<": "\\u003C",
    ">": "\\u003E",
    "&": "\\u0026",
    "'": "\\u0027",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
_JSON_NEEDS_ESCAPE = re.compile("[\\x00-\\x1f\"\\\\<>&'\\x80-\\U0010ffff]")


def _json_escape_char(match: re.Match[str]) -> str:
    char = match.group()
    escaped = _JSON_ESCAPES.get(char)
    if escaped is not None:
        return escaped
    code = ord(char)
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 | code >> 10:04x}\\u{0xDC00 | code & 0x3FF:04x}"
    return f"\\u{code:04x}"


def _json_string(text: str) -> str:
    if _JSON_NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    return f'"{_JSON_NEEDS_ESCAPE.sub(_json_escape_char, text)}"'


def _is_php_list(mapping: Mapping[Any, Any]) -> bool:
    """PHP encodes an array keyed 0..n-1 (including an empty one) as a JSON array."""
    return all(type(key) is int and key == index for index, key in enumerate(mapping))


def _json_value(value: Any) -> str:
    if isinstance(value, str):
        return _json_string(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Mapping):
        if _is_php_list(value):
            return "[" + ",".join(_json_value(item) for item in value.values()) + "]"
        members = (f"{_json_string(str(key))}:{_json_value(item)}" for key, item in value.items())
        return "{" + ",".join(members) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_json_value(item) for item in value) + "]"
    raise TypeError(f"cannot render a value of type {type(value).__name__}")


# XML: one element per line, no indentation. A list repeats its key once per item. A dict with int
# keys is a PHP numeric array, so it is rendered exactly like a list of its values (names such as
# <0> would not be well-formed XML). Empty dicts and lists produce no element at all.

_XML_MARKUP = re.compile("[<>&]")


def _xml_text(value: Any) -> str:
    text = _php_string(value)
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
