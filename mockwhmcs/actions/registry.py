"""The catalog of API actions: one function per WHMCS action, registered by its WHMCS name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..php import as_array, html_clean, intval, truthy
from ..store.models import action_key
from ..store.store import Store

Response = dict[str, Any]


@dataclass(slots=True)
class Call:
    """One API call as an action sees it: decoded PHP parameters, the store, and who is calling."""

    params: dict[str, Any]
    store: Store
    ip: str = "127.0.0.1"
    admin: str = ""

    def text(self, name: str, default: str = "") -> str:
        """A scalar parameter as a string; an array where a scalar is expected reads as absent."""
        value = self.params.get(name)
        return value if isinstance(value, str) else default

    def clean(self, name: str, default: str = "") -> str:
        """Request text as WHMCS stores it: entity-encoded by its input cleaning (``php.html_clean``).
        For what an action keeps (names, notes, messages); never for passwords or lookups."""
        return html_clean(self.text(name, default))

    def int(self, name: str) -> int:
        """A parameter cast like PHP's ``(int)``: leading digits, else 0."""
        return intval(self.params.get(name))

    def flag(self, name: str) -> bool:
        """A boolean parameter with PHP truthiness ("false" is true)."""
        return truthy(self.params.get(name))

    def array(self, name: str) -> dict[int | str, Any]:
        return as_array(self.params.get(name))

    def item(self, name: str, key: int | str) -> Any:
        """``array(name).get(key)``, without building the array: AddOrder reads a dozen per item."""
        value = self.params.get(name)
        if isinstance(value, dict):
            return value.get(key)
        if isinstance(value, list):
            return as_array(value).get(key)
        # A scalar is the array's element 0.
        return value if key == 0 else None

    def has(self, name: str) -> bool:
        return name in self.params


Handler = Callable[[Call], Response]


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    handler: Handler
    # List-style actions default to XML and refuse NVP (FIDELITY §3).
    list_style: bool
    # The parameters the action reads; anything else a client sends is worth a warning.
    params: frozenset[str]
    # Parameters read with PHP truthiness, and those WHMCS expects as arrays (for warnings too).
    flags: frozenset[str]
    arrays: frozenset[str]
    # Changes the store: a server keeping its state writes the call to its state file (persistence.py).
    mutates: bool = False
    # Stems of numbered parameters (CreateInvoice's itemdescription1, itemdescription2 ...).
    numbered: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return action_key(self.name)

    def reads(self, name: str) -> bool:
        """Whether the action reads the parameter ``name``: listed, or a stem followed by a number."""
        if name in self.params:
            return True
        stem = name.rstrip("0123456789")
        return stem != name and stem in self.numbered


ACTIONS: dict[str, Action] = {}


def action(
    name: str,
    *,
    list_style: bool = False,
    params: tuple[str, ...] = (),
    flags: tuple[str, ...] = (),
    arrays: tuple[str, ...] = (),
    mutates: bool = False,
    aliases: tuple[str, ...] = (),
    numbered: tuple[str, ...] = (),
) -> Callable[[Handler], Handler]:
    """Register ``handler`` as the WHMCS action ``name``.

    ``params`` lists every parameter the action reads; ``flags`` and ``arrays`` are the subsets that
    are booleans and arrays. They are part of the action's contract: the journal warns about the rest,
    and the state file keeps only these. ``mutates`` marks an action that changes the store.
    ``aliases`` are other names WHMCS answers the same action to (GetClientsData). ``numbered`` are
    stems of parameters sent with a number appended (``itemamount1``), read as parameters too.
    """

    def register(handler: Handler) -> Handler:
        entry = Action(name, handler, list_style, frozenset(params) | frozenset(flags) | frozenset(arrays),
                       frozenset(flags), frozenset(arrays), mutates, numbered)
        ACTIONS[entry.key] = entry
        for alias in aliases:
            ACTIONS[action_key(alias)] = entry
        return handler

    return register


def find_action(name: str) -> Action | None:
    """The action a request names: ``AddOrder``, ``addorder`` and ``add_order`` are one action."""
    return ACTIONS.get(action_key(name))


def run(entry: Action, call: Call) -> Response:
    """Run one action under the store's lock, so concurrent requests never interleave, at one instant.

    A call that changes the store is first written to the state file, if there is one: a call whose
    write fails (HTTP 503) changes nothing, and a call that was written replays exactly, its answer
    included, at the instant it ran (an action that fails changes nothing either way). Written under
    the lock, so the file's order is the order the calls ran in.
    """
    store = call.store
    with store.lock, store.clock.held() as now:
        if entry.mutates and store.log is not None:
            params = {name: value for name, value in call.params.items() if entry.reads(name)}
            store.log.command(entry.name, params, call.ip, call.admin, now)
        return entry.handler(call)
