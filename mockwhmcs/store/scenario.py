"""Scenario files: what the mock WHMCS holds at start-up and after every reset.

A scenario is one YAML file (the contract is SCENARIOS.md). Loading it:

1. parses the YAML as plain data, remembering the file and line of every key and list item;
2. resolves ``extends`` (a bundled name or a path relative to the extending file), recursively;
3. validates the merged result against ``scenario.schema.json`` and checks cross-references;
4. refuses the file with every problem listed as ``file:line: path.to.key: what is wrong``;
5. fills defaults and assigns missing ids, so the store receives one predictable shape.

YAML is read the YAML 1.2 way, which is what people expect of a config file: only ``true``/``false``
are booleans (``autosetup: on`` is the WHMCS value "on", not True), ``01234`` is a string (a postcode,
not octal), and dates stay the strings they were written as. Only plain data is accepted: any other
tag (``!!python/object``, ``!!binary`` ...) is refused.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import functools
import ipaddress
import itertools
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import yaml

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

__all__ = [
    "Scenario", "ScenarioError", "bundled_scenarios", "load_scenario", "parse_scenario", "scenario_warnings",
]

_SCHEMA: dict[str, Any] = json.loads(
    files("mockwhmcs.store").joinpath("scenario.schema.json").read_text(encoding="utf-8")
)


@functools.cache
def _validator() -> Draft202012Validator:
    # jsonschema is the slowest import on the start-up path, and bundled scenarios never need it.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_SCHEMA)


# Lists whose items are matched by this key when a scenario extends another (default: "id").
_MERGE_KEYS = {
    "admins": "username",
    "api_credentials": "identifier",
    "payment_methods": "module",
    "promotions": "code",
    "tlds": "tld",
}
# Maps whose entries are items in their own right, matched by name when extending.
_NAMED_ITEMS = ("modules", "registrars", "fraud_modules")

# Every list whose items carry an id, as the chain of keys leading to it. A nested list numbers its
# items across all parents (contact ids are unique over all clients), as WHMCS tables do.
_ID_LISTS: tuple[tuple[str, ...], ...] = (
    ("admins",),
    ("clients",),
    ("clients", "contacts"),
    ("users",),
    ("product_groups",),
    ("products",),
    ("products", "customfields"),
    ("products", "configoptions"),
    ("products", "configoptions", "options"),
    ("addons",),
    ("tlds",),
    ("promotions",),
    ("servers",),
    ("services",),
    ("services", "addons"),
    ("domains",),
    ("invoices",),
    ("invoices", "items"),
    ("transactions",),
    ("support_departments",),
    ("tickets",),
    ("tickets", "replies"),
    ("tickets", "notes"),
    ("faults",),
)

# (items, field, referenced section): the field of the items found along the key chain ``items`` holds
# the id (or a list of ids) of an item there.
_REFERENCES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("products",), "gid", "product_groups"),
    (("addons",), "packages", "products"),
    (("promotions",), "appliesto", "products"),
    (("promotions",), "addons", "addons"),
    (("users",), "clients", "clients"),
    (("services",), "client", "clients"),
    (("services",), "pid", "products"),
    (("services",), "serverid", "servers"),
    (("services", "addons"), "addonid", "addons"),
    (("domains",), "client", "clients"),
    (("invoices",), "client", "clients"),
    (("transactions",), "client", "clients"),
    (("transactions",), "invoice", "invoices"),
    (("tickets",), "client", "clients"),
    (("tickets",), "deptid", "support_departments"),
)
_SINGULAR = {
    "addons": "addon",
    "clients": "client",
    "invoices": "invoice",
    "product_groups": "product group",
    "products": "product",
    "servers": "server",
    "support_departments": "support department",
}
# Where prices in the default currency may be written without the currency code around them.
_PRICED: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("products",), ("pricing",)),
    (("products", "configoptions", "options"), ("pricing",)),
    (("addons",), ("pricing",)),
    (("tlds",), ("register", "transfer", "renew")),
)
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")

_TYPE_WORDS = {
    "array": "a list",
    "boolean": "true or false",
    "integer": "an integer",
    "null": "null",
    "number": "a number",
    "object": "a mapping",
    "string": "a string",
}
# Unknown keys that are a known habit rather than a typo.
_KEY_HINTS = {"onetime": "a one-time price is written as 'monthly', as WHMCS stores it"}

Location = tuple[str, int]  # (file, line)
JsonPath = tuple[str | int, ...]


class ScenarioError(Exception):
    """A scenario that cannot be used; ``problems`` lists every reason, one ``file:line: ...`` each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Scenario:
    """A loaded scenario. ``data`` is validated, merged with what it extends, has every section and
    default filled in and every id assigned; prices are always keyed by currency code. Treat it as
    read-only: every reset starts again from it."""

    name: str
    description: str
    source: str
    data: dict[str, Any]


