"""Shared fixtures: real servers on ephemeral ports, one per scenario, reset per test where needed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import TEST_SCENARIOS, Http, fresh, serve

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


@pytest.fixture(scope="session")
def default_server() -> Iterator[Http]:
    yield from serve("default")


@pytest.fixture
def api(default_server: Http) -> Http:
    """The default scenario over a real socket, reset to the scenario before each test."""
    return fresh(default_server)


@pytest.fixture(scope="session")
def access_server() -> Iterator[Http]:
    """A scenario exercising every access-control and authentication branch."""
    yield from serve(TEST_SCENARIOS / "access.yaml")


@pytest.fixture(scope="session")
def restricted_server() -> Iterator[Http]:
    yield from serve(TEST_SCENARIOS / "restricted.yaml")


@pytest.fixture(scope="session")
def banned_server() -> Iterator[Http]:
    yield from serve(TEST_SCENARIOS / "banned.yaml")
