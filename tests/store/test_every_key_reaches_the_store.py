"""Every key the scenario schema accepts reaches the store: changing it changes a record, the catalog
or the fault rules.

The test walks the schema itself, so a key added to the schema without being loaded fails here. For
each key it writes a scenario that extends the bundled default and changes that one key of one item
(of a nested item too: a client's contact, a product's custom field …), then compares everything the
mock holds with what it holds without the change. A key whose sample the schema cannot make up by
itself (a reference to another item, a mapping, a value that must differ in a particular way) has
its sample in SAMPLES; a section the default leaves empty has an item to change in ITEMS.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import pytest
import yaml

from mockwhmcs.control.engine import Engine
from mockwhmcs.store.scenario import _MERGE_KEYS, ScenarioError, parse_scenario

SCHEMA: dict[str, Any] = json.loads(files("mockwhmcs.store").joinpath("scenario.schema.json").read_text())
# The default scenario as loaded: ids assigned, defaults filled in.
DEFAULT: dict[str, Any] = parse_scenario("extends: default\n").data
DEFAULT_TEXT = "extends: default\n"
# Keys that are not data: naming and composing scenarios.
NOT_DATA = {"name", "description", "extends"}

SAMPLES: dict[str, Any] = {
    "settings.whmcs_version": "8.13.0",
    "settings.allowed_ips": ["10.0.0.0/8"],
    "settings.banned_ips": ["192.0.2.1"],
    "settings.system_url": "https://billing.example.com/",
    "settings.currency": {"code": "GBP", "prefix": "£", "suffix": " GBP"},
    "settings.currencies": [{"code": "GBP", "prefix": "£", "suffix": " GBP", "rate": 0.8}],
    "api_credentials[].admin": None,
    "api_credentials[].allowed_actions": ["GetOrders"],
    "settings.behaviour": "documented",
    "clients[].currency": 2,
    "clients[].groupid": 3,
    "clients[].allow_sso": False,
    **{f"clients[].{kind}emails": False
       for kind in ("general", "invoice", "support", "product", "domain", "affiliate")},
    "clients[].country": "GB",
    "clients[].contacts[].country": "GB",
    "users[].clients": [1, 2],
    "products[].pricing": {"monthly": 9.99},
    "products[].configoptions[].options": [{"name": "TB", "pricing": {"monthly": 1}}],
    "addons[].pricing": {"monthly": 3.33},
    "addons[].packages": [2],
    "promotions[].appliesto": [2],
    "promotions[].addons": [2],
    "promotions[].tlds": [".net"],
    "tlds[].register": {"1": 1.23},
    "tlds[].transfer": {"1": 1.23},
    "tlds[].renew": {"1": 1.23},
    "tlds[].addons": {"dnsmanagement": True},
    "services[].pid": 2,
    "services[].client": 2,
    "services[].serverid": 2,
    "domains[].client": 2,
    "domains[].addons": {"dnsmanagement": True},
    "domains[].whois": {"Registrant": {"firstname": "Grace"}},
    "tickets[].client": 2,
    "tickets[].deptid": 2,
    "transactions[].invoice": 1,
    "faults[].when": {"clientid": "2"},
}
ITEMS: dict[str, dict[str, Any]] = {
    "invoices": {"id": 1, "client": 1, "items": [{"description": "Line", "amount": 5}],
                 "payments": [{"transid": "TX-1", "gateway": "mailin", "amount": 1,
                               "date": "2026-01-02 10:00:00"}]},
    "transactions": {"id": 1, "client": 1, "date": "2026-01-02 10:00:00", "amountin": 5},
    "faults": {"id": 1, "action": "AddOrder", "delay": 0.5},
    "products[].configoptions[]": {"name": "Disk", "type": "quantity",
                                   "options": [{"name": "GB", "pricing": {"monthly": 0.25}}]},
    "services[].addons[]": {"addonid": 1},
    # Only a guest's ticket has a name and email of its own.
    "tickets[].name": {"id": 9, "deptid": 1, "subject": "Hello", "name": "Guest", "email": "g@example.com"},
    "tickets[].email": {"id": 9, "deptid": 1, "subject": "Hello", "name": "Guest", "email": "g@example.com"},
}
# Other sections a section's items need (a transaction names an invoice).
ALSO: dict[str, dict[str, Any]] = {
    "transactions": {"invoices": [ITEMS["invoices"]]},
    "clients": {"settings": {"currencies": [{"code": "EUR", "prefix": "€", "suffix": " EUR", "rate": 0.9}]}},
}

Case = tuple[str, tuple[str, str]]


def _deref(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _sample(path: str, schema: dict[str, Any], current: Any) -> Any:
    """A value the schema accepts at ``path`` that differs from ``current`` (and from the default)."""
    if path in SAMPLES:
        return SAMPLES[path]
    default = schema.get("default", _deref(schema).get("default"))
    current = default if current is None else current
    schema = _deref(schema)
    if "enum" in schema:
        return next(value for value in schema["enum"] if value not in (current, default))
    kinds = schema.get("type", "string")
    kind = kinds[0] if isinstance(kinds, list) else kinds
    title = schema.get("title", "")
    if kind == "boolean":
        return not current
    if kind == "integer":
        low = schema.get("minimum", 1)
        return low + 1 if current == low else low
    if kind == "number" or title == "a number":
        top = schema.get("maximum")
        return top / 2 if top is not None else 123.45
    if kind == "array":
        return [_sample(path + "[]", schema.get("items", {}), None)]
    if "date (YYYY" in title:
        return "2031-02-03"
    if "time (YYYY" in title:
        return "2031-02-03 04:05:06"
    return "sample-value"


def _scenario(sections: dict[str, Any]) -> str:
    return yaml.safe_dump({"extends": "default", **sections}, allow_unicode=True)


def _cases() -> Iterator[Case]:
    """(path, (scenario text without the change, scenario text with it)) for every data key."""
    for section, schema in SCHEMA["properties"].items():
        if section in NOT_DATA:
            continue
        schema = _deref(schema)
        if schema.get("type") == "array":
            yield from _list_cases(section, _deref(schema["items"]))
        elif isinstance(schema.get("additionalProperties"), dict):
            yield from _named_cases(section, _deref(schema["additionalProperties"]))
        else:
            for key, subschema in schema.get("properties", {}).items():
                path = f"{section}.{key}"
                sample = _sample(path, subschema, DEFAULT[section].get(key))
                yield path, (DEFAULT_TEXT, _scenario({section: {key: sample}}))


def _list_cases(section: str, item_schema: dict[str, Any]) -> Iterator[Case]:
    match = _MERGE_KEYS.get(section, "id")
    also = ALSO.get(section, {})
    if DEFAULT[section]:
        items = DEFAULT[section]

        def changed(item: dict[str, Any], change: dict[str, Any]) -> str:
            return _scenario({**also, section: [{match: item[match], **change}]})
    else:
        assert section in ITEMS, f"give ITEMS[{section!r}] an item: the default scenario has no {section}"
        items = [ITEMS[section]]

        def changed(item: dict[str, Any], change: dict[str, Any]) -> str:
            return _scenario({**also, section: [{**item, **change}]})

    for key, subschema in item_schema["properties"].items():
        if key == match:
            continue
        path = f"{section}[].{key}"
        nested = _deref(subschema).get("items") if _deref(subschema).get("type") == "array" else None
        if nested is not None and "properties" in _deref(nested):
            yield from _nested_cases(path, items, key, _deref(nested), changed)
        elif path in ITEMS:  # a key only some items may have: a new item of that kind, written whole
            item = ITEMS[path]
            sample = _sample(path, subschema, item.get(key))
            yield path, (_scenario({**also, section: [item]}),
                         _scenario({**also, section: [{**item, key: sample}]}))
        else:
            item = items[0]
            yield path, (changed(item, {}), changed(item, {key: _sample(path, subschema, item.get(key))}))


def _nested_cases(path: str, items: list[dict[str, Any]], key: str, schema: dict[str, Any],
                  changed: Any) -> Iterator[Case]:
    """The keys of a list inside an item (a client's contacts): the first item that has such a list is
    changed, else the first item gets one from ITEMS."""
    item = next((item for item in items if item.get(key)), items[0])
    before = copy.deepcopy(item.get(key)) or [ITEMS[path + "[]"]]
    for nested_key, nested_schema in schema["properties"].items():
        if nested_key == "id":
            continue
        nested_path = f"{path}[].{nested_key}"
        after = copy.deepcopy(before)
        after[0][nested_key] = _sample(nested_path, nested_schema, after[0].get(nested_key))
        yield nested_path, (changed(item, {key: before}), changed(item, {key: after}))


def _named_cases(section: str, entry_schema: dict[str, Any]) -> Iterator[Case]:
    """Maps of named entries (modules, registrars): a key of the first entry, or of a new one."""
    name = next(iter(DEFAULT[section]), "sample")
    before = _scenario({section: {name: {}}})
    for key, subschema in entry_schema.get("properties", {}).items():
        path = f"{section}.*.{key}"
        sample = _sample(path, subschema, (DEFAULT[section].get(name) or {}).get(key))
        yield path, (before, _scenario({section: {name: {key: sample}}}))


CASES = dict(_cases())


@functools.cache
def _state_of(text: str) -> str:
    engine = Engine.for_scenario(parse_scenario(text))
    store = engine.store
    return (repr(store.catalog) + repr({name: list(table) for name, table in store.tables().items()})
            + repr(engine.faults.to_json()))


@pytest.mark.parametrize("path", CASES)
def test_each_schema_key_reaches_the_store(path: str) -> None:
    before, after = CASES[path]
    try:
        changed = _state_of(after)
    except ScenarioError as error:
        pytest.fail(f"{path}: the test's sample is refused; give SAMPLES[{path!r}] a valid one:\n{error}")
    assert changed != _state_of(before), f"{path} is accepted by the schema but reaches no record"
