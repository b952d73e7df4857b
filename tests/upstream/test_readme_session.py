"""The README's example session of import, compare, record and replay runs as shown.

Every `$ ` line of the session is run in order, in an empty directory, with the README's ports swapped
for free ones: a line ending in `&` starts a server in the background (the next line waits until it
listens), `export` sets variables for the lines after it, and any other line must print exactly the
lines the README shows under it, once times and the ports a command picks itself are set aside.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
SESSION = re.search(r"<!-- session:start -->\n```console\n(.*?)```\n<!-- session:end -->", README, re.S)
README_PORTS = ("8081", "8082", "8083")
_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")
_PICKED_PORT = re.compile(r"127\.0\.0\.1:\d+")


def steps(session: str) -> list[tuple[str, list[str]]]:
    """Each command with the lines shown under it."""
    found: list[tuple[str, list[str]]] = []
    for line in session.splitlines():
        if line.startswith("$ "):
            found.append((line[2:], []))
        else:
            found[-1][1].append(line)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_listening(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the server on port {port} exited with {server.returncode}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")


def _swap(text: str, ports: dict[str, str]) -> str:
    """``text`` with the README's ports replaced by this run's."""
    for readme_port, port in ports.items():
        text = text.replace(f"127.0.0.1:{readme_port}", f"127.0.0.1:{port}")
        text = text.replace(f"--port {readme_port}", f"--port {port}")
    return text


def _normal(text: str, ports: dict[str, str]) -> str:
    """``text`` with times and ports as names, so that a run and the README compare."""
    for readme_port, port in ports.items():
        text = text.replace(f"127.0.0.1:{port}", f"127.0.0.1:PORT{readme_port}")
    return _PICKED_PORT.sub("127.0.0.1:PICKED", _TIME.sub("TIME", text))


@pytest.fixture
def background() -> Iterator[list[subprocess.Popen[bytes]]]:
    servers: list[subprocess.Popen[bytes]] = []
    yield servers
    for server in servers:
        server.terminate()
    for server in servers:
        server.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_readmes_session_runs_as_shown(tmp_path: Path, background: list[subprocess.Popen[bytes]]) -> None:
    assert SESSION, "the README has no session between <!-- session:start --> and <!-- session:end -->"
    ports = {readme_port: str(_free_port()) for readme_port in README_PORTS}
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for command, shown in steps(SESSION.group(1)):
        runnable = _swap(command, ports).split(" #")[0].rstrip()
        if runnable.startswith("export "):
            environment.update(assignment.split("=", 1) for assignment in shlex.split(runnable)[1:])
        elif runnable.endswith("&"):
            server = subprocess.Popen(["bash", "-c", f"exec {runnable[:-1]}"], cwd=tmp_path, env=environment,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            background.append(server)
            listening = re.search(r"--port (\d+)", runnable)
            assert listening, f"a server in the session names no port: {command}"
            _wait_until_listening(int(listening.group(1)), server)
        else:
            result = subprocess.run(["bash", "-c", runnable], cwd=tmp_path, env=environment, timeout=120,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            expected = [_normal(_swap(line, ports), ports) for line in shown]
            assert _normal(result.stdout, ports).splitlines() == expected, command
