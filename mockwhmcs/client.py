"""A minimal WHMCS API client that encodes requests exactly as PHP's ``http_build_query`` does."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus


def http_build_query(data: Mapping[str, Any]) -> str:
    """PHP's ``http_build_query``: nested arrays as ``key[i]`` / ``key[name]``, booleans as 1/0,
    None left out, RFC 1738 encoding (space as ``+``)."""
    pairs: list[str] = []
    for key, value in data.items():
        _encode(_urlencode(str(key)), value, pairs)
    return "&".join(pairs)


def _encode(prefix: str, value: Any, pairs: list[str]) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        pairs.append(f"{prefix}={_urlencode(_php_string(value))}")
        return
    for key, item in items:
        _encode(f"{prefix}%5B{_urlencode(str(key))}%5D", item, pairs)


def _php_string(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _urlencode(text: str) -> str:
    # PHP's urlencode leaves only alphanumerics and -_. unencoded.
    return quote_plus(text, safe="").replace("~", "%7E")


class WhmcsClient:
    """Posts API calls as JSON requests, the way most integrations talk to WHMCS."""

    def __init__(self, url: str, identifier: str, secret: str, timeout: float = 10.0) -> None:
        self.url = url
        self.identifier = identifier
        self.secret = secret
        self.timeout = timeout

    def call(self, action: str, **params: Any) -> dict[str, Any]:
        """Call ``action`` with ``params``; returns the decoded JSON answer, errors included."""
        fields = {"action": action, "identifier": self.identifier, "secret": self.secret,
                  "responsetype": "json", **params}
        status, body = self.post(http_build_query(fields))
        try:
            return json.loads(body)
        except ValueError as exc:
            raise ValueError(f"{action}: HTTP {status}, not JSON: {body[:200]!r}") from exc

    def post(self, body: str) -> tuple[int, bytes]:
        """Post a raw form body; returns the HTTP status and the body, whatever the status."""
        request = urllib.request.Request(
            self.url, data=body.encode(), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
