"""Subset matching of decoded request parameters: fault rules' ``when`` and journal queries.

Decoded parameters are PHP values: strings and arrays (dicts with int or str keys). What a user writes
comes from JSON, YAML or Python keyword arguments, so it is compared the way it would be sent:

- a scalar matches a scalar that reads the same (``3`` and ``"3"``, ``True`` and ``"1"``), or, against
  an array, any element that does (``{"pid": "3"}`` matches ``pid[0]=1&pid[1]=3``);
- a mapping or list matches an array holding at least those keys (list positions are keys 0, 1 …)
  with matching values, compared key by key as strings, to any depth.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def as_sent(value: Any) -> str:
    """A scalar as ``http_build_query`` would send it: booleans as 1/0, anything else as str()."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _keyed(value: Mapping[Any, Any] | list[Any] | tuple[Any, ...]) -> dict[str, Any]:
    items = value.items() if isinstance(value, Mapping) else enumerate(value)
    return {str(key): item for key, item in items}


def value_matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, (Mapping, list, tuple)):
        if not isinstance(actual, (Mapping, list, tuple)):
            return False
        present = _keyed(actual)
        return all(key in present and value_matches(item, present[key])
                   for key, item in _keyed(expected).items())
    if isinstance(actual, (Mapping, list, tuple)):
        return any(value_matches(expected, item) for item in _keyed(actual).values())
    return actual is not None and as_sent(expected) == actual


def params_match(expected: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
    """Whether ``params`` hold every key of ``expected`` with a matching value."""
    return all(key in params and value_matches(value, params[key]) for key, value in expected.items())


def mismatches(expected: Mapping[str, Any], params: Mapping[str, Any]) -> list[str]:
    """The keys of ``expected`` that ``params`` lack or hold with another value."""
    return [key for key, value in expected.items()
            if key not in params or not value_matches(value, params[key])]
