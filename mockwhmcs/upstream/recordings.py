"""Recorded exchanges: the golden fixture files ``mockwhmcs record --save`` writes and ``replay`` serves.

One JSON file per exchange, named ``NNNN-<action>.json`` (``0001-getclientsdetails.json``) in the
order the exchanges happened; a second session into the same directory continues the numbering::

    {
      "format": 1,
      "request": {"method": "POST", "path": "/includes/api.php", "action": "GetClientsDetails",
                  "params": {"clientid": "1", "responsetype": "json"}},
      "response": {"status": 200, "content_type": "application/json", "body": "{\"result\":...}",
                   "masked": false}
    }

``params`` are the decoded request parameters without the action (it has its own key) and without the
credentials (``CREDENTIALS``); any other secret (wire/redact.py) is masked as ``***``. ``body`` is the
answer's text as it came, unless it carried a secret: then that value is masked and ``masked`` is
true. A body that is not UTF-8 is kept as ``body_base64`` instead.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..control.journal import plain
from ..store.models import action_key
from ..wire.api import HttpAnswer
from ..wire.redact import REDACTED, SECRET_PARAMS
from ..wire.render import render
from .client import Exchange

FORMAT = 1
# What authenticates a call rather than says what it asks: never saved, never compared.
CREDENTIALS = frozenset({"identifier", "secret", "username", "password", "accesskey"})
_NUMBERED = re.compile(r"^(\d{4,})-")
# An element holding only text (or CDATA): what a secret is in WHMCS's XML.
_XML_SECRET = re.compile(r"<([A-Za-z0-9_]+)>((?:[^<]|<!\[CDATA\[.*?\]\]>)+)</\1>", re.DOTALL)


class RecordingError(Exception):
    """A recordings directory or file that cannot be replayed: one line, naming the file."""


def request_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """What identifies a request besides its action: its parameters without the action and the
    credentials, other secrets masked, JSON-ready. Saved in the file, and compared when replaying."""
    return plain({key: value for key, value in params.items() if key not in CREDENTIALS and key != "action"})


def masked_text(body: str) -> tuple[str, bool]:
    """``body`` with every secret value it carries masked, and whether there was one to mask.

    A JSON answer is decoded, masked and encoded again as WHMCS encodes (wire/render.py), so that
    nothing else in it changes; an XML answer has the text of its secret elements masked; an NVP
    answer (``key=value;…``) the values of its secret keys.
    """
    data = _json(body)
    if isinstance(data, dict):
        masked = plain(data)
        if masked == data:
            return body, False
        return render("json", masked, action="", version="").decode(), True
    if body.lstrip().startswith("<"):
        text = _XML_SECRET.sub(_mask_element, body)
    else:
        text = ";".join(_mask_pair(pair) for pair in body.split(";"))
    return text, text != body


def _mask_element(match: re.Match[str]) -> str:
    tag = match.group(1)
    return f"<{tag}>{REDACTED}</{tag}>" if tag.lower() in SECRET_PARAMS else match.group()


def _mask_pair(pair: str) -> str:
    name, equals, value = pair.partition("=")
    # An array element is named like products[product][0][password]: its last key is what counts.
    key = name.rsplit("[", 1)[-1].rstrip("]")
    return f"{name}={REDACTED}" if equals and value and key.lower() in SECRET_PARAMS else pair


def logged(body: bytes) -> Any:
    """An answer as the journal keeps it: decoded when it is JSON (the journal masks it as it shows
    it), else its text with secrets masked."""
    text = body.decode("utf-8", "replace")
    data = _json(text)
    return masked_text(text)[0] if data is None else data


# Deeper than any WHMCS answer: beyond it an answer is kept as text, which the journal (and masking)
# can walk without running out of Python's stack.
_MAX_DEPTH = 64


def _json(text: str) -> Any:
    """``text`` decoded as JSON, if it is JSON no deeper than ``_MAX_DEPTH``; else None."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > _MAX_DEPTH:
                return None
            items = value.values() if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)
    return data


