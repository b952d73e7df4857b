"""docs/scenario-reference.md is the scenario schema, key by key, so the reference users read can never
drift from what `validate` accepts.

Run ``python -m tests.test_scenario_reference`` to rewrite it from the schema.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "scenario-reference.md"
SCHEMA: dict[str, Any] = json.loads(files("mockwhmcs.store").joinpath("scenario.schema.json").read_text())
# What the shared definitions are, in words.
NAMED = {"id": "id", "ids": "list of ids", "money": "money", "date": "date", "time": "time",
         "currency_code": "currency code", "tld_name": "TLD (.com)", "outcome": "outcome"}
HEADER = """\
# Scenario reference

Every section and key a scenario file may hold, generated from the JSON Schema that `mockwhmcs
validate` and `serve` check files against (`mockwhmcs/store/scenario.schema.json`); the README's
Scenarios section shows them in use. Every section is optional, and so is every key not marked
required. Ids are numbered 1, 2, 3 … in file order where left out. Money is a number or a decimal
string (`9.95`), a date `YYYY-MM-DD`, a time `YYYY-MM-DD HH:MM:SS`; an outcome is `success` or the
error message to answer with.
"""


def _ref_name(schema: dict[str, Any]) -> str | None:
    return schema["$ref"].rsplit("/", 1)[1] if "$ref" in schema else None


def _deref(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["$defs"][_ref_name(schema)]  # type: ignore[index]
    return schema


def _kind(schema: dict[str, Any]) -> str:
    name = _ref_name(schema)
    if name in NAMED:
        return NAMED[name]  # type: ignore[index]
    schema = _deref(schema)
    if "enum" in schema:
        return " \\| ".join(f"`{value}`" for value in schema["enum"])
    kinds = schema.get("type", "any")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if kinds == ["array"]:
        items = schema.get("items", {})
        return "list of items (below)" if "properties" in _deref(items) else f"list of {_kind(items)}"
    words = {"object": "mapping", "integer": "integer", "number": "number", "string": "text",
             "boolean": "true \\| false", "null": "null"}
    return " or ".join(words.get(kind, kind) for kind in kinds)


def _default(schema: dict[str, Any]) -> str:
    default = schema.get("default", _deref(schema).get("default"))
    if default is None or default in ([], {}):
        return ""
    return f"`{json.dumps(default)}`"


def _table(path: str, schema: dict[str, Any]) -> list[str]:
    schema = _deref(schema)
    required = set(schema.get("required", ()))
    lines = ["| key | value | default | |", "| --- | --- | --- | --- |"]
    nested: list[tuple[str, dict[str, Any]]] = []
    for key, subschema in schema.get("properties", {}).items():
        about = subschema.get("description") or _deref(subschema).get("description") or ""
        about = about.replace("|", "\\|")
        lines.append(f"| `{key}`{' (required)' if key in required else ''} | {_kind(subschema)} "
                     f"| {_default(subschema)} | {about} |")
        inner = _deref(subschema)
        if inner.get("type") == "array" and "properties" in _deref(inner.get("items", {})):
            nested.append((f"{path}.{key}[]", inner["items"]))
        elif "properties" in inner and inner.get("type") == "object":
            nested.append((f"{path}.{key}", inner))
    for nested_path, nested_schema in nested:
        lines += ["", f"#### `{nested_path}`", "", *_table(nested_path, nested_schema)]
    return lines


def scenario_reference() -> str:
    lines = [HEADER]
    for section, schema in SCHEMA["properties"].items():
        inner = _deref(schema)
        about = schema.get("description") or inner.get("description") or ""
        lines += [f"## `{section}`", ""]
        if about:
            lines += [about, ""]
        if inner.get("type") == "array":
            lines += ["A list of items, each:", "", *_table(f"{section}[]", inner["items"]), ""]
        elif isinstance(inner.get("additionalProperties"), dict) and not inner.get("properties"):
            lines += ["A mapping of names to entries, each:", "",
                      *_table(f"{section}.NAME", inner["additionalProperties"]), ""]
        elif inner.get("properties"):
            lines += [*_table(section, inner), ""]
        else:
            lines += [f"Value: {_kind(schema)}.", ""]
    return "\n".join(lines).rstrip() + "\n"


def test_the_scenario_reference_is_the_schema() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == scenario_reference(), (
        "docs/scenario-reference.md differs from the schema: run python -m tests.test_scenario_reference")


if __name__ == "__main__":
    REFERENCE.write_text(scenario_reference(), encoding="utf-8")
