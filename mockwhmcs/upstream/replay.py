"""``mockwhmcs replay``: recorded answers served for the requests they were recorded for.

A request matches a recording with the same action (as WHMCS matches names: case-insensitive) and the
same decoded parameters, credentials left out (recordings.request_params). The same request recorded
several times is answered with its recordings in order, the last one repeating; ``rewind`` (a reset)
starts each over. The engine calls ``Replay.answer`` after picking a fault and before answering
itself (app.py), so faults still apply and a request no recording matches falls through to it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

from ..actions.registry import Action
from ..client import http_build_query
from ..store.models import action_key
from ..wire.api import ApiRequest, HttpAnswer, error_answer
from .recordings import Recording, load_recordings, request_params

_SHOWN_CHARS = 200


class Replay:
    """The recordings of one directory and how far each request has got through its own."""

    def __init__(self, recordings: list[Recording], *, strict: bool = False) -> None:
        self.strict = strict
        self._recorded: dict[tuple[str, str], list[Recording]] = {}
        for recording in recordings:
            self._recorded.setdefault(_identity(recording.key, recording.params), []).append(recording)
        self._served: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, directory: Path, *, strict: bool = False) -> Replay:
        """The recordings in ``directory``; RecordingError (one line, naming the file) if unusable."""
        return cls(load_recordings(directory), strict=strict)

    def __len__(self) -> int:
        return sum(len(recordings) for recordings in self._recorded.values())

    def rewind(self) -> None:
        with self._lock:
            self._served.clear()

    def answer(self, req: ApiRequest, name: str, entry: Action | None
               ) -> tuple[HttpAnswer, Any, dict[str, Any] | None] | None:
        """The recorded answer to ``req`` (calling action ``name``), what the journal keeps of it and
        the journal's note; None when nothing matches and the engine is to answer."""
        params = request_params(req.params)
        identity = _identity(action_key(name), params)
        recordings = self._recorded.get(identity)
        if recordings is None:
            if not self.strict:
                return None
            miss = error_answer(req, entry, name, self._no_match(entry.name if entry else name, params))
            return miss.encode(), miss.data, None
        with self._lock:
            served = self._served.get(identity, 0)
            self._served[identity] = served + 1
        recording = recordings[min(served, len(recordings) - 1)]
        return recording.answer, recording.logged, {"replayed": recording.name}

    def _no_match(self, action: str, params: dict[str, Any]) -> str:
        message = f"mockwhmcs replay: no recording matched {action} {_shown(params) or '(no parameters)'}"
        key = action_key(action)
        closest = max((recordings[0] for recordings in self._recorded.values()), key=lambda recording: (
            recording.key == key, -len(_differences(params, recording.params)),
        ))
        differences = _differences(params, closest.params) if closest.key == key else [
            f"action {closest.action}"]
        return f"{message}; closest: {closest.name} ({', '.join(differences)})"


def _identity(key: str, params: Mapping[str, Any]) -> tuple[str, str]:
    # Parameters compare as JSON values: PHP array keys are strings here, and key order does not count.
    return key, json.dumps(params, sort_keys=True, ensure_ascii=False)


def _differences(sent: Mapping[str, Any], recorded: Mapping[str, Any]) -> list[str]:
    """How ``recorded`` differs from ``sent``, parameter by parameter."""
    return [
        f"recorded {_shown({key: recorded[key]})}" if key in recorded else f"recorded without {key}"
        for key in sorted(sent.keys() | recorded.keys()) if sent.get(key) != recorded.get(key)
    ]


def _shown(params: Mapping[str, Any]) -> str:
    """Parameters as a query string, unescaped for reading: ``clientid=1&pid[0]=3``."""
    text = unquote_plus(http_build_query(params))
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"
