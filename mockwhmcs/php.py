"""PHP semantics that WHMCS applies to request parameters."""

import base64
import json
import math
import re
from typing import Any, NoReturn

import phpserialize

PHP_INT_MAX = 2**63 - 1
PHP_INT_MIN = -(2**63)

# PHP turns a string key into an integer key only in this canonical form: "05", "+5", "5.0" and "-0"
# stay strings.
_INTEGER_KEY = re.compile(r"-?[1-9][0-9]*|0")
_INTEGER_KEY_MAX_CHARS = len(str(PHP_INT_MIN))
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")


def array_key(key: str) -> int | str:
    """The key PHP stores for `key` in an array: an int for a canonical 64-bit decimal, else `key`."""
    # The length test keeps int() away from huge digit strings, which would also exceed 64 bits.
    if len(key) <= _INTEGER_KEY_MAX_CHARS and _INTEGER_KEY.fullmatch(key):
        number = int(key)
        if PHP_INT_MIN <= number <= PHP_INT_MAX:
            return number
    return key


# The number a PHP numeric or leading-numeric string starts with (php.net, "Numeric strings"): PHP's
# six whitespace characters, a sign, digits with an optional decimal point, an optional exponent.
_LEADING_NUMBER = re.compile(r"[ \t\n\r\v\f]*([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
# A decimal integer of up to 19 digits may fit in 64 bits; longer ones are read as a float, as PHP does.
_INTEGER_DIGITS = len(str(PHP_INT_MAX))


def intval(value: Any) -> int:
    """PHP 8's ``(int)`` cast of a request parameter (64-bit).

    The string's leading number, integer or float ("12abc" is 12, "1e3" 1000, " 12.7" 12, "0x1A" 0);
    a float is truncated toward zero, one beyond the integer range saturates at PHP_INT_MAX/MIN, and
    one too large for a float at all ("1e400", or hundreds of digits) is infinite and casts to 0.
    """
    if isinstance(value, bool | int):
        return int(value)
    if not isinstance(value, str):
        return 0
    if value.isdigit() and value.isascii() and len(value) <= 18:
        return int(value)  # the usual id: no regex needed
    match = _LEADING_NUMBER.match(value)
    if match is None:
        return 0
    sign, digits, exponent = match.groups()
    if digits.isdigit() and not exponent:
        significant = digits.lstrip("0")
        # The length test keeps int() away from hostile multi-kilobyte digit runs.
        if len(significant) <= _INTEGER_DIGITS:
            number = int(sign + (significant or "0"))
            if PHP_INT_MIN <= number <= PHP_INT_MAX:
                return number
    return _float_to_int(_float(match))


def floatval(value: str) -> float:
    """PHP's ``(float)`` cast of a string: its leading number ("12abc" is 12.0, "1e3" 1000.0), else
    0.0; a number too large for a float is infinite ("1e400")."""
    match = _LEADING_NUMBER.match(value)
    return 0.0 if match is None else _float(match)


def _float(match: re.Match[str]) -> float:
    # Python's float() rounds correctly, as PHP's zend_strtod does.
    sign, digits, exponent = match.groups()
    return float(sign + digits + (exponent or ""))


def _float_to_int(number: float) -> int:
    """How PHP casts a float read from a string: infinity is 0, out-of-range values saturate."""
    if not math.isfinite(number):
        return 0
    if number >= 2.0**63:
        return PHP_INT_MAX
    if number < -(2.0**63):
        return PHP_INT_MIN
    return int(number)


def truthy(value: Any) -> bool:
    """PHP truthiness: only None, "", "0", 0, False and empty arrays are false ("false" is true)."""
    if isinstance(value, str):
        return value not in ("", "0")
    return bool(value)


_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#039;"})


def html_clean(text: str) -> str:
    """WHMCS's input cleaning: PHP's ``htmlspecialchars(..., ENT_QUOTES)`` of request text it stores,
    so ``Tom & <Jerry>`` is kept (and read back) as ``Tom &amp; &lt;Jerry&gt;``."""
    return text.translate(_HTML_SPECIAL)


def php_text(value: Any) -> str:
    """A decoded PHP value as WHMCS saves it in a text column (true is "1", false and null "")."""
    if isinstance(value, bool):
        return "1" if value else ""
    if value is None:
        return ""
    return "Array" if isinstance(value, dict) else str(value)


def is_array(value: Any) -> bool:
    """Whether a parameter is a PHP array."""
    return isinstance(value, (dict, list))


def as_array(value: Any) -> dict[int | str, Any]:
    """A parameter viewed as a PHP array: absent is empty and a scalar is a one-element array."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return dict(enumerate(value))
    if value is None:
        return {}
    return {0: value}


def unserialize_base64(value: str, *, param: str) -> dict[int | str, Any]:
    """Decode a base64-encoded PHP serialized array, as WHMCS reads customfields and configoptions.

    Raises ValueError naming `param` when the value is not one. Objects are never built.
    """
    error = f"{param} is not a base64-encoded PHP serialized array"
    # A form parameter sent with brackets arrives here as an array.
    if not isinstance(value, str):
        raise ValueError(error)
    try:
        result = phpserialize.loads(
            base64_decode(value),
            decode_strings=True,
            errors="replace",
            object_hook=_refuse_object,
            array_hook=_php_array,
        )
    except (ValueError, RecursionError) as exc:
        raise ValueError(error) from exc
    if not isinstance(result, dict):
        raise ValueError(error)
    return result


def json_base64(value: str) -> Any:
    """``json_decode(base64_decode(value), true)``, how WHMCS reads a ticket's ``attachments``;
    ValueError when the value is not JSON."""
    return json.loads(base64_decode(value))


def base64_decode(text: str) -> bytes:
    # PHP's base64_decode() (not strict) skips every character outside the alphabet, padding included,
    # and accepts a missing final padding; a lone trailing character carries no whole byte.
    digits = _NOT_BASE64.sub("", text)
    if len(digits) % 4 == 1:
        digits = digits[:-1]
    return base64.b64decode(digits + "=" * (-len(digits) % 4))


def _refuse_object(name: str, members: dict[Any, Any]) -> NoReturn:
    raise ValueError(f"serialized PHP object of class {name!r} refused")


def _php_array(pairs: list[tuple[Any, Any]]) -> dict[int | str, Any]:
    # PHP array keys are integers or strings, and numeric string keys become integers.
    array: dict[int | str, Any] = {}
    for key, item in pairs:
        if isinstance(key, str):
            key = array_key(key)
        elif isinstance(key, bool) or not isinstance(key, int):
            raise ValueError(f"invalid PHP array key {key!r}")
        array[key] = item
    return array
