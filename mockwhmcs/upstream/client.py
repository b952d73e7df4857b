"""A WHMCS somewhere else, reached through its API: where it is, how it answers, and what went wrong.

Every command that reads another WHMCS (``import``, ``record``, ``compare``) goes through
``Upstream``, so an unreachable host, a refusal and an answer that is not WHMCS's each read the same
one line and exit with the same code whichever command met them.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import select
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from ..client import http_build_query

API_PATH = "includes/api.php"
DEFAULT_TIMEOUT = 30.0
# The most of an answer kept: a WHMCS answer that needs more than this is a catalogue nobody sells
# from, and a misconfigured URL can stream a file of any size.
MAX_ANSWER = 64 * 1024 * 1024

# Exit codes, the same for every command that talks to another WHMCS (the README lists them).
UNREACHABLE = 3
REFUSED = 4
NOT_WHMCS = 5
FAILED = 6


class UpstreamError(Exception):
    """One line for the user, and the exit code that goes with it."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def api_url(url: str) -> tuple[str, str | None]:
    """The API endpoint of the WHMCS at ``url`` (its root as users give it, with or without a trailing
    slash, or the endpoint itself, ``…/includes/api.php``), and the HTTP basic authorization its
    ``user:password@`` asks for, if any: a staging WHMCS often sits behind one. The endpoint never
    holds the password, so every message, report and journal entry that names it is safe to show."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UpstreamError(f"{public(url)!r} is not an http:// or https:// address", 2)
    if parts.query or parts.fragment:
        raise UpstreamError(f"{public(url)!r}: give the WHMCS's address without a query string "
                            "(an access key goes in --accesskey)", 2)
    path = parts.path
    if not path.endswith(".php"):
        path = path.rstrip("/") + "/" + API_PATH
    authorization = None
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], path, "", "")), authorization


def public(url: str) -> str:
    """``url`` without its user and password, for a message about a URL that could not be used."""
    return re.sub(r"//[^/@]*@", "//", url)


@dataclass(frozen=True, slots=True)
class Exchange:
    """One answer exactly as it came: status, content type and the body's bytes (and where a redirect
    points)."""

    status: int
    content_type: str
    body: bytes
    location: str = ""

    def json(self) -> Any:
        """The body as JSON; None when it is not JSON (or nests deeper than Python can read)."""
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError):
            return None


class Upstream:
    """A WHMCS's API at ``url``, called with one API credential (identifier and secret).

    Each thread keeps its connection open between calls: an import of a thousand clients is thousands
    of calls, and over HTTPS a new connection costs a TLS handshake each time. Even on loopback,
    without TLS, a GetCurrencies call took 560 µs on a kept connection against 815 µs on a new one
    (best of three rounds of 500). Nothing is ever sent twice: a connection the WHMCS closed while
    it was idle is noticed before it is used (only one it closes at the very moment of reuse fails).
    """

    def __init__(self, url: str, identifier: str, secret: str, *, accesskey: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.url, self.authorization = api_url(url)
        self.identifier = identifier
        self.secret = secret
        self.accesskey = accesskey
        self.timeout = timeout
        self._local = threading.local()

    def credentials(self) -> dict[str, str]:
        fields = {"identifier": self.identifier, "secret": self.secret}
        if self.accesskey:
            fields["accesskey"] = self.accesskey
        return fields

    def post(self, body: bytes, *, query: str = "", content_type: str = "application/x-www-form-urlencoded",
             path_suffix: str = "", method: str = "POST") -> Exchange:
        """Post ``body`` as it is (or send it with ``method``: a GET passes on as a GET); any HTTP status
        comes back as an Exchange, a redirect included. UpstreamError when the WHMCS cannot be reached."""
        parts = urlsplit(self.url + path_suffix)
        headers = {"User-Agent": "mockwhmcs"}
        if self.authorization:
            headers["Authorization"] = self.authorization
        if content_type:
            headers["Content-Type"] = content_type
        connection = self._connection(parts.scheme, parts.netloc)
        try:
            connection.request(method, parts.path + (f"?{query}" if query else ""),
                               body=body if body or method == "POST" else None, headers=headers)
            with connection.getresponse() as response:
                exchange = Exchange(response.status, response.getheader("Content-Type", ""), _read(response),
                                    response.getheader("Location", ""))
                if response.will_close:
                    self._close()
                return exchange
        except (OSError, http.client.HTTPException) as error:
            self._close()
            raise UpstreamError(f"cannot reach {self.url}: {_reason(error)}", UNREACHABLE) from None
        except BaseException:
            self._close()  # an answer too large, an interrupt: the connection is in an unknown state
            raise

    def _connection(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        """This thread's open connection to ``netloc``, or a new one."""
        kept: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        if kept is not None and (self._local.address != (scheme, netloc) or _closed_by_peer(kept)):
            self._close()
            kept = None
        if kept is None:
            kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
            kept = kind(netloc, timeout=self.timeout)
            self._local.connection, self._local.address = kept, (scheme, netloc)
        return kept

    def _close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def __copy__(self) -> Upstream:
        # A copy (the same WHMCS at another path) keeps its own connections.
        copied = object.__new__(Upstream)
        copied.__dict__.update(self.__dict__, _local=threading.local())
        return copied

    def exchange(self, action: str, params: Mapping[str, Any] | None = None, *,
                 credentials: Mapping[str, str] | None = None) -> Exchange:
        """Call ``action`` as JSON with ``params`` (PHP-encoded); the answer as it came."""
        fields = {"action": action, **(self.credentials() if credentials is None else credentials),
                  "responsetype": "json", **(params or {})}
        return self.post(http_build_query(fields).encode())

    def call(self, action: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Call ``action`` and return its successful answer. UpstreamError for a refusal (403), an
        answer that is not WHMCS's, or a WHMCS error."""
        answer = self.exchange(action, params)
        data = answer.json()
        whmcs = isinstance(data, dict) and "result" in data
        if answer.status == 403:
            # WHMCS's refusals (bad credentials, an IP not allowed) come as 403s, and so do a web
            # server's or a firewall's in front of it: both mean the same thing to the user.
            why = data.get("message", "") if whmcs else describe(answer)
            raise UpstreamError(f"{self.url} refused {action} (HTTP 403): {why}", REFUSED)
        if not whmcs:
            raise UpstreamError(f"{self.url} did not answer {action} like a WHMCS API: {describe(answer)}",
                                NOT_WHMCS)
        if data.get("result") != "success":
            raise UpstreamError(f"{action} failed on {self.url}: {data.get('message', '')}", FAILED)
        return data


def describe(answer: Exchange) -> str:
    """A short, printable account of an answer that is not what was expected."""
    if answer.location:
        return f"HTTP {answer.status}, redirected to {answer.location} (give that address instead)"
    text = answer.body[:120].decode("utf-8", "replace")
    shown = " ".join(text.split())
    more = "…" if len(answer.body) > 120 else ""
    kind = answer.content_type or "no content type"
    return f"HTTP {answer.status}, {kind}: {shown!r}{more}" if shown else f"HTTP {answer.status}, empty body"


def _read(response: Any) -> bytes:
    body = response.read(MAX_ANSWER + 1)
    if len(body) > MAX_ANSWER:
        raise UpstreamError(f"an answer larger than {MAX_ANSWER} bytes; not a WHMCS API answer", NOT_WHMCS)
    return body


def _closed_by_peer(connection: http.client.HTTPConnection) -> bool:
    """Whether a kept connection can no longer be used: the WHMCS closed it while it was idle (its
    socket reads as ready: the end of the stream, where no answer is owed)."""
    sock = connection.sock
    if sock is None:
        return True
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower() if reason.strerror[0].isupper() else reason.strerror
    return str(reason) or type(reason).__name__