def load_scenario(ref: str | os.PathLike[str]) -> Scenario:
    """Load a bundled scenario by name ("default") or a scenario file by path."""
    document = _open(os.fspath(ref), Path())
    if isinstance(document, str):
        raise ScenarioError([document])
    return _Loading().scenario(document)


def parse_scenario(text: str, source: str = "<string>", base_dir: Path | None = None) -> Scenario:
    """Load a scenario from YAML text; a relative ``extends`` is resolved against ``base_dir``."""
    return _Loading().scenario(_Document(text, source, base_dir or Path(), source))


def bundled_scenarios() -> list[Scenario]:
    """Every scenario shipped with the package, sorted by name."""
    return sorted((load_scenario(name) for name in _bundled_names()), key=lambda scenario: scenario.name)


# --- finding and reading files ------------------------------------------------------------------


class _Document(NamedTuple):
    text: str
    source: str  # how problems name the file
    directory: Path  # where its relative `extends` points from
    key: str  # identifies the file when looking for an `extends` cycle
    # Shipped in the package: the test suite validates these files, so loading them needs no schema pass.
    bundled: bool = False


def _bundled_dir() -> Traversable:
    return files("mockwhmcs.scenarios")


def _bundled_names() -> list[str]:
    return sorted(
        entry.name[: -len(".yaml")] for entry in _bundled_dir().iterdir() if entry.name.endswith(".yaml")
    )


def _open(ref: str, directory: Path) -> _Document | str:
    """The bundled scenario named ``ref``, else the file ``ref`` relative to ``directory``; or why not."""
    try:
        if re.fullmatch(r"[\w-]+", ref):
            resource = _bundled_dir().joinpath(f"{ref}.yaml")
            if resource.is_file():
                source = str(resource)
                return _Document(resource.read_text(encoding="utf-8"), source, Path(source).parent, source,
                                 bundled=True)
        path = directory / ref
        if path.is_file():
            return _Document(path.read_text(encoding="utf-8"), str(path), path.parent, str(path.resolve()))
    except (OSError, UnicodeDecodeError) as exc:
        return f"cannot read {ref!r}: {exc}"
    names = _bundled_names()
    return (
        f"no bundled scenario or file named {ref!r}{_did_you_mean(ref, names)} (bundled: {', '.join(names)})"
    )


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- YAML as plain data, with line numbers -------------------------------------------------------


class _Yaml(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader resolving plain scalars the YAML 1.2 way (see the module docstring)."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[Any]]] = {}


for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("merge", r"^<<$", "<"),
):
    _Yaml.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_Pair = tuple[yaml.Node, yaml.Node]


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


# Bounds on what one scenario may hold. YAML aliases make a few hundred bytes expand to billions of
# values (nine levels of nine aliases), so values are counted as they are built: all of them, and
# apart those an alias repeats, which a scenario uses for a shared price list, not for bulk. The
# bundled default holds about 700 values; a large imported catalogue a few tens of thousands.
MAX_SCENARIO_BYTES = 4 * 1024 * 1024
MAX_SCENARIO_VALUES = 200_000
MAX_ALIASED_VALUES = 10_000
MAX_SCENARIO_DEPTH = 64


class _TooLarge(Exception):
    """A scenario past one of the bounds above; the message says which."""


