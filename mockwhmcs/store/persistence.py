"""Keeping the store across restarts: a write-ahead log of every call that changed it.

``mockwhmcs serve --state-file PATH`` writes each call that changes the store (the actions registered
with ``mutates``) and each clock change made through the control plane as one JSON line, flushed and
fsync'd before the answer is sent: whatever a client was told is on disk, even if the process is
killed the next instant. A restart loads the scenario, then replays the lines through the same
actions, each at the time it first ran, so ids, ordernums and random values continue where they
stopped. A reset or a scenario load starts the file afresh.

A log rather than snapshots, because appending one line costs the same however big the store is.

    {"mockwhmcs":"state","format":1,"scenario":"default","source":"...","checksum":"sha256:..."}
    {"action":"AddOrder","params":{...},"ip":"127.0.0.1","admin":"admin","now":"2026-01-15T10:00:00"}
    {"clock":{"frozen":"2026-02-01T00:00:00","offset":0.0}}

The file holds what the store holds, passwords clients sent for their services included (but not the
API credentials, which no action reads), so a new file is readable by its owner only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import ApiError
from ..php import array_key
from .scenario import Scenario

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, so nothing stops two servers sharing a file there
    fcntl = None  # type: ignore[assignment]

FORMAT = 1
# How every header line starts (json.dumps keeps key order): tells a torn header from a foreign file.
_HEADER_START = b'{"mockwhmcs":"state"'


class StateFileError(Exception):
    """A state file mockwhmcs will not start from, as ``file:line: problem``."""


@dataclass(frozen=True, slots=True)
class Command:
    """An API call that changed the store, as it was run."""

    line: int
    action: str
    params: dict[str, Any]
    ip: str
    admin: str
    now: datetime


@dataclass(frozen=True, slots=True)
class ClockChange:
    """The clock as the control plane left it."""

    line: int
    frozen: datetime | None
    offset: timedelta


Record = Command | ClockChange


@dataclass(frozen=True, slots=True)
class Opened:
    state_file: StateFile
    records: list[Record]
    # Things to tell the user that do not stop the start, e.g. a torn last line that was dropped.
    warnings: list[str]


def checksum(scenario: Scenario) -> str:
    """Identifies the scenario's content, whatever file it came from."""
    text = json.dumps(scenario.data, sort_keys=True, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


class StateFile:
    """An open state file, locked against other processes, that records are appended to durably."""

    def __init__(self, path: Path, handle: BinaryIO) -> None:
        self.path = path
        self._handle = handle
        # Set once a write fails: appending after a torn line would corrupt the file mid-way.
        self._broken: str | None = None

    @classmethod
    def open(cls, path: str | os.PathLike[str], scenario: Scenario) -> Opened:
        """Open (or create) the state file for ``scenario`` and read the records to replay.

        StateFileError, leaving the file untouched, if it is not a state file, was written for
        another scenario, has an unreadable record, or is in use by another process.
        """
        path = Path(path)
        handle = _open_locked(path)
        try:
            return cls._read(path, handle, scenario)
        except BaseException:
            handle.close()
            raise

    @classmethod
    def _read(cls, path: Path, handle: BinaryIO, scenario: Scenario) -> Opened:
        handle.seek(0)
        data = handle.read()
        complete = data.rfind(b"\n") + 1
        lines = data[:complete].split(b"\n")[:-1]
        torn = data[complete:]
        if lines:
            _check_header(path, lines[0], scenario)
        elif torn and not (_HEADER_START.startswith(torn) or torn.startswith(_HEADER_START)):
            raise StateFileError(f"{path}:1: not a mockwhmcs state file; refusing to overwrite it")
        records = [_record(path, number, line) for number, line in enumerate(lines[1:], start=2)]
        state_file = cls(path, handle)
        warnings = []
        if torn:
            # The process died while writing this line, so its request was never answered: drop it.
            handle.truncate(complete)
            _sync(handle)
            warnings.append(f"{path}:{len(lines) + 1}: dropped an incomplete last line ({len(torn)} bytes): "
                            "the server stopped while writing it, before answering that request")
        if not lines:
            state_file.restart(scenario)
            _sync_directory(path.parent)
        return Opened(state_file, records, warnings)

    def command(self, action: str, params: dict[str, Any], ip: str, admin: str, now: datetime) -> None:
        """Record an API call that changed the store (``now`` is the instant it ran at)."""
        self._append({"action": action, "params": params, "ip": ip, "admin": admin, "now": now.isoformat()})

    def clock(self, frozen: datetime | None, offset: timedelta) -> None:
        """Record the clock's new state."""
        self._append({"clock": {"frozen": frozen.isoformat() if frozen else None,
                                "offset": offset.total_seconds()}})

    def restart(self, scenario: Scenario) -> None:
        """Start afresh for ``scenario``: after a reset or a scenario load nothing before counts.

        The new file is written beside the old one, locked, and renamed over it, so a write that
        fails (HTTP 503) leaves the old file whole, and the store (which changes only after this
        returns) as it was; the file can then go on as before.
        """
        header = {"mockwhmcs": "state", "format": FORMAT, "scenario": scenario.name,
                  "source": scenario.source, "checksum": checksum(scenario)}
        fresh = self.path.with_name(self.path.name + ".new")
        handle: BinaryIO | None = None
        try:
            handle = _locked(fresh, os.O_TRUNC)
            handle.write(_line(header))
            _sync(handle)
            os.replace(fresh, self.path)
            _sync_directory(self.path.parent)
        except OSError as error:
            if handle is not None:
                handle.close()
            with contextlib.suppress(OSError):
                fresh.unlink()
            raise ApiError(self._cannot_write(error), http_status=503) from error
        self._handle.close()
        self._handle = handle
        self._broken = None

    def close(self) -> None:
        self._handle.close()

    def _append(self, record: dict[str, Any]) -> None:
        if self._broken is not None:
            raise ApiError(self._broken, http_status=503)
        end = self._handle.seek(0, os.SEEK_END)
        try:
            self._handle.write(_line(record))
            _sync(self._handle)
        except OSError as error:
            # Take back what may have reached the file, so a restart does not replay a call that was
            # refused; if even that fails, a restart drops the torn line (see _read).
            with contextlib.suppress(OSError):
                self._handle.truncate(end)
            self._broken = self._cannot_write(error) + "; it acknowledges no more changes until a reset"
            raise ApiError(self._broken, http_status=503) from error

    def _cannot_write(self, error: OSError) -> str:
        return f"mockwhmcs cannot write its state file {self.path} ({error.strerror or error})"


def _line(record: dict[str, Any]) -> bytes:
    return json.dumps(record, separators=(",", ":")).encode() + b"\n"


def _open_locked(path: Path) -> BinaryIO:
    try:
        return _locked(path)
    except BlockingIOError:
        raise StateFileError(f"{path}: in use by another mockwhmcs process") from None
    except OSError as error:
        raise StateFileError(f"{path}: cannot open the state file: {error.strerror or error}") from error


def _locked(path: Path, flags: int = 0) -> BinaryIO:
    """``path`` opened for appending and locked against other processes (BlockingIOError if held)."""
    handle = os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | flags, 0o600), "a+b")
    if fcntl is not None:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise
    return handle


