"""Shared fixtures: real servers on ephemeral ports, one per scenario, reset per test where needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mockwhmcs.app import create_app, engine_of
from mockwhmcs.server import BackgroundServer
from tests.support import TEST_SCENARIOS, Http


def _serve(scenario: str | Path) -> Iterator[Http]:
    with BackgroundServer(create_app(scenario)) as server:
        yield Http(server)


@pytest.fixture(scope="session")
def default_server() -> Iterator[Http]:
    yield from _serve("default")


@pytest.fixture
def api(default_server: Http) -> Http:
    """The default scenario over a real socket, reset to the scenario before each test."""
    engine_of(default_server.server.app).store.reset()
    return default_server


@pytest.fixture(scope="session")
def access_server() -> Iterator[Http]:
    """A scenario exercising every access-control and authentication branch."""
    yield from _serve(TEST_SCENARIOS / "access.yaml")


@pytest.fixture(scope="session")
def restricted_server() -> Iterator[Http]:
    yield from _serve(TEST_SCENARIOS / "restricted.yaml")


@pytest.fixture(scope="session")
def banned_server() -> Iterator[Http]:
    yield from _serve(TEST_SCENARIOS / "banned.yaml")
