"""Any request, however hostile, gets a WHMCS envelope in the format it selected: never a 5xx, never a
traceback, never an internal error, and the store's invariants still hold.

The app is called as a WSGI callable with a crafted environ (no socket: thousands of requests a
second), and keeps its state from one example to the next, as a server under a fuzzer would.
"""

from __future__ import annotations

import hashlib
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_from_bytes

from hypothesis import event, given
from hypothesis import strategies as st

from mockwhmcs.actions.registry import find_action
from mockwhmcs.app import create_app, engine_of
from mockwhmcs.wire.api import DEFAULT_MAX_BODY, content_length, decode_environ
from mockwhmcs.wire.render import CONTENT_TYPES
from tests.fuzz.envelope import envelope_result, error_kind
from tests.fuzz.strategies import ACTION_NAMES, as_bytes, names, plausible_params, values
from tests.invariants import check_invariants
from tests.support import IDENTIFIER, SECRET, TEST_SCENARIOS

APP = create_app(TEST_SCENARIOS / "addorder.yaml")
STORE_LIMIT = 300  # orders; past it the store is reset, so that checking the invariants stays cheap

_action_names = st.one_of(
    st.sampled_from(ACTION_NAMES),
    st.sampled_from(ACTION_NAMES).map(str.lower),
    st.sampled_from(["add_order", "ACCEPT-ORDER", "getorders ", "", "Unknown"]),
    st.text(max_size=10),
)
# Mostly values WHMCS accepts: a refused format ends the request before the action runs.
_response_types = st.one_of(
    st.sampled_from([None, "json", "xml", "nvp", "JSON", "Xml", "NVP"]),
    st.sampled_from(["yaml", "", " json"]), st.text(max_size=5),
)
_credentials = st.sampled_from([
    *[[("identifier", IDENTIFIER), ("secret", SECRET)]] * 6,
    [("username", IDENTIFIER), ("password", SECRET)],
    [("username", "admin"), ("password", hashlib.md5(b"admin-password").hexdigest())],
    [("identifier", IDENTIFIER), ("secret", "wrong")],
    [("identifier[]", IDENTIFIER), ("secret", SECRET)],
    [],
])
Pair = tuple[str | bytes, str | bytes]


@dataclass
class Request:
    environ: dict[str, Any]
    body: bytes

    def fresh(self) -> dict[str, Any]:
        """The environ with an unread body: decoding consumes it."""
        return {**self.environ, "wsgi.input": io.BytesIO(self.body)}


@st.composite
def _encoded(draw: st.DrawFn, pairs: list[Pair]) -> bytes:
    """A form string; most parts percent-encoded, some sent raw (NULs, "&" and invalid UTF-8 included)."""
    parts = []
    for name, value in pairs:
        raw = draw(st.integers(0, 9)) == 0
        encode = (lambda part: part) if raw else (lambda part: quote_from_bytes(part, safe="[]").encode())
        parts.append(encode(as_bytes(name)) + b"=" + encode(as_bytes(value)))
    return b"&".join(parts) + draw(st.one_of(st.just(b""), st.binary(max_size=16)))


def _multipart(pairs: list[Pair]) -> tuple[str, bytes]:
    boundary = "mockwhmcsfuzz"
    lines = []
    for name, value in pairs:
        lines += [f"--{boundary}".encode(),
                  b'Content-Disposition: form-data; name="' + as_bytes(name).replace(b'"', b"%22") + b'"',
                  b"", as_bytes(value)]
    lines += [f"--{boundary}--".encode(), b""]
    return f"multipart/form-data; boundary={boundary}", b"\r\n".join(lines)


