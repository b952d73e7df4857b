"""The README's examples run as shown: its scenarios load without warnings, and its curl commands succeed
against a real `mockwhmcs serve` of the default scenario. (Its pytest module is run by
tests/plugin/test_fresh_project.py, in a project that only installs mockwhmcs.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockwhmcs.store.scenario import parse_scenario, scenario_warnings
from tests.support import serve_process

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", README, re.S)
# Shell blocks of commands to run (a block of `$ ` lines is a transcript, shown with its output).
CURL_BLOCKS = [block for block in re.findall(r"```sh\n(.*?)```", README, re.S)
               if re.search(r"^curl ", block, re.M) and not re.search(r"^\$ ", block, re.M)]
README_URL = "http://127.0.0.1:8080"
# The variables the README's flows use.
CREDENTIALS = "identifier=mockwhmcs-identifier&secret=mockwhmcs-secret&responsetype=json"


@pytest.mark.parametrize("text", YAML_BLOCKS)
def test_the_readmes_scenarios_load_without_warnings(text: str) -> None:
    assert scenario_warnings(parse_scenario(text)) == []


@pytest.fixture
def served() -> Iterator[str]:
    with serve_process() as server:
        yield server.url


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("block", CURL_BLOCKS, ids=[f"block{n}" for n in range(len(CURL_BLOCKS))])
def test_the_readmes_curl_commands_succeed(served: str, block: str) -> None:
    script = "set -e\n" + block.replace(README_URL, served)
    environment = {**os.environ, "A": CREDENTIALS, "U": f"{served}/includes/api.php"}
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                            env=environment)
    assert result.returncode == 0, result.stderr
    assert '"result":"error"' not in result.stdout, result.stdout
