"""Keep secrets out of the journal and state dumps."""

from __future__ import annotations

from typing import Any

# API credentials, the passwords clients set for services and client accounts, and domain transfer
# (EPP) codes, as parameters and as the keys answers carry them under.
SECRET_PARAMS = frozenset({"secret", "password", "accesskey", "servicepassword", "rootpw", "password2",
                           "eppcode", "transfersecret"})
REDACTED = "***"


def redact_params(params: dict[str, Any]) -> dict[str, Any]:
    """Decoded parameters with secret values replaced (arrays of them too, e.g. ``rootpw[0]``)."""
    return {
        key: _mask(value) if key.lower() in SECRET_PARAMS else value for key, value in params.items()
    }


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _mask(item) for key, item in value.items()}
    return REDACTED