class _Builder:
    """Turns a composed YAML node tree into plain data, recording where every key and item was."""

    def __init__(self, loader: Any, loading: _Loading, source: str) -> None:
        self._loader = loader
        self._loading = loading
        self._source = source
        self._open_nodes: set[int] = set()  # a node inside itself would recurse forever
        self._built: set[int] = set()  # nodes built once: building one again is an alias's copy
        self._in_alias = 0
        self._values = self._aliased = 0

    def build(self, node: yaml.Node) -> Any:
        self._count(node)
        if id(node) not in self._built:
            self._built.add(id(node))
            return self._build(node)
        self._in_alias += 1
        try:
            return self._build(node)
        finally:
            self._in_alias -= 1

    def _count(self, node: yaml.Node) -> None:
        self._values += 1
        self._aliased += self._in_alias > 0 or id(node) in self._built
        if self._aliased > MAX_ALIASED_VALUES:
            raise _TooLarge(f"YAML aliases repeat more than {MAX_ALIASED_VALUES:,} values")
        if self._values > MAX_SCENARIO_VALUES:
            raise _TooLarge(f"the scenario holds more than {MAX_SCENARIO_VALUES:,} values")
        if len(self._open_nodes) >= MAX_SCENARIO_DEPTH:
            raise _TooLarge(f"the scenario nests deeper than {MAX_SCENARIO_DEPTH} levels")

    def _build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if id(node) in self._open_nodes:
            self._problem(node, "an alias refers to a node that contains it")
            return None
        if node.tag not in (_TAG + "map", _TAG + "seq"):
            return self._refuse(node)
        self._open_nodes.add(id(node))
        try:
            return self._mapping(node) if isinstance(node, yaml.MappingNode) else self._sequence(node)
        finally:
            self._open_nodes.discard(id(node))

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag not in _SCALAR_TAGS:
            return self._refuse(node)
        try:
            value = self._loader.construct_object(node)
        except (yaml.YAMLError, ValueError):
            self._problem(node, f"cannot read {node.value!r} as {_short_tag(node.tag)}")
            return None
        # Only an explicit !!timestamp gets here as a date; the schema expects the written form.
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, date):
            return value.isoformat()
        return value

    def _mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        inherited, own = self._pairs(node)
        data: dict[str, Any] = {}
        written: set[str] = set()
        for pairs, explicit in ((inherited, False), (own, True)):
            for key_node, value_node in pairs:
                key = self._key(key_node)
                if key is None:
                    continue
                if explicit:
                    if key in written:
                        self._problem(key_node, f"duplicate key {key!r}")
                    written.add(key)
                data[key] = self.build(value_node)
                self._loading.origins.mark(data, key, (self._source, key_node.start_mark.line + 1))
        return data

    def _pairs(self, node: yaml.MappingNode) -> tuple[list[_Pair], list[_Pair]]:
        """The pairs a mapping takes from ``<<: *anchor`` merge keys, and its own (which override those)."""
        inherited: list[_Pair] = []
        own: list[_Pair] = []
        for key_node, value_node in node.value:
            if key_node.tag != _TAG + "merge":
                own.append((key_node, value_node))
                continue
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in reversed(sources):  # of several mappings merged, the first listed wins
                if not isinstance(source, yaml.MappingNode) or id(source) in self._open_nodes:
                    self._problem(source, "<< merges in a mapping, or a list of mappings, defined elsewhere")
                    continue
                self._open_nodes.add(id(source))
                try:
                    source_inherited, source_own = self._pairs(source)
                finally:
                    self._open_nodes.discard(id(source))
                inherited += source_inherited + source_own
        return inherited, own

    def _sequence(self, node: yaml.SequenceNode) -> list[Any]:
        items: list[Any] = []
        for item_node in node.value:
            self._loading.origins.mark(items, len(items), (self._source, item_node.start_mark.line + 1))
            items.append(self.build(item_node))
        return items

    def _key(self, node: yaml.Node) -> str | None:
        """Keys become strings: YAML reads `1: 9.95` (a tld year map) with an integer key."""
        if not isinstance(node, yaml.ScalarNode):
            self._problem(node, "a key must be a plain value, not a mapping or a list")
            return None
        if node.tag not in _SCALAR_TAGS:
            return self._refuse(node)
        return _text(self._scalar(node))

    def _refuse(self, node: yaml.Node) -> None:
        self._problem(
            node, f"unsupported YAML tag {_short_tag(node.tag)!r}: a scenario holds plain data only"
        )

    def _problem(self, node: yaml.Node, message: str) -> None:
        self._loading.problem((self._source, node.start_mark.line + 1), (), message)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


# --- where things were written --------------------------------------------------------------------


@dataclass
class _Origin:
    container: Any  # held so that its id cannot be reused by a new object while loading is under way
    lines: dict[str | int, Location] = dataclasses.field(
        default_factory=dict
    )  # key or index -> where written
    path: JsonPath | None = None  # where the container sits in the file it was written in