@dataclass(frozen=True, slots=True)
class Recording:
    """One saved exchange, ready to replay."""

    name: str  # the file's name
    action: str
    params: dict[str, Any]
    answer: HttpAnswer
    logged: Any  # what the journal keeps of the answer (``logged``)

    @property
    def key(self) -> str:
        return action_key(self.action)


class FixtureWriter:
    """Writes each exchange to ``directory`` as the next numbered file. Thread-safe."""

    def __init__(self, directory: Path) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            numbers = [int(match.group(1)) for path in directory.iterdir()
                       if (match := _NUMBERED.match(path.name)) and path.suffix == ".json"]
        except OSError as error:
            raise RecordingError(f"{directory}: cannot write recordings there: {error.strerror}") from None
        self.directory = directory
        self._next = max(numbers, default=0) + 1
        self._lock = threading.Lock()

    def write(self, method: str, path: str, action: str, params: Mapping[str, Any],
              exchange: Exchange) -> str:
        """Save one exchange; returns the file's name. OSError when it cannot be written."""
        response: dict[str, Any] = {"status": exchange.status, "content_type": exchange.content_type}
        try:
            response["body"], response["masked"] = masked_text(exchange.body.decode("utf-8"))
        except UnicodeDecodeError:
            response["body_base64"] = base64.b64encode(exchange.body).decode("ascii")
        record = {"format": FORMAT, "request": {
            "method": method, "path": path, "action": action, "params": request_params(params),
        }, "response": response}
        text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
        with self._lock:
            while True:
                name = f"{self._next:04d}-{action_key(action) or 'noaction'}.json"
                self._next += 1
                try:
                    # "x": a file another session wrote meanwhile is never overwritten; the next number is.
                    with (self.directory / name).open("x", encoding="utf-8") as file:
                        file.write(text)
                    return name
                except FileExistsError:
                    continue


def load_recordings(directory: Path) -> list[Recording]:
    """Every ``*.json`` file in ``directory``, in name order; RecordingError for the first problem."""
    if not directory.is_dir():
        raise RecordingError(f"{directory}: not a directory of recordings")
    paths = sorted(path for path in directory.iterdir() if path.suffix == ".json" and path.is_file())
    if not paths:
        raise RecordingError(f"{directory}: no recordings (*.json files) in it")
    return [_load(path) for path in paths]


def _load(path: Path) -> Recording:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RecordingError(f"{path}: cannot be read: {error.strerror}") from None
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise RecordingError(f"{path}: not a JSON file: {error}") from None
    try:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise _Bad("format", f"expected {FORMAT}")
        action, params = _get(data, "request.action", str), _get(data, "request.params", dict)
        status, content_type = _get(data, "response.status", int), _get(data, "response.content_type", str)
        if "body" in _get(data, "response", dict):
            body = _get(data, "response.body", str).encode("utf-8")
        else:
            try:
                body = base64.b64decode(_get(data, "response.body_base64", str), validate=True)
            except ValueError:
                raise _Bad("response.body_base64", "not base64") from None
        if not 100 <= status <= 599:
            raise _Bad("response.status", f"{status} is not an HTTP status")
    except _Bad as bad:
        raise RecordingError(f"{path}: {bad.key}: {bad.problem}") from None
    return Recording(path.name, action, params, HttpAnswer(status, content_type, body), logged(body))


class _Bad(Exception):
    def __init__(self, key: str, problem: str) -> None:
        super().__init__(key)
        self.key, self.problem = key, problem


_KINDS = {dict: "an object", str: "a string", int: "a whole number"}


def _get(data: dict[str, Any], dotted: str, kind: type) -> Any:
    """The value at ``dotted`` (``request.params``), which must be of ``kind``."""
    value: Any = data
    for key in dotted.split("."):
        if not isinstance(value, dict) or key not in value:
            raise _Bad(dotted, "missing")
        value = value[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _Bad(dotted, f"expected {_KINDS[kind]}")
    return value
