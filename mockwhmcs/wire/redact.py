"""Keep secrets out of logs, the journal and state dumps."""

from __future__ import annotations

import re
from typing import Any

SECRET_PARAMS = frozenset({"secret", "password", "accesskey", "servicepassword", "rootpw"})
REDACTED = "***"

_SECRET_IN_QUERY = re.compile(
    r"((?:^|[?&])(?:" + "|".join(sorted(SECRET_PARAMS)) + r")(?:%5B[^=&]*|\[[^=&]*)?=)[^&\s]*",
    re.IGNORECASE,
)


def redact_query(text: str) -> str:
    """A request line or query string with every secret parameter's value replaced."""
    return _SECRET_IN_QUERY.sub(lambda m: m.group(1) + REDACTED, text)


def redact_params(params: dict[str, Any]) -> dict[str, Any]:
    """Decoded parameters with secret values replaced (arrays of them too, e.g. ``rootpw[0]``)."""
    return {
        key: _mask(value) if key.lower() in SECRET_PARAMS else value for key, value in params.items()
    }


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _mask(item) for key, item in value.items()}
    return REDACTED
