"""Shared fixtures: real servers on ephemeral ports, one per scenario, reset per test where needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mockwhmcs.app import create_app, engine_of
from mockwhmcs.server import BackgroundServer
from tests.support import TEST_SCENARIOS, Http

# Whole suites that take most of a run's time: hypothesis fuzzing, the stress suite, the browser test
# and the fresh-project install. `pytest -m "not slow"` leaves them out of an everyday run; CI and the
# README's test command run everything. Other slow tests carry @pytest.mark.slow themselves.
SLOW_PATHS = (
    "tests/fuzz/", "tests/stress/", "tests/ui/test_browser.py", "tests/plugin/test_fresh_project.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = config.rootpath
    for item in items:
        if item.path.relative_to(root).as_posix().startswith(SLOW_PATHS):
            item.add_marker(pytest.mark.slow)


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
