"""The README's first order in PHP, Node and Go (examples/), each run by its own toolchain against a real
`mockwhmcs serve`; a missing toolchain skips with the package that brings it."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import serve_process

# Each test starts a server and a toolchain (go run compiles): slow enough to leave out of a quick run.
pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXPECTED = "AddOrder: success orderid=1 invoiceid=1\nAcceptOrder: success\n"


@pytest.fixture
def served_url() -> Iterator[str]:
    """A fresh `mockwhmcs serve` of the default scenario (so the order is order 1)."""
    with serve_process() as served:
        yield f"{served.url}/includes/api.php"


def _run(command: list[str], url: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=EXAMPLES.parent,
                            env={**os.environ, "MOCKWHMCS_URL": url})
    assert result.returncode == 0, result.stderr
    return result.stdout


def _needs(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (Debian package {package}; .ci/run installs it where it can)")


def test_php_curl_and_http_build_query(served_url: str) -> None:
    _needs("php", "php-cli")
    if "curl" not in subprocess.run(["php", "-m"], capture_output=True, text=True).stdout.split():
        pytest.skip("PHP's curl extension is not installed (Debian package php-curl)")
    assert _run(["php", "examples/first_order.php"], served_url) == EXPECTED


def test_node_fetch(served_url: str) -> None:
    _needs("node", "nodejs")
    assert _run(["node", "examples/first_order.mjs"], served_url) == EXPECTED


def test_go_net_http(served_url: str) -> None:
    _needs("go", "golang-go")
    assert _run(["go", "run", "examples/first_order.go"], served_url) == EXPECTED
