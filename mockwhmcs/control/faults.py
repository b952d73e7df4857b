"""Fault rules: injected failures, in the same shape in scenario YAML, the HTTP control API and Python.

A rule names an ``action`` (case-insensitive, ``*`` for any) and optionally narrows it with ``when``
(see matching.py), ``after`` (let the first N matching calls through), ``times`` (fire at most N
times) and ``probability`` (drawn from a random source seeded by the scenario, apart from the store's
so that faults never shift ordernums). Rules are checked in order and the first that fires wins.

What a firing rule does is its outcome, at most one of:

- ``error``: a WHMCS error envelope, HTTP 200, in the format the request asked for;
- ``status`` (with ``body`` and ``content_type``): that HTTP answer, verbatim;
- ``connection``: ``malformed`` answers HTTP 200 with a body cut off halfway under the right content
  type; ``reset``, ``empty`` and ``hang`` happen on the TCP connection, which only mockwhmcs's own
  server can do (server.py); anywhere else they raise ``ConnectionFault``.

``delay`` (seconds) comes before any outcome, or before the normal answer of a rule with none.
"""

from __future__ import annotations

import copy
import functools
import json
import random
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from ..actions.registry import Action
from ..store.models import action_key
from ..wire.api import ApiAnswer, ApiRequest, HttpAnswer, error_answer, requested_format
from .matching import params_match

# Connection outcomes the server performs on the socket instead of sending an answer.
SOCKET_FAULTS = frozenset({"reset", "empty", "hang"})
OUTCOMES = ("error", "status", "connection")

_SCHEMA = json.loads(files("mockwhmcs.store").joinpath("scenario.schema.json").read_text(encoding="utf-8"))


@functools.cache
def _rule_validator() -> Any:
    """The scenario schema's own fault definition, so a rule posted over HTTP is held to what a
    scenario file is. Built on first use: jsonschema is slow to import and most runs post no rule."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator({"$defs": _SCHEMA["$defs"], "$ref": "#/$defs/fault"})

_DEFAULTS = {
    key: prop["default"] for key, prop in _SCHEMA["$defs"]["fault"]["properties"].items() if "default" in prop
}


class ConnectionFault(ConnectionError):
    """A ``reset``, ``empty`` or ``hang`` fault where the server cannot act on the TCP connection.

    Flask's test client and foreign WSGI servers get this exception from the app instead of a
    response, which is as close to a broken connection as they can come.
    """

    def __init__(self, kind: str) -> None:
        super().__init__(f"mockwhmcs injected a '{kind}' connection fault")
        self.kind = kind


class FaultRuleError(ValueError):
    """A fault rule that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def rule_problems(raw: Any) -> list[str]:
    """Everything wrong with a rule as given (an empty list when it is usable)."""
    if not isinstance(raw, Mapping):
        return ["a fault rule is a JSON object such as {\"action\": \"AddOrder\", \"error\": \"...\"}"]
    problems = [
        f"{'.'.join(str(part) for part in error.absolute_path) or 'rule'}: {error.message}"
        for error in sorted(_rule_validator().iter_errors(raw), key=lambda error: list(error.absolute_path))
    ]
    outcomes = [key for key in OUTCOMES if key in raw]
    if len(outcomes) > 1:
        problems.append(f"a fault has one outcome; give only one of {', '.join(outcomes)}")
    return problems


