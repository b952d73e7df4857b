"""Request data decoded the way PHP builds $_GET and $_POST from a form."""

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from mockwhmcs.php import PHP_INT_MAX, array_key

MAX_INPUT_VARS = 1000
MAX_NESTING = 64

_TOP_LEVEL_NAME = str.maketrans(" .", "__")
_UNMATCHED_NAME = str.maketrans(" .[", "___")
# C isspace(): PHP skips one of these after "[" so that "a[ ]" appends like "a[]".
_SPACE = frozenset(" \t\n\v\f\r")
_SEGMENT = re.compile(rb"[^&]+")
# urllib's unquote_to_bytes loops in Python over every "%", escape or not: 8 MiB of "%" take it ten
# seconds. Here the regex engine skips what is no escape, and only escapes cost a call.
_ESCAPE = re.compile(rb"%[0-9A-Fa-f]{2}")
_HEX = "0123456789abcdefABCDEF"
_ESCAPED = {f"%{high}{low}".encode(): bytes([int(high + low, 16)]) for high in _HEX for low in _HEX}


class _PhpArray(dict):
    """A PHP array under construction: it remembers the key that `[]` appends at."""

    __slots__ = ("next_index",)

    def __init__(self) -> None:
        super().__init__()
        # None until an integer key exists, like PHP's unset nNextFreeElement.
        self.next_index: int | None = None

    def put(self, index: str | None, value: Any) -> bool:
        """Store `value` at `index` (None appends); False when no integer key is left to append at."""
        key: int | str
        if index is not None:
            key = array_key(index)
        elif self.next_index is None:
            key = 0
        elif self.next_index <= PHP_INT_MAX:
            key = self.next_index
        else:
            return False
        if isinstance(key, int) and (self.next_index is None or key >= self.next_index):
            self.next_index = key + 1
        self[key] = value
        return True

    def subarray(self, index: str | None) -> "_PhpArray | None":
        """The array at `index`, replacing a scalar found there; None when an append has no key left."""
        if index is not None:
            found = self.get(array_key(index))
            if isinstance(found, _PhpArray):
                return found
        child = _PhpArray()
        return child if self.put(index, child) else None


def decode_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Build the PHP structure from ordered (name, value) pairs, as php_register_variable does."""
    variables: dict[str, Any] = {}
    for name, value in islice(pairs, MAX_INPUT_VARS):
        parsed = _parse_name(name)
        if parsed is None:
            continue
        top, indices = parsed
        if indices is None:
            # PHP discards the whole variable, not only this assignment.
            variables.pop(top, None)
        else:
            _register(variables, top, indices, value)
    return {name: _plain(value) for name, value in variables.items()}


def decode_query(raw: bytes | str) -> dict[str, Any]:
    """Decode an application/x-www-form-urlencoded string (a query string or a form body)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    return decode_pairs(_split_pairs(raw))


def _split_pairs(raw: bytes) -> Iterator[tuple[str, str]]:
    # Lazy, so that nothing past MAX_INPUT_VARS is ever decoded.
    for segment in _SEGMENT.finditer(raw):
        name, _, value = segment[0].partition(b"=")
        yield _unquote(name), _unquote(value)


def _unquote(text: bytes) -> str:
    text = text.replace(b"+", b" ")
    # Most names and values have nothing percent-encoded.
    if b"%" in text:
        text = _ESCAPE.sub(lambda escape: _ESCAPED[escape[0]], text)
    return text.decode("utf-8", "replace")


def _parse_name(name: str) -> tuple[str, list[str | None] | None] | None:
    """Split a variable name into its top-level name and bracket indices (None for `[]`).

    Returns None for a name PHP ignores, and indices None for a name nested deeper than MAX_NESTING.
    """
    # PHP reads names as C strings.
    name = name.partition("\0")[0].lstrip(" ")
    opening = name.find("[")
    if opening == -1:
        return (name.translate(_TOP_LEVEL_NAME), []) if name else None
    top = name[:opening].translate(_TOP_LEVEL_NAME)
    if not top:
        return None
    indices: list[str | None] = []
    while True:
        if len(indices) >= MAX_NESTING:
            return top, None
        start = opening + 1
        cursor = start + 1 if name[start : start + 1] in _SPACE else start
        if name.startswith("]", cursor):
            closing = cursor
            indices.append(None)
        else:
            closing = name.find("]", cursor)
            if closing == -1:
                # Without a "]" the "[" is part of the name; after an index the rest is ignored.
                if not indices:
                    top += "_" + name[start:].translate(_UNMATCHED_NAME)
                return top, indices
            indices.append(name[start:closing])
        opening = closing + 1
        # Anything after "]" other than "[" ends the name.
        if not name.startswith("[", opening):
            return top, indices


def _register(variables: dict[str, Any], top: str, indices: list[str | None], value: str) -> None:
    if not indices:
        variables[top] = value
        return
    array = variables.get(top)
    if not isinstance(array, _PhpArray):
        array = variables[top] = _PhpArray()
    for index in indices[:-1]:
        array = array.subarray(index)
        if array is None:
            return
    array.put(indices[-1], value)


def _plain(value: Any) -> Any:
    if isinstance(value, _PhpArray):
        return {key: _plain(item) for key, item in value.items()}
    return value
