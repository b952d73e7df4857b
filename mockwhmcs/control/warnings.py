"""Integration warnings: client mistakes that WHMCS silently tolerates and that bite in production.

mockwhmcs answers exactly as WHMCS would; these only go to the journal entry and to one
``X-Mockwhmcs-Warning`` response header each. They are worked out from the decoded request and the
action's registered metadata (``Action.params``, ``flags`` and ``arrays``), so every action gets them
without a list of its own.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ..actions.known import KNOWN
from ..actions.registry import Action
from ..php import is_array
from ..store.models import action_key
from ..store.store import Catalog
from ..wire.api import SPECIAL_PARAMS, ApiRequest

WARNING_HEADER = "X-Mockwhmcs-Warning"
MAX_WARNINGS = 10
MAX_HEADER_CHARS = 300
_MAX_NAME_CHARS = 60

# Misspelled in WHMCS's own documentation, and so copied into real integrations.
DOCUMENTATION_TYPOS = {"$addonsqty": "addonsqty"}
# What clients send for false (Python's str(False), JavaScript's false …) and PHP reads as true.
_MEANT_AS_FALSE = frozenset({"false", "no", "off", "none", "null"})


def integration_warnings(req: ApiRequest, entry: Action | None, catalog: Catalog) -> list[str]:
    """What is wrong with a request although WHMCS would accept it; at most MAX_WARNINGS."""
    found: list[str] = []
    username = req.special("username")
    if req.special("identifier") is None and username is not None and username not in catalog.credentials:
        found.append("username + md5(password) is WHMCS's deprecated admin login: create API credentials "
                     "and send identifier + secret")
    if entry is None:
        real = KNOWN.get(action_key(req.special("action") or ""))
        if real is not None:
            found.append(f"{real} is a real WHMCS API action that mockwhmcs does not implement yet: a real "
                         "WHMCS would run it")
    else:
        found += _parameter_warnings(req.params, entry)
        if req.special("responsetype") is None and not entry.list_style:
            found.append(f'no responsetype: {entry.name} answers in NVP ("result=success;...") by default, '
                         "which JSON clients cannot parse: send responsetype=json")
    if len(found) > MAX_WARNINGS:
        found[MAX_WARNINGS - 1:] = [f"{len(found) - MAX_WARNINGS + 1} more warnings not shown"]
    return found


def as_header(warning: str) -> str:
    """A warning fit for a header value: printable ASCII (names come from the client), bounded."""
    text = "".join(char if " " <= char <= "~" else char.encode("unicode_escape").decode() for char in warning)
    return text if len(text) <= MAX_HEADER_CHARS else text[: MAX_HEADER_CHARS - 3] + "..."


def _parameter_warnings(params: Mapping[str, Any], entry: Action) -> list[str]:
    found: list[str] = []
    for key, value in params.items():
        if key in SPECIAL_PARAMS:
            continue
        if not entry.reads(key):
            found.append(_unknown(key, entry))
            continue
        if key in entry.arrays and not is_array(value):
            found.append(f'"{key}" was sent as a single value, but {entry.name} expects an array: '
                         f"send {key}[0]=...")
        elif key not in entry.arrays and is_array(value):
            found.append(f'"{key}" was sent as an array ({key}[...]), but {entry.name} expects a single '
                         "value: WHMCS ignores the array")
        if key in entry.flags:
            found += _false_flags(key, value)
    return found + _misaligned_with_pid(params, entry)


def _unknown(key: str, entry: Action) -> str:
    shown = _name(key)
    if key in DOCUMENTATION_TYPOS:
        return (f'"{shown}" is a typo in the WHMCS {entry.name} documentation and WHMCS ignores it: '
                f'send "{DOCUMENTATION_TYPOS[key]}"')
    close = difflib.get_close_matches(key.lower(), sorted(entry.params), n=1)
    suggestion = f' (did you mean "{close[0]}"?)' if close else ""
    return f'unknown parameter "{shown}" for {entry.name}, which WHMCS ignores{suggestion}'


def _false_flags(key: str, value: Any) -> list[str]:
    values = value.items() if isinstance(value, dict) else [(None, value)]
    return [
        f'{key if index is None else f"{key}[{index}]"}="{item}" is true to WHMCS (PHP reads every '
        'string but "" and "0" as true): send 0 or leave it out'
        for index, item in values
        if isinstance(item, str) and item.strip().lower() in _MEANT_AS_FALSE
    ]


def _misaligned_with_pid(params: Mapping[str, Any], entry: Action) -> list[str]:
    """Per-product arrays are paired with ``pid`` by index. An array that both skips an index ``pid``
    has and uses one ``pid`` lacks (``pid[]=1`` with ``billingcycle[1]=monthly``) is out of step.
    Arrays that only add indices are left alone: those can be items of their own (domain-only orders,
    addon and renewal lists)."""
    pid = params.get("pid")
    if "pid" not in entry.arrays or not isinstance(pid, dict):
        return []
    products = {index for index in pid if isinstance(index, int)}
    found = []
    for key, value in params.items():
        if key == "pid" or key not in entry.arrays or not isinstance(value, dict):
            continue
        indices = {index for index in value if isinstance(index, int)}
        if indices - products and products - indices:
            found.append(f"{key} indices {sorted(indices)} do not line up with pid indices "
                         f"{sorted(products)}: WHMCS pairs {key}[i] with pid[i]")
    return found


def _name(key: str) -> str:
    return key if len(key) <= _MAX_NAME_CHARS else key[:_MAX_NAME_CHARS] + "..."
