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
import socket
import urllib.error
import urllib.request
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
    """One answer exactly as it came: status, content type and the body's bytes."""

    status: int
    content_type: str
    body: bytes

    def json(self) -> Any:
        """The body as JSON; None when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


class Upstream:
    """A WHMCS's API at ``url``, called with one API credential (identifier and secret)."""

    def __init__(self, url: str, identifier: str, secret: str, *, accesskey: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.url, self.authorization = api_url(url)
        self.identifier = identifier
        self.secret = secret
        self.accesskey = accesskey
        self.timeout = timeout

    def credentials(self) -> dict[str, str]:
        fields = {"identifier": self.identifier, "secret": self.secret}
        if self.accesskey:
            fields["accesskey"] = self.accesskey
        return fields

    def post(self, body: bytes, *, query: str = "", content_type: str = "application/x-www-form-urlencoded",
             path_suffix: str = "", method: str = "POST") -> Exchange:
        """Post ``body`` as it is (or send it with ``method``: a GET passes on as a GET); any HTTP status
        comes back as an Exchange. UpstreamError when the WHMCS cannot be reached at all."""
        url = self.url + path_suffix + (f"?{query}" if query else "")
        headers = {"User-Agent": "mockwhmcs"}
        if self.authorization:
            headers["Authorization"] = self.authorization
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=body if body or method == "POST" else None, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return Exchange(response.status, response.headers.get("Content-Type", ""), _read(response))
        except urllib.error.HTTPError as error:
            with error:
                return Exchange(error.code, error.headers.get("Content-Type", ""), _read(error))
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise UpstreamError(f"cannot reach {self.url}: {_reason(error)}", UNREACHABLE) from None

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


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower() if reason.strerror[0].isupper() else reason.strerror
    return str(reason) or type(reason).__name__
