"""Dashboard fixtures: an app on the default scenario and a Flask test client for it."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mockwhmcs import create_app, load_scenario

DEFAULT = load_scenario("default")


@pytest.fixture
def app() -> Flask:
    return create_app(DEFAULT)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
