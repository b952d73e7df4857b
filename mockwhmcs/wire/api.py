"""The WHMCS API endpoint: decode the PHP request, check access, run the action, render the answer."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import parse_form_data

from ..actions.registry import Action, Call, run
from ..actions.registry import Response as ActionResponse
from ..errors import ApiError
from ..store.models import action_key
from ..store.store import Store
from .access import Credentials, authenticate, authorize, check_ip
from .phpform import decode_pairs, decode_query
from .render import CONTENT_TYPES, render

log = logging.getLogger("mockwhmcs")

# PHP's post_max_size default.
DEFAULT_MAX_BODY = 8 * 1024 * 1024
# Read from the query string first, then the body (FIDELITY §1).
SPECIAL_PARAMS = frozenset(
    {"action", "responsetype", "identifier", "secret", "username", "password", "accesskey"}
)


@dataclass(slots=True)
class ApiRequest:
    """A decoded API request: PHP's $_GET and $_POST, and the merged parameters an action sees."""

    method: str
    path: str
    ip: str
    query: dict[str, Any]
    body: dict[str, Any]
    params: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        # PHP's $_REQUEST: on a collision the body wins, whole value for whole value.
        self.params = {**self.query, **self.body}

    def special(self, name: str) -> str | None:
        value = self.query.get(name)
        if isinstance(value, str):
            return value
        value = self.body.get(name)
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    """What goes back on the wire: no framework objects, so any WSGI server (or none) can send it."""

    status: int
    content_type: str
    body: bytes


@dataclass(slots=True)
class ApiAnswer:
    status: int
    fmt: str
    action: str
    data: ActionResponse
    version: str

    def encode(self) -> HttpAnswer:
        body = render(self.fmt, self.data, action=self.action, version=self.version)
        return HttpAnswer(self.status, CONTENT_TYPES[self.fmt], body)


def decode_environ(environ: dict[str, Any], max_body: int) -> ApiRequest:
    """PHP's $_GET and $_POST from a WSGI environ; raises RequestEntityTooLarge past ``max_body``."""
    method = environ.get("REQUEST_METHOD", "GET")
    query = decode_query(environ.get("QUERY_STRING", ""))
    body: dict[str, Any] = {}
    if method == "POST":
        if environ.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
            # PHP leaves $_POST empty when it cannot parse a multipart body, and caps the variables it
            # keeps (max_input_vars, in decode_pairs) rather than the parts it reads.
            _, form, _ = parse_form_data(environ, max_content_length=max_body, silent=True,
                                         max_form_parts=None)
            # A part whose name werkzeug cannot read comes keyed None; PHP skips a part without a name.
            body = decode_pairs((name, value) for name, value in form.items(multi=True) if name is not None)
        else:
            # WHMCS reads PHP's $_POST, which PHP fills from form bodies whatever the header says.
            body = decode_query(read_body(environ, max_body))
    return ApiRequest(method, environ.get("PATH_INFO", ""), environ.get("REMOTE_ADDR", ""), query, body)


def too_large_message(max_body: int) -> str:
    """What a client sent a body over ``max_body`` reads, from this app or from the server in front."""
    return f"Request body larger than the {max_body} bytes allowed (like PHP's post_max_size)\n"


# More digits than any body mockwhmcs accepts; int() would refuse a hostile run of thousands of them.
_LENGTH_DIGITS = 18


def content_length(environ: dict[str, Any]) -> int | None:
    """The body length the request declares, None if it declares none (or no number)."""
    declared = environ.get("CONTENT_LENGTH", "")
    # isdigit() alone also accepts digits such as "²" that int() refuses.
    if not (declared.isascii() and declared.isdigit()):
        return None
    return int(declared) if len(declared) <= _LENGTH_DIGITS else 10**_LENGTH_DIGITS


def read_body(environ: dict[str, Any], max_body: int) -> bytes:
    """The request body, refused past ``max_body`` before it is read where the length is declared.

    Reads exactly what is there: asking a WSGI stream for ``max_body`` bytes at once makes some
    servers allocate that much on every request.
    """
    stream = environ["wsgi.input"]
    declared = content_length(environ)
    if declared is not None:
        if declared > max_body:
            raise RequestEntityTooLarge
        return stream.read(declared)
    if not environ.get("wsgi.input_terminated"):
        return b""  # no length and no end marker: WSGI gives no safe way to read a body
    chunks, size = [], 0
    while chunk := stream.read(65536):  # chunked transfer encoding, decoded by the server
        size += len(chunk)
        if size > max_body:
            raise RequestEntityTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def answer(store: Store, req: ApiRequest, path_action: str | None = None) -> ApiAnswer:
    """Run one API request through WHMCS's checks, in WHMCS's order."""
    raw_format = req.special("responsetype")
    name = path_action if path_action is not None else req.special("action") or ""
    # Until the format is settled, only exactly "json" or "xml" select those; anything else is NVP.
    early_format = raw_format if raw_format in ("json", "xml") else "nvp"
    fmt = early_format
    # Until the action is resolved, an XML error shows the name as the client sent it (Add_Order).
    shown = name
    try:
        catalog = store.catalog
        check_ip(catalog, req.ip, req.special("accesskey"))
        caller = authenticate(catalog, Credentials(
            identifier=req.special("identifier"), secret=req.special("secret"),
            username=req.special("username"), password=req.special("password"),
        ))
        entry = authorize(caller, name)
        fmt = response_format(raw_format, entry)
        shown = action_key(name)
        call = Call(req.params, store, ip=req.ip, admin=caller.admin.username)
        data = run(entry, call)
    except ApiError as error:
        return ApiAnswer(error.http_status, fmt, shown, error.envelope(), "")
    return ApiAnswer(200, fmt, entry.key, data, catalog.settings.whmcs_version)


def response_format(raw: str | None, entry: Action | None) -> str:
    """The format ``responsetype`` selects for ``entry`` (None: an action WHMCS does not know)."""
    list_style = entry is not None and entry.list_style
    if raw is None:
        return "xml" if list_style else "nvp"
    fmt = raw.lower()
    if fmt not in CONTENT_TYPES:
        raise ApiError(
            f'Unsupported API response type format "{raw}". Supported formats include: json, xml, nvp'
        )
    if fmt == "nvp" and list_style:
        raise ApiError("This API action only supports the XML or JSON response type formats")
    return fmt


def requested_format(raw: str | None, entry: Action | None) -> str:
    """The format asked for if WHMCS would accept it, else the action's default: how an answer that
    skips WHMCS's checks (an injected fault) is rendered."""
    try:
        return response_format(raw, entry)
    except ApiError:
        return response_format(None, entry)


def error_answer(req: ApiRequest, entry: Action | None, name: str, message: str) -> ApiAnswer:
    """A WHMCS error envelope (HTTP 200) for a request answered without WHMCS's checks, in the format it
    asked for: an injected error, a replay that found no recording."""
    fmt = requested_format(req.special("responsetype"), entry)
    return ApiAnswer(200, fmt, action_key(name), ApiError(message).envelope(), "")


def internal_error(exc: BaseException, req: ApiRequest | None = None) -> ApiAnswer:
    """A bug in the mock still answers in WHMCS's envelope; the traceback goes to the server log.

    ``req`` is None when the request could not even be decoded: the answer is then NVP.
    """
    log.error("unexpected error while answering an API request", exc_info=exc)
    raw = req.special("responsetype") if req else None
    return ApiAnswer(
        200, raw if raw in ("json", "xml") else "nvp", action_key(req.special("action") or "") if req else "",
        {"result": "error", "message": f"mockwhmcs internal error: {type(exc).__name__}"}, "",
    )