def _sync(handle: BinaryIO) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _sync_directory(directory: Path) -> None:
    """Make a new file's directory entry durable too (POSIX only; Windows cannot open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_header(path: Path, line: bytes, scenario: Scenario) -> None:
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("mockwhmcs") != "state":
        raise StateFileError(f"{path}:1: not a mockwhmcs state file; refusing to overwrite it")
    if header.get("format") != FORMAT:
        raise StateFileError(f"{path}:1: state file format {header.get('format')!r}; "
                             f"this mockwhmcs reads format {FORMAT}")
    if header.get("checksum") == checksum(scenario):
        return
    written = f"scenario {header.get('scenario')!r} ({header.get('source')})"
    if header.get("scenario") == scenario.name and header.get("source") == scenario.source:
        problem = f"{written} has changed since this state file was written"
    else:
        problem = f"this state file belongs to {written}, not to {scenario.name!r} ({scenario.source})"
    raise StateFileError(f"{path}:1: {problem}; start with --scenario set to the scenario it was "
                         "written with, or delete the file to start afresh")


def _record(path: Path, number: int, line: bytes) -> Record:
    try:
        data = json.loads(line)
        if isinstance(data, dict) and "action" in data:
            return Command(number, _typed(data, "action", str), _php_params(_typed(data, "params", dict)),
                           _typed(data, "ip", str), _typed(data, "admin", str),
                           datetime.fromisoformat(_typed(data, "now", str)))
        if isinstance(data, dict) and "clock" in data:
            clock = _typed(data, "clock", dict)
            frozen = clock.get("frozen")
            return ClockChange(number, None if frozen is None else datetime.fromisoformat(frozen),
                               timedelta(seconds=_typed(clock, "offset", (int, float))))
    except (ValueError, TypeError, OverflowError) as error:
        raise StateFileError(f"{path}:{number}: unreadable record: {error}") from None
    raise StateFileError(f"{path}:{number}: neither an API call nor a clock change")


def _typed(data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise ValueError(f"{key!r} is missing or of the wrong type")
    return value


def _php_params(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as the action first saw them: JSON turned the integer keys of PHP arrays into strings,
    and canonical integer strings are exactly the keys PHP had made integers."""
    return {name: _php_array(value) for name, value in params.items()}


def _php_array(value: Any) -> Any:
    if isinstance(value, dict):
        return {array_key(key): _php_array(item) for key, item in value.items()}
    return value