@dataclass(slots=True)
class FaultRule:
    id: int
    action: str
    when: dict[str, Any] = field(default_factory=dict)
    after: int = 0
    times: int | None = None
    probability: float = 1.0
    error: str | None = None
    status: int | None = None
    body: str = ""
    content_type: str = "text/plain; charset=utf-8"
    connection: str | None = None
    delay: float = 0.0
    # The rule as given, defaults filled: what listings and the journal show.
    definition: dict[str, Any] = field(default_factory=dict)
    key: str = field(init=False)  # the action as WHMCS matches names; "*" for any
    matched: int = 0  # calls that met action and when
    fired: int = 0

    @classmethod
    def build(cls, definition: Mapping[str, Any]) -> FaultRule:
        """A rule from a definition already checked by ``rule_problems`` (or the scenario loader)."""
        # id and action first, so listings read naturally.
        full = {"id": definition["id"], "action": definition["action"], **copy.deepcopy(_DEFAULTS),
                **definition}
        return cls(**full, definition=full)

    def __post_init__(self) -> None:
        self.key = "*" if self.action == "*" else action_key(self.action)

    @property
    def outcome(self) -> str | None:
        if self.error is not None:
            return "error"
        if self.status is not None:
            return "status"
        return self.connection

    def to_json(self) -> dict[str, Any]:
        return {**self.definition, "matched": self.matched, "fired": self.fired}

    def applies_to(self, key: str, params: Mapping[str, Any]) -> bool:
        return self.key in ("*", key) and params_match(self.when, params)

    def respond(
        self, req: ApiRequest, entry: Action | None, name: str, version: str
    ) -> tuple[HttpAnswer, Any]:
        """The answer this rule's outcome gives, and what the journal records as the response.

        Socket faults get a placeholder that the server never sends (see server.py).
        """
        if self.status is not None:
            return HttpAnswer(self.status, self.content_type, self.body.encode()), self.body
        if self.error is not None:
            answer = error_answer(req, entry, name, self.error)
            return answer.encode(), answer.data
        fmt = requested_format(req.special("responsetype"), entry)
        if self.connection == "malformed":
            whole = ApiAnswer(200, fmt, action_key(name), {"result": "success"}, version).encode()
            body = whole.body[: len(whole.body) // 2]
            return HttpAnswer(200, whole.content_type, body), body.decode()
        return HttpAnswer(200, "text/plain; charset=utf-8", b""), None


class FaultSet:
    """The rules in force: the scenario's, then any added at run time, in order. Thread-safe."""

    def __init__(self, rules: Iterable[Mapping[str, Any]], seed: int) -> None:
        self._lock = threading.Lock()
        self._random = random.Random()
        self._rules: list[FaultRule] = []
        self._next_id = 1
        self.load(rules, seed)

    def load(self, rules: Iterable[Mapping[str, Any]], seed: int) -> None:
        """Replace every rule with ``rules`` (a scenario's, already validated) and reseed."""
        loaded = [FaultRule.build(raw) for raw in rules]
        with self._lock:
            self._rules = loaded
            self._next_id = max((rule.id for rule in loaded), default=0) + 1
            self._random.seed(seed)

    def add(self, raw: Mapping[str, Any]) -> FaultRule:
        """Append a rule; raises FaultRuleError for a bad one. A given ``id`` must be free."""
        problems = rule_problems(raw)
        if problems:
            raise FaultRuleError(problems)
        with self._lock:
            rule_id = raw.get("id", self._next_id)
            if any(rule.id == rule_id for rule in self._rules):
                raise FaultRuleError([f"id: a fault with id {rule_id} already exists"])
            rule = FaultRule.build({**raw, "id": rule_id})
            self._rules.append(rule)
            self._next_id = max(self._next_id, rule.id + 1)
            return rule

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            kept = [rule for rule in self._rules if rule.id != rule_id]
            found = len(kept) != len(self._rules)
            self._rules = kept
            return found

    def clear(self) -> None:
        with self._lock:
            self._rules = []

    def to_json(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.to_json() for rule in self._rules]

    def pick(self, name: str, params: Mapping[str, Any]) -> FaultRule | None:
        """The first rule that fires for a call of action ``name``; counts the call against each rule
        it meets on the way."""
        if not self._rules:
            return None
        key = action_key(name)
        with self._lock:
            for rule in self._rules:
                if not rule.applies_to(key, params):
                    continue
                rule.matched += 1
                if rule.matched <= rule.after or (rule.times is not None and rule.fired >= rule.times):
                    continue
                if not self._draw(rule.probability):
                    continue
                rule.fired += 1
                return rule
        return None

    def _draw(self, probability: float) -> bool:
        # A certain rule draws nothing, so adding one never shifts the draws of the others.
        return probability >= 1 or (probability > 0 and self._random.random() < probability)