class _Origins:
    """The file, line and path of every value as written, kept by container identity.

    Identity rather than path, because extending a scenario moves items to new positions: a problem
    found in the merged data must still name the file, line and key path the user wrote.
    """

    def __init__(self) -> None:
        self._known: dict[int, _Origin] = {}

    def _of(self, container: Any) -> _Origin:
        return self._known.setdefault(id(container), _Origin(container))

    def mark(self, container: Any, key: str | int, where: Location) -> None:
        self._of(container).lines[key] = where

    def get(self, container: Any, key: str | int) -> Location | None:
        origin = self._known.get(id(container))
        return origin.lines.get(key) if origin else None

    def copy(self, container: Any, key: str | int, source: Any, source_key: str | int) -> None:
        where = self.get(source, source_key)
        if where:
            self.mark(container, key, where)

    def copy_path(self, container: Any, source: Any) -> None:
        self._of(container).path = self._of(source).path

    def note_paths(self, value: Any, path: JsonPath = ()) -> None:
        """Record where every container of a freshly parsed file sits in it."""
        if isinstance(value, (dict, list)):
            self._of(value).path = path
            for key, item in value.items() if isinstance(value, dict) else enumerate(value):
                self.note_paths(item, (*path, key))

    def locate(self, root: Any, path: JsonPath, fallback: Location) -> Location:
        """The file and line of the deepest part of ``path`` whose line is known."""
        where = fallback
        for depth, origin in self._along(root, path):
            if depth < len(path):
                where = origin.lines.get(path[depth], where)
        return where

    def written(self, root: Any, path: JsonPath) -> JsonPath:
        """``path`` as it was written in its file (merging may have moved items)."""
        shown = path
        for depth, origin in self._along(root, path):
            if origin.path is not None:
                shown = (*origin.path, *path[depth:])
        return shown

    def _along(self, root: Any, path: JsonPath) -> Iterator[tuple[int, _Origin]]:
        """The known containers along ``path``, each with its depth."""
        container = root
        for depth in range(len(path) + 1):
            origin = self._known.get(id(container))
            if origin:
                yield depth, origin
            if depth == len(path):
                return
            try:
                container = container[path[depth]]
            except (LookupError, TypeError):
                return


# --- extends ------------------------------------------------------------------------------------


def _extend(base: dict[str, Any], child: dict[str, Any], origins: _Origins) -> dict[str, Any]:
    """``child`` on top of ``base``.

    Merging goes one level into each item: an item of a list matched by key (id, tld, code ...), an
    entry of modules/registrars matched by name, and the settings keep the base's keys that the
    extending file does not give, and take the rest from it. Anything deeper, such as a product's
    pricing or a client's contacts, is replaced whole, so what the extending file shows of it is
    exactly what is used. name and description are never inherited.
    """
    merged: dict[str, Any] = {}
    for key, value in base.items():
        if key not in ("name", "description", "extends"):
            merged[key] = value
            origins.copy(merged, key, base, key)
    for key, value in child.items():
        old = merged.get(key)
        if isinstance(old, list) and isinstance(value, list):
            value = _merge_list(old, value, _MERGE_KEYS.get(key, "id"), origins)
        elif isinstance(old, dict) and isinstance(value, dict):
            value = (
                _merge_named(old, value, origins) if key in _NAMED_ITEMS else _merge_item(old, value, origins)
            )
        merged[key] = value
        origins.copy(merged, key, child, key)
    origins.copy_path(merged, child)
    return merged


def _merge_list(base: list[Any], child: list[Any], match: str, origins: _Origins) -> list[Any]:
    merged = list(base)
    position: dict[str | int, int] = {}
    for index, item in enumerate(base):
        origins.copy(merged, index, base, index)
        key = _match_value(item, match)
        if key is not None:
            position.setdefault(key, index)
    # Only base items are matched: two child items with the same key stay apart, so the duplicate
    # check reports them instead of one silently swallowing the other.
    for index, item in enumerate(child):
        key = _match_value(item, match)
        target = position.pop(key, None) if key is not None else None
        if target is None:
            target = len(merged)
            merged.append(item)
        else:
            merged[target] = _merge_item(merged[target], item, origins)
        origins.copy(merged, target, child, index)
    origins.copy_path(merged, child)
    return merged


def _match_value(item: Any, key: str) -> str | int | None:
    """The value ``item`` is matched by (its id, tld, code ...), when it has a usable one."""
    value = item.get(key) if isinstance(item, dict) else None
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _merge_named(base: dict[str, Any], child: dict[str, Any], origins: _Origins) -> dict[str, Any]:
    merged = dict(base)
    for name in base:
        origins.copy(merged, name, base, name)
    for name, entry in child.items():
        old = merged.get(name)
        merged[name] = (
            _merge_item(old, entry, origins) if isinstance(old, dict) and isinstance(entry, dict) else entry
        )
        origins.copy(merged, name, child, name)
    origins.copy_path(merged, child)
    return merged


