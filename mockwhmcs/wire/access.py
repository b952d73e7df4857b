"""Access control, authentication and authorization, in WHMCS's order and with its exact messages."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache

from ..actions.known import KNOWN
from ..actions.registry import Action, find_action
from ..errors import ApiError
from ..store.models import Admin, ApiCredential, action_key
from ..store.store import Catalog, IpNetwork

FORBIDDEN = 403
MD5_HEX = re.compile(r"[0-9a-fA-F]{32}")


@dataclass(frozen=True, slots=True)
class Credentials:
    """The authentication fields of a request (query string first, then body)."""

    identifier: str | None = None
    secret: str | None = None
    username: str | None = None
    password: str | None = None
    accesskey: str | None = None


@dataclass(frozen=True, slots=True)
class Caller:
    admin: Admin
    # None when the caller used the legacy admin username + md5 password login.
    credential: ApiCredential | None


def check_ip(catalog: Catalog, ip: str, accesskey: str | None) -> None:
    settings = catalog.settings
    if _listed(ip, settings.banned_networks):
        raise ApiError("IP Banned", FORBIDDEN)
    # An empty accesskey is no access key: several clients always send the field, empty by default.
    if settings.access_key and accesskey:
        if not hmac.compare_digest(accesskey.encode(), settings.access_key.encode()):
            raise ApiError("Invalid Access Key", FORBIDDEN)
        return  # a matching access key replaces the IP allow-list
    if settings.allowed_networks is not None and not _listed(ip, settings.allowed_networks):
        raise ApiError(f"Invalid IP {ip}", FORBIDDEN)


# Callers come from a handful of addresses, and parsing one and matching it against networks costs
# more than the rest of the access checks.
@lru_cache(maxsize=1024)
def _listed(ip: str, networks: tuple[IpNetwork, ...]) -> bool:
    """Whether ``ip`` is in one of ``networks``; an address that does not parse is in none."""
    address = _address(ip)
    return address is not None and any(address in net for net in networks)


def _address(ip: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    # A dual-stack listener reports IPv4 callers as ::ffff:a.b.c.d; WHMCS sees the IPv4 address.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def authenticate(catalog: Catalog, creds: Credentials) -> Caller:
    identifier, secret = creds.identifier, creds.secret
    if identifier is None and creds.username is not None and creds.username in catalog.credentials:
        # API credentials may arrive in username + password.
        identifier, secret = creds.username, creds.password
    if identifier is not None:
        return _api_credential(catalog, identifier, secret or "")
    if creds.username is not None:
        return _admin_login(catalog, creds.username, creds.password or "")
    raise ApiError("Authentication Failed", FORBIDDEN)


def _api_credential(catalog: Catalog, identifier: str, secret: str) -> Caller:
    credential = catalog.credentials.get(identifier) if identifier else None
    if credential is None:
        raise ApiError("Invalid or missing credentials", FORBIDDEN)
    admin = catalog.admins.get(credential.admin or "")
    if admin is None:
        raise ApiError("Invalid administrative identifier", FORBIDDEN)
    if admin.disabled:
        raise ApiError("Administrator Account Disabled", FORBIDDEN)
    if not hmac.compare_digest(secret.encode(), credential.secret.encode()):
        raise ApiError("Authentication Failed", FORBIDDEN)
    return Caller(admin, credential)


def _admin_login(catalog: Catalog, username: str, password: str) -> Caller:
    admin = catalog.admins.get(username)
    if admin is None:
        raise ApiError("Authentication Failed", FORBIDDEN)
    if admin.disabled:
        raise ApiError("Administrator Account Disabled", FORBIDDEN)
    if not MD5_HEX.fullmatch(password):
        raise ApiError("Invalid password provided", FORBIDDEN)
    expected = hashlib.md5(admin.password.encode()).hexdigest()
    if not hmac.compare_digest(password.lower().encode(), expected.encode()):
        raise ApiError("Authentication Failed", FORBIDDEN)
    if not admin.api_access:
        raise ApiError("Access Denied", FORBIDDEN)
    return Caller(admin, None)


def authorize(caller: Caller, name: str) -> Action:
    """The action a caller may run, or the error WHMCS gives for an empty, unknown or denied one."""
    key = action_key(name)
    if not key:
        raise ApiError("Empty action request", 400)
    entry = find_action(key)
    if entry is None and key not in KNOWN:
        if caller.credential is None:
            raise ApiError("API Function Not Found")
        raise ApiError(f'Invalid API Action: "{key}" is not a valid API action', FORBIDDEN)
    allowed = caller.credential.allowed_actions if caller.credential is not None else None
    if allowed is not None and key not in allowed:
        raise ApiError(f'Invalid Permissions: API action "{key}" is not allowed', FORBIDDEN)
    if entry is None:
        # A real WHMCS action would run here: say plainly that the mock lacks it (and warn, warnings.py).
        raise ApiError(not_implemented(KNOWN[key]))
    return entry


def not_implemented(name: str) -> str:
    """The answer to a real WHMCS action that mockwhmcs does not implement yet."""
    return f"mockwhmcs does not implement the WHMCS API action {name} yet"
