"""Control-plane fixtures: one MockWhmcs on a real socket, reset before each test, and a JSON client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from mockwhmcs import MockWhmcs, load_scenario
from tests.support import AUTH, Http, Reply


class Control(Http):
    """Http plus JSON bodies for the /_mock/ API."""

    def call(self, method: str, path: str, data: Any = None) -> tuple[int, Any]:
        body = None if data is None else json.dumps(data)
        reply = self.request(method, "/_mock" + path, body, content_type="application/json")
        assert reply.content_type == "application/json", reply.text
        return reply.status, json.loads(reply.body)

    def api(self, body: str) -> Reply:
        """An authenticated API call; ``body`` holds the action and its parameters."""
        return self.post(f"{body}&{AUTH}")


DEFAULT = load_scenario("default")


@pytest.fixture(scope="session")
def mock_server() -> Iterator[MockWhmcs]:
    with MockWhmcs(DEFAULT) as whmcs:
        yield whmcs


@pytest.fixture
def whmcs(mock_server: MockWhmcs) -> MockWhmcs:
    """The default scenario, fresh: a test that loaded another one gets the default back."""
    if mock_server.engine.scenario is DEFAULT:
        mock_server.reset()
    else:
        mock_server.load_scenario(DEFAULT)
    return mock_server


@pytest.fixture
def control(whmcs: MockWhmcs) -> Control:
    return Control(whmcs.server)