def _merge_item(base: dict[str, Any], child: dict[str, Any], origins: _Origins) -> dict[str, Any]:
    merged = {**base, **child}
    for key in merged:
        origins.copy(merged, key, child if key in child else base, key)
    origins.copy_path(merged, child)
    return merged


# --- loading -------------------------------------------------------------------------------------


class _Loading:
    """One load: the problems found so far and where every value came from."""

    def __init__(self) -> None:
        self.origins = _Origins()
        self._problems: list[tuple[int, int, str]] = []  # (file order, line, text)
        self._sources: list[str] = []
        self._all_bundled = True

    def problem(self, where: Location, path: JsonPath, message: str) -> None:
        source, line = where
        if source not in self._sources:
            self._sources.append(source)
        text = f"{source}:{line}: {_dotted(path)}: {message}" if path else f"{source}:{line}: {message}"
        self._problems.append((self._sources.index(source), line, text))

    def scenario(self, document: _Document) -> Scenario:
        data = self._document(document, ())
        fallback = (document.source, 1)
        found = (
            [] if self._all_bundled
            else [explained for error in _validator().iter_errors(data) for explained in _explain(error)]
        )
        found += [
            (path, path, message)
            for path, message in [*_assign_ids(data, self._name_in(data)), *_reference_problems(data)]
        ]
        for located, shown, message in found:
            where = self.origins.locate(data, located, fallback)
            self.problem(where, self.origins.written(data, shown), message)
        if self._problems:
            unique = dict.fromkeys(text for *_, text in sorted(self._problems))
            raise ScenarioError(list(unique))
        _finish(data, document.source)
        return Scenario(data["name"], data["description"], document.source, data)

    def _name_in(self, data: dict[str, Any]) -> Callable[[JsonPath], str]:
        return lambda path: _dotted(self.origins.written(data, path))

    def _document(self, document: _Document, chain: tuple[str, ...]) -> dict[str, Any]:
        self._sources.append(document.source)
        self._all_bundled = self._all_bundled and document.bundled
        data = self._parse(document)
        ref = data.get("extends")
        if not isinstance(ref, str):
            return data  # the schema reports a malformed `extends`
        where = self.origins.get(data, "extends") or (document.source, 1)
        base = _open(ref, document.directory)
        if isinstance(base, str):
            self.problem(where, ("extends",), base)
            return data
        chain += (document.key,)
        if base.key in chain:
            cycle = " -> ".join(Path(key).name for key in (*chain, base.key))
            self.problem(where, ("extends",), f"scenarios extend each other in a cycle: {cycle}")
            return data
        return _extend(self._document(base, chain), data, self.origins)

    def _parse(self, document: _Document) -> dict[str, Any]:
        start = (document.source, 1)
        if len(document.text) > MAX_SCENARIO_BYTES:
            self.problem(start, (), f"the scenario is larger than {MAX_SCENARIO_BYTES:,} bytes")
            return {}
        loader = _Yaml(document.text)
        try:
            node = loader.get_single_node()
            data = _Builder(loader, self, document.source).build(node) if node is not None else {}
        except yaml.YAMLError as exc:
            self.problem((document.source, _line_of(exc)), (), f"YAML syntax error: {_yaml_message(exc)}")
            return {}
        except _TooLarge as exc:
            self.problem(start, (), str(exc))
            return {}
        except RecursionError:
            # The YAML parser itself recurses per level of nesting, before any value is built.
            self.problem(start, (), f"the scenario nests deeper than {MAX_SCENARIO_DEPTH} levels")
            return {}
        finally:
            loader.dispose()
        if not isinstance(data, dict):
            if data is not None:
                self.problem(
                    (document.source, 1), (), "a scenario is a mapping of sections (settings:, products: ...)"
                )
            return {}
        # A section left empty (`faults:` with every item commented out) reads as null: not given.
        for key in [key for key, value in data.items() if value is None]:
            del data[key]
        self.origins.note_paths(data)
        return data


def _line_of(exc: yaml.YAMLError) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark else 1


