"""Request data decoded the way PHP builds $_GET and $_POST from a form."""

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from typing import Any

from mockwhmcs.php import PHP_INT_MAX, array_key

MAX_INPUT_VARS = 1000
MAX_NESTING = 64

# A parsed variable name: the top-level name and the array keys of its brackets (None for `[]`), or
# no keys (None) for a name nested deeper than MAX_NESTING.
Indices = tuple[int | str | None, ...]
ParsedName = tuple[str, Indices | None]

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

    def put(self, key: int | str | None, value: Any) -> bool:
        """Store `value` at `key` (None appends); False when no integer key is left to append at."""
        if key is None:
            if self.next_index is None:
                key = 0
            elif self.next_index <= PHP_INT_MAX:
                key = self.next_index
            else:
                return False
        if isinstance(key, int) and (self.next_index is None or key >= self.next_index):
            self.next_index = key + 1
        self[key] = value
        return True

    def subarray(self, key: int | str | None) -> "_PhpArray | None":
        """The array at `key`, replacing a scalar found there; None when an append has no key left."""
        if key is not None:
            found = self.get(key)
            if isinstance(found, _PhpArray):
                return found
        child = _PhpArray()
        return child if self.put(key, child) else None


def decode_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Build the PHP structure from ordered (name, value) pairs, as php_register_variable does."""
    return _build((_parse_name(name), value) for name, value in islice(pairs, MAX_INPUT_VARS))


def decode_query(raw: bytes | str) -> dict[str, Any]:
    """Decode an application/x-www-form-urlencoded string (a query string or a form body)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    return _build(_split_pairs(raw))


def _split_pairs(raw: bytes) -> Iterator[tuple[ParsedName | None, str]]:
    # Lazy, so that nothing past MAX_INPUT_VARS is ever decoded.
    for segment in islice(_SEGMENT.finditer(raw), MAX_INPUT_VARS):
        name, _, value = segment[0].partition(b"=")
        yield (_parse_raw_name(name) if len(name) <= _CACHED_NAME_BYTES else _parse_name(_unquote(name)),
               _unquote(value))


def _build(pairs: Iterable[tuple[ParsedName | None, str]]) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    nested = False
    for parsed, value in pairs:
        if parsed is None:
            continue
        top, indices = parsed
        if indices:
            nested = True
            _register(variables, top, indices, value)
        elif indices is None:
            # PHP discards the whole variable, not only this assignment.
            variables.pop(top, None)
        else:
            variables[top] = value
    return {name: _plain(value) for name, value in variables.items()} if nested else variables


def _unescape(escape: re.Match[bytes]) -> bytes:
    return _ESCAPED[escape[0]]


def _unquote(text: bytes) -> str:
    if b"+" in text:
        text = text.replace(b"+", b" ")
    # Most names and values have nothing percent-encoded.
    if b"%" in text:
        text = _ESCAPE.sub(_unescape, text)
    return text.decode("utf-8", "replace")


# Clients send the same few dozen names on every request, so a name is parsed once. Only short names
# are kept, so that hostile bodies cannot fill the cache with megabytes.
_CACHED_NAME_BYTES = 128


@lru_cache(maxsize=4096)
def _parse_raw_name(raw: bytes) -> ParsedName | None:
    return _parse_name(_unquote(raw))


def _parse_name(name: str) -> ParsedName | None:
    """Split a variable name into its top-level name and the array keys in its brackets (None for `[]`).

    Returns None for a name PHP ignores, and indices None for a name nested deeper than MAX_NESTING.
    """
    # PHP reads names as C strings.
    name = name.partition("\0")[0].lstrip(" ")
    opening = name.find("[")
    if opening == -1:
        return (name.translate(_TOP_LEVEL_NAME), ()) if name else None
    top = name[:opening].translate(_TOP_LEVEL_NAME)
    if not top:
        return None
    indices: list[int | str | None] = []
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
                return top, tuple(indices)
            indices.append(array_key(name[start:closing]))
        opening = closing + 1
        # Anything after "]" other than "[" ends the name.
        if not name.startswith("[", opening):
            return top, tuple(indices)


def _register(variables: dict[str, Any], top: str, indices: Indices, value: str) -> None:
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
