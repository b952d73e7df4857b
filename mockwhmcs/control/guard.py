"""Who may use the control plane (everything under ``/_mock/``: the control API and the dashboard).

The control plane resets the store, loads scenario files from the server's disk and shows every
request, so it must not be open to whoever can reach the port:

- a caller presenting the control token (``--control-token`` or ``MOCKWHMCS_CONTROL_TOKEN``) as
  ``Authorization: Bearer <token>`` or ``X-Mockwhmcs-Token: <token>`` is let in;
- otherwise only a loopback caller (127.0.0.0/8, ::1, ::ffff:127.x) is, and only when the request names
  the server as localhost or by IP address and comes from no other site's page: a web page the user
  has open can make the browser send requests to 127.0.0.1, directly (a cross-site form or fetch) or
  through a DNS name the attacker points at 127.0.0.1 (DNS rebinding);
- anyone else gets 403 with ``{"error": ...}`` saying how to enable access (401 for a wrong token).

The WHMCS API itself is not guarded here: it has WHMCS's own access control (allowed IPs, credentials).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from urllib.parse import urlsplit

from flask import Flask, Response, request

from .routes import PREFIX

TOKEN_HEADER = "X-Mockwhmcs-Token"


def guard_control_plane(app: Flask, token: str | None) -> None:
    """Refuse requests under /_mock/ that the rules above do not let in (no token: loopback only)."""

    @app.before_request
    def control_access() -> Response | None:
        if request.path != PREFIX and not request.path.startswith(PREFIX + "/"):
            return None
        if token and _presented(token):
            return None
        refusal = _refusal(token)
        if refusal is None:
            return None
        status, problem = refusal
        return Response(json.dumps({"error": problem}), status=status, content_type="application/json",
                        headers={"WWW-Authenticate": "Bearer"} if status == 401 else {})


def _refusal(token: str | None) -> tuple[int, str] | None:
    caller = request.remote_addr or ""
    if not is_loopback(caller):
        if token:
            return 401, (f"wrong or missing control token: send it as 'Authorization: Bearer <token>' or "
                         f"'{TOKEN_HEADER}: <token>'")
        return 403, (f"the control API answers loopback callers only, and {caller} is not one; to use it "
                     "from elsewhere, start mockwhmcs with --control-token (or MOCKWHMCS_CONTROL_TOKEN) and "
                     f"send the token as 'Authorization: Bearer <token>' or '{TOKEN_HEADER}: <token>'")
    host = urlsplit("//" + request.host).hostname or ""
    if not _names_this_machine(host):
        return 403, (f"Host {request.host!r} is neither localhost nor an IP address; without the control "
                     "token the control API answers only those (this stops DNS rebinding): use "
                     "http://127.0.0.1:<port>/_mock/")
    origin = request.headers.get("Origin")
    if origin is not None and origin != request.host_url.rstrip("/"):
        return 403, f"cross-origin request from {origin} refused: another site's page must not drive the mock"
    return None


def is_loopback(address: str) -> bool:
    """127.0.0.0/8, ::1 and IPv4-mapped 127.x: a caller on this machine."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _names_this_machine(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _presented(token: str) -> bool:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    presented = credentials.strip() if scheme.lower() == "bearer" else request.headers.get(TOKEN_HEADER, "")
    return hmac.compare_digest(presented.encode(), token.encode())