def _yaml_message(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    if not problem:
        return str(exc)
    context, mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and mark:
        return f"{problem} ({context} on line {mark.line + 1})"
    return f"{problem} ({context})" if context else problem


# --- schema errors, in words ----------------------------------------------------------------------


def _explain(error: ValidationError) -> list[tuple[JsonPath, JsonPath, str]]:
    """(path whose line to show, path to name, message) for one schema error."""
    path: JsonPath = tuple(error.absolute_path)
    value, keyword, schema = error.instance, error.validator, error.schema
    title = schema.get("title") if isinstance(schema, dict) else None
    if "propertyNames" in error.absolute_schema_path:
        # The instance is the offending key itself; point at its line.
        message = f"key {value!r} is not {title}{_currency_hint(value)}" if title else error.message
        return [((*path, value), path, message)]
    if keyword == "additionalProperties" and schema.get("additionalProperties") is False:
        allowed = list(schema.get("properties", {}))
        return [((*path, key), path, _unknown_key(key, allowed)) for key in value if key not in allowed]
    if keyword == "required":
        return [
            (path, path, f"missing required key {key!r}") for key in error.validator_value if key not in value
        ]
    if keyword == "type":
        expected = title or " or ".join(_TYPE_WORDS[name] for name in _as_list(error.validator_value))
        return [(path, path, _not_a(value, expected))]
    if keyword == "pattern" and title:
        return [(path, path, _not_a(value, title))]
    if keyword == "enum":
        options = ", ".join(_show(option) for option in error.validator_value)
        return [(path, path, f"{_show(value)} must be one of {options}")]
    return [(path, path, error.message)]


def _unknown_key(key: str, allowed: list[str]) -> str:
    if key in _KEY_HINTS:
        return f"unknown key {key!r} ({_KEY_HINTS[key]})"
    return f"unknown key {key!r}{_did_you_mean(key, allowed) or _currency_hint(key)}"


def _currency_hint(key: str) -> str:
    """Prices in several currencies must all sit under currency codes; mixing the two forms fails."""
    if _CURRENCY_CODE.fullmatch(key):
        return " (to price in several currencies, put every price under a currency code)"
    return ""


def _not_a(value: Any, expected: str) -> str:
    if isinstance(value, dict):
        return f"must be {expected}, not a mapping"
    if isinstance(value, list):
        return f"must be {expected}, not a list"
    return f"{_show(value)} is not {expected}"


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else _text(value)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --- walking the data ---------------------------------------------------------------------------


def _records(data: dict[str, Any], keys: tuple[str, ...]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """The mappings found by following ``keys`` through ``data``; a list fans out to its items."""
    found: list[tuple[JsonPath, Any]] = [((), data)]
    for key in keys:
        step: list[tuple[JsonPath, Any]] = []
        for path, parent in found:
            value = parent.get(key) if isinstance(parent, dict) else None
            if isinstance(value, list):
                step.extend(((*path, key, index), item) for index, item in enumerate(value))
            elif isinstance(value, dict):
                step.append(((*path, key), value))
        found = step
    return ((path, record) for path, record in found if isinstance(record, dict))


def _ids_in(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, int]]:
    """The ids held by a reference field, a single id or a list of them; other values are the schema's."""
    if _is_id(value):
        yield path, value
    elif isinstance(value, list):
        yield from (((*path, index), item) for index, item in enumerate(value) if _is_id(item))


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_ip(text: str, allow_any: bool) -> bool:
    if allow_any and text == "*":
        return True
    try:
        # A network such as 10.0.0.0/8 allows (or bans) the whole range.
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


def _per_currency(prices: Any) -> bool:
    """Prices keyed by currency code, as opposed to cycle (or year) prices in the default currency."""
    return isinstance(prices, dict) and bool(prices) and all(_CURRENCY_CODE.fullmatch(key) for key in prices)


def _dotted(path: JsonPath) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else f".{key}" if text else str(key)
    return text


# --- checks beyond the schema -------------------------------------------------------------------


def _assign_ids(data: dict[str, Any], name: Callable[[JsonPath], str]) -> list[tuple[JsonPath, str]]:
    """Report ids (and other matching keys) given twice, then number the items given none.

    Numbering skips the ids already taken, so ``[{id: 2}, {}, {}]`` becomes 2, 1, 3. ``name`` says a
    path as the user wrote it.
    """
    problems: list[tuple[JsonPath, str]] = []
    for keys in _ID_LISTS:
        records = list(_records(data, keys))
        problems += _duplicates(records, "id", name)
        taken = {record["id"] for _, record in records if _is_id(record.get("id"))}
        fresh = (number for number in itertools.count(1) if number not in taken)
        for _, record in records:
            if "id" not in record:
                record["id"] = next(fresh)
    for section, key in (*_MERGE_KEYS.items(), ("users", "email")):
        problems += _duplicates(list(_records(data, (section,))), key, name)
    # GetTicket finds a ticket by its number as well as by its id.
    problems += _duplicates(list(_records(data, ("tickets",))), "tid", name)
    return problems


def _duplicates(
    records: list[tuple[JsonPath, dict[str, Any]]], key: str, name: Callable[[JsonPath], str]
) -> list[tuple[JsonPath, str]]:
    problems: list[tuple[JsonPath, str]] = []
    first: dict[str | int, JsonPath] = {}
    for path, record in records:
        value = _match_value(record, key)
        if value is None:
            continue
        if value in first:
            problems.append(((*path, key), f"duplicate {key} {_show(value)} (also {name(first[value])})"))
        else:
            first[value] = path
    return problems


def _reference_problems(data: dict[str, Any]) -> list[tuple[JsonPath, str]]:
    """References to things the scenario does not define, and values the schema cannot judge."""
    problems: list[tuple[JsonPath, str]] = []
    for items, field, target in _REFERENCES:
        known = {record["id"] for _, record in _records(data, (target,))}
        for path, record in _records(data, items):
            for ref_path, ref in _ids_in(record.get(field), (*path, field)):
                if ref not in known:
                    problems.append((ref_path, f"no {_SINGULAR[target]} with id {ref}"))

    usernames = [record["username"] for _, record in _records(data, ("admins",)) if "username" in record]
    for path, record in _records(data, ("api_credentials",)):
        admin = record.get("admin")
        if isinstance(admin, str) and admin not in usernames:
            problems.append(
                ((*path, "admin"), f"no admin with username {admin!r}{_did_you_mean(admin, usernames)}")
            )

    settings = next((record for _, record in _records(data, ("settings",))), {})
    for name in ("allowed_ips", "banned_ips"):
        addresses = settings.get(name)
        for index, address in enumerate(addresses if isinstance(addresses, list) else []):
            if isinstance(address, str) and not _is_ip(address, allow_any=name == "allowed_ips"):
                problems.append((("settings", name, index), f"{address!r} is not an IP address or network"))

    for path, ticket in _records(data, ("tickets",)):
        if "client" not in ticket and not (ticket.get("name") and ticket.get("email")):
            problems.append((path, "a ticket without a client needs the guest's name and email"))
        elif "client" in ticket:
            problems += [
                ((*path, key), f"{key} is a guest's (a ticket without a client); a client's ticket is known "
                               "by its client")
                for key in ("name", "email") if key in ticket
            ]

    for path, fault in _records(data, ("faults",)):
        outcomes = [key for key in ("error", "status", "connection") if key in fault]
        if len(outcomes) > 1:
            problems.append((path, f"a fault has one outcome; give only one of {', '.join(outcomes)}"))
    return problems + _currency_problems(data, settings)


def _currency_problems(data: dict[str, Any], settings: dict[str, Any]) -> list[tuple[JsonPath, str]]:
    problems: list[tuple[JsonPath, str]] = []
    default = settings.get("currency", _default_of(_SCHEMA["$defs"]["settings"]["properties"]["currency"]))
    codes = [default.get("code") if isinstance(default, dict) else None]
    ids = [1]
    for path, currency in _records(data, ("settings", "currencies")):
        code = currency.get("code")
        if code in codes:
            problems.append(((*path, "code"), f"currency {code} is defined twice"))
        codes.append(code)
        currency_id = _currency_id(currency, path[-1])
        if currency_id in ids:
            problems.append(((*path, "id"), f"currency id {currency_id} is taken (the default one is 1)"))
        ids.append(currency_id)

    def unknown(code: str) -> str:
        return f"unknown currency {code!r} (currencies: {', '.join(str(known) for known in codes if known)})"

    for path, client in _records(data, ("clients",)):
        if isinstance(client.get("currency"), str) and client["currency"] not in codes:
            problems.append(((*path, "currency"), unknown(client["currency"])))
        if _is_id(client.get("currency")) and client["currency"] not in ids:
            known = ", ".join(str(number) for number in ids)
            problems.append(((*path, "currency"), f"unknown currency id {client['currency']} (ids: {known})"))
    for items, fields in _PRICED:
        for path, record in _records(data, items):
            for field in fields:
                prices = record.get(field)
                if _per_currency(prices):
                    problems += [
                        ((*path, field, code), unknown(code)) for code in prices if code not in codes
                    ]
    return problems


# --- the normalised shape ------------------------------------------------------------------------


# What a scenario that defines no admin and no API credential gets, so that the smallest scenario can be
# called at once (the banner prints the credential); the same values as the bundled default scenario.
DEFAULT_ADMIN = {"id": 1, "username": "admin", "password": "admin-password", "api_access": True,
                 "disabled": False}
DEFAULT_CREDENTIAL = {"identifier": "mockwhmcs-identifier", "secret": "mockwhmcs-secret", "admin": "admin",
                      "allowed_actions": "all"}
# Where products that name no group go when the scenario lists no group either.
DEFAULT_GROUP_NAME = "Products"


def _finish(data: dict[str, Any], source: str) -> None:
    """Give valid data the one shape the store reads: every section and default present."""
    data.pop("extends", None)
    data.setdefault("name", Path(source).stem if source != "<string>" else "unnamed")
    _fill_defaults(_SCHEMA, data)
    if not data["admins"] and not data["api_credentials"]:
        data["admins"].append(dict(DEFAULT_ADMIN))
        data["api_credentials"].append(dict(DEFAULT_CREDENTIAL))
    ungrouped = [product for product in data["products"] if "gid" not in product]
    if ungrouped:
        if not data["product_groups"]:
            data["product_groups"].append({"id": 1, "name": DEFAULT_GROUP_NAME})
        for product in ungrouped:
            product["gid"] = data["product_groups"][0]["id"]
    settings = data["settings"]
    default = settings["currency"]
    settings["currencies"] = [
        {"id": 1, **default, "rate": 1, "default": True},
        *(
            {**extra, "id": _currency_id(extra, index), "default": False}
            for index, extra in enumerate(settings["currencies"])
        ),
    ]
    for items, fields in _PRICED:
        for _, record in _records(data, items):
            for field in fields:
                if record[field] and not _per_currency(record[field]):
                    record[field] = {default["code"]: record[field]}
    for product in data["products"]:
        if product["allowqty"] == 1:
            product["allowqty"] = "multiple"
    for method in data["payment_methods"]:
        method.setdefault("displayname", method["module"])
    for client in data["clients"]:
        client.setdefault("currency", default["code"])


def _currency_id(currency: dict[str, Any], index: int) -> Any:
    """A further currency's id: as written, else its place after the default currency (id 1)."""
    return currency.get("id", index + 2)


_NO_DEFAULT = object()


def _fill_defaults(schema: dict[str, Any], value: Any) -> None:
    """Set every absent key that the schema gives a default for, at any depth."""
    schema = _deref(schema)
    if isinstance(value, list) and "items" in schema:
        for item in value:
            _fill_defaults(schema["items"], item)
    elif isinstance(value, dict):
        properties = schema.get("properties", {})
        for key, subschema in properties.items():
            if key not in value:
                default = _default_of(subschema)
                if default is _NO_DEFAULT:
                    continue
                value[key] = copy.deepcopy(default)
            _fill_defaults(subschema, value[key])
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for key, item in value.items():
                if key not in properties:
                    _fill_defaults(extra, item)


def _default_of(schema: dict[str, Any]) -> Any:
    if "default" in schema:
        return schema["default"]
    return _default_of(_deref(schema)) if "$ref" in schema else _NO_DEFAULT


def _deref(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


# --- what validates but will not work as meant -------------------------------------------------------


def scenario_warnings(scenario: Scenario) -> list[str]:
    """What is valid but leaves a server no client can use as meant: refused calls, impossible orders."""
    data = scenario.data
    found: list[str] = []
    admins = {admin["username"]: admin for admin in data["admins"]}
    callable_credentials = 0
    for index, credential in enumerate(data["api_credentials"]):
        admin = admins.get(credential.get("admin") or "")
        named = f"api_credentials[{index}] ({credential['identifier']})"
        if admin is None:
            found.append(f"{named} names no admin: every call with it answers "
                         "'Invalid administrative identifier'")
        elif admin["disabled"]:
            found.append(f"{named} belongs to a disabled admin: every call with it answers "
                         "'Administrator Account Disabled'")
        else:
            callable_credentials += 1
    logins = [a for a in data["admins"] if a["api_access"] and not a["disabled"]]
    if not callable_credentials and not logins:
        found.append("no API credential or admin login can call this server: every request answers 403")
    allowed = data["settings"]["allowed_ips"]
    if "*" not in allowed and not data["settings"].get("access_key") and not any(
        ipaddress.ip_address("127.0.0.1") in ipaddress.ip_network(entry, strict=False) for entry in allowed
    ):
        found.append("settings.allowed_ips does not allow 127.0.0.1 and there is no access_key: local "
                     "clients get 'Invalid IP 127.0.0.1'")
    for section, consequence in (
        ("clients", "AddOrder answers 'Client ID Not Found'"),
        ("payment_methods", "AddOrder answers 'Invalid Payment Method'"),
        ("products", "there is nothing to order"),
    ):
        if not data[section]:
            found.append(f"no {section}: {consequence}")
    return found
