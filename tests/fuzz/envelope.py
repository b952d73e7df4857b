"""Checking that a body is a well-formed WHMCS envelope in a given format."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET


def envelope_result(fmt: str, body: bytes) -> str | None:
    """``result`` (or GetInvoice's ``status``) from a body that must parse as ``fmt``."""
    if fmt == "json":
        data = json.loads(body)
        assert isinstance(data, dict)
        return data.get("result", data.get("status"))
    if fmt == "xml":
        root = ET.fromstring(body)
        assert root.tag == "whmcsapi" and root.find("action") is not None
        return root.findtext("result") or root.findtext("status")
    first = body.decode("utf-8").split(";", 1)[0]
    key, _, value = first.partition("=")
    assert key in ("result", "status"), first
    return value


def error_kind(message: str) -> str:
    """An error message up to its first quote or digit, so that statistics group alike errors."""
    return re.split(r"[\"'0-9]", message, maxsplit=1)[0]
