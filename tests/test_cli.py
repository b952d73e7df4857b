"""The mockwhmcs command, run as a user runs it: a real process, a real port, real signals."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

MOCKWHMCS = [sys.executable, "-m", "mockwhmcs"]

# A scenario whose line 14 has a wrong type.
BAD_SCENARIO = """\
name: shop
description: a shop with a typo

product_groups:
  - id: 1
    name: Hosting

products:
  - id: 1
    gid: 1
    name: Starter
    paytype: recurring
    pricing:
      monthly: five
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MOCKWHMCS, *args], capture_output=True, text=True, timeout=30)


@pytest.fixture
def serve() -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen([*MOCKWHMCS, "serve", "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_serve_prints_the_url_scenario_credential_and_dashboard_then_answers(
        serve: subprocess.Popen[str]) -> None:
    assert serve.stdout is not None
    banner = [serve.stdout.readline() for _ in range(4)]
    url = re.search(r"(http://127\.0\.0\.1:(\d+))/includes/api\.php", banner[0])
    assert url, banner
    assert "scenario default" in banner[1]
    assert "identifier=mockwhmcs-identifier secret=mockwhmcs-secret" in banner[2]
    assert banner[3] == f"mockwhmcs: dashboard at {url.group(1)}/_mock/ui\n"
    body = b"action=GetPaymentMethods&identifier=mockwhmcs-identifier&secret=mockwhmcs-secret"
    body += b"&responsetype=json"
    with urllib.request.urlopen(url.group(0), data=body, timeout=10) as response:
        assert json.load(response)["totalresults"] == 3
    with urllib.request.urlopen(f"{url.group(1)}/_mock/ui", timeout=10) as response:
        assert response.status == 200


def test_help_answers_to_h_and_says_what_port_is() -> None:
    assert run("-h").stdout == run("--help").stdout
    assert "Port to listen on; 0 picks a free one" in run("serve", "-h").stdout


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_serve_stops_cleanly_on_a_signal(serve: subprocess.Popen[str], signum: int) -> None:
    assert serve.stdout is not None
    serve.stdout.readline()
    serve.send_signal(signum)
    out, err = serve.communicate(timeout=10)
    assert serve.returncode == 0
    assert "stopped" in out
    assert "Traceback" not in err


def test_serve_refuses_a_bad_scenario_before_listening(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_SCENARIO)
    result = run("serve", "--scenario", str(bad), "--port", "0")
    assert result.returncode == 2
    assert f"{bad}:14: products[0].pricing.monthly: 'five' is not a number" in result.stderr


def test_validate_names_the_line_and_key_of_a_wrong_type(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_SCENARIO)
    result = run("validate", str(bad))
    assert result.returncode == 1
    assert result.stderr.strip() == f"{bad}:14: products[0].pricing.monthly: 'five' is not a number"


def test_validate_accepts_every_bundled_scenario() -> None:
    scenarios = Path(__file__).resolve().parents[1] / "scenarios"
    result = run("validate", *map(str, sorted(scenarios.glob("*.yaml"))))
    assert result.returncode == 0, result.stderr


def test_scenarios_lists_the_bundled_scenarios_with_descriptions() -> None:
    result = run("scenarios")
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert "default" in names
    assert "empty" in names
    assert "One active and one closed client" in result.stdout