@st.composite
def requests(draw: st.DrawFn) -> Request:
    name = draw(_action_names)
    entry = find_action(name)
    pairs: list[Pair] = [("action", name), *draw(_credentials)]
    responsetype = draw(_response_types)
    if responsetype is not None:
        pairs.append(("responsetype", responsetype))
    if entry is not None:
        pairs += draw(plausible_params(entry))
    pairs = draw(st.permutations([*pairs, *draw(st.lists(st.tuples(names, values), max_size=6))]))
    method = draw(st.sampled_from(["POST", "POST", "GET"]))
    in_query = [draw(st.booleans()) or method == "GET" for _ in pairs]
    query = draw(_encoded([pair for pair, queried in zip(pairs, in_query, strict=True) if queried]))
    form = [pair for pair, queried in zip(pairs, in_query, strict=True) if not queried]
    content_type = draw(st.sampled_from(["application/x-www-form-urlencoded", "multipart/form-data",
                                         "text/plain", "", "multipart/form-data; boundary=x"]))
    if content_type == "multipart/form-data":
        content_type, body = _multipart(form)
    else:
        body = draw(_encoded(form))
    environ = {
        "REQUEST_METHOD": method,
        # WSGI paths are bytes read as latin-1; a "/" in the action would make it another path.
        "PATH_INFO": draw(st.sampled_from(["/includes/api.php", "//includes/api.php",
                                           "/api/v1/" + as_bytes(name.replace("/", "")).decode("latin-1")])),
        "QUERY_STRING": query.decode("latin-1"),
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": draw(st.sampled_from([str(len(body))] * 6 + ["", "x", "\u00b2", "-1", "9" * 999])),
        "REMOTE_ADDR": draw(st.sampled_from(["127.0.0.1"] * 6 + ["::1", "10.1.2.3"])),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input_terminated": draw(st.booleans()),
        "wsgi.errors": io.StringIO(),
    }
    return Request(environ, body)


def call(request: Request) -> tuple[int, dict[str, str], bytes]:
    answered: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answered["status"], answered["headers"] = int(status.split()[0]), dict(headers)

    body = b"".join(APP(request.fresh(), start_response))
    return answered["status"], answered["headers"], body


def formats_allowed(request: Request) -> set[str]:
    """The formats the request may be answered in (FIDELITY §3): exactly "json" or "xml" always select
    themselves; another valid value selects itself once WHMCS accepts the request, NVP before that;
    without one, list-style actions answer XML and the others NVP."""
    req = decode_environ(request.fresh(), 10**9)
    path = request.environ["PATH_INFO"].lstrip("/")
    name = path[len("api/v1/"):] if path.startswith("api/v1/") else req.special("action") or ""
    entry = find_action(name)
    raw = req.special("responsetype")
    if raw in ("json", "xml"):
        return {raw}
    if raw is None:
        return {"nvp", "xml"} if entry is not None and entry.list_style else {"nvp"}
    return {raw.lower(), "nvp"} if raw.lower() in CONTENT_TYPES else {"nvp"}


def _message(fmt: str, body: bytes) -> str:
    if fmt == "json":
        return str(json.loads(body)["message"])
    if fmt == "xml":
        return ET.fromstring(body).findtext("message") or ""
    return body.decode().partition("message=")[2]


@given(requests())
def test_any_request_gets_a_whmcs_envelope_in_the_format_it_selected(request: Request) -> None:
    store = engine_of(APP).store
    if len(store.orders) > STORE_LIMIT:
        store.reset()
    status, headers, body = call(request)
    if status == 413:  # a Content-Length past any limit: refused before a byte is read
        assert (content_length(request.environ) or 0) > DEFAULT_MAX_BODY
        assert b"post_max_size" in body
        return

    assert status in (200, 400, 403), (status, body[:300])
    assert b"Traceback" not in body
    assert b"mockwhmcs internal error" not in body, body[:300]
    fmt = next(fmt for fmt, content_type in CONTENT_TYPES.items() if content_type == headers["Content-Type"])
    assert fmt in formats_allowed(request)
    result = envelope_result(fmt, body)
    assert result in ("success", "error")
    # How deep the fuzzer gets, in --hypothesis-show-statistics: errors WHMCS raises early are cheap.
    event(f"error: {error_kind(_message(fmt, body))}" if result == "error" else result)
    assert int(headers["Content-Length"]) == len(body)
    check_invariants(store)
