"""The smallest scenario that makes sense — one client, one payment method, one product with a name and
a price; no admin, credential, group or ids — serves from `mockwhmcs serve` and takes an AddOrder."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from tests.store.test_scenario import MINIMAL

MOCKWHMCS = [sys.executable, "-m", "mockwhmcs"]


def test_the_minimal_scenario_serves_and_takes_an_order(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    process = subprocess.Popen([*MOCKWHMCS, "serve", "--scenario", str(path), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        banner = "".join(process.stdout.readline() for _ in range(3))
        url = re.search(r"(http://127\.0\.0\.1:\d+/includes/api\.php)", banner)
        assert url, banner
        assert "identifier=mockwhmcs-identifier secret=mockwhmcs-secret" in banner
        # What PHP's http_build_query sends for ['pid' => [1], 'billingcycle' => ['monthly'], ...].
        body = urllib.parse.urlencode({
            "action": "AddOrder", "identifier": "mockwhmcs-identifier", "secret": "mockwhmcs-secret",
            "clientid": "1", "pid[0]": "1", "billingcycle[0]": "monthly", "paymentmethod": "banktransfer",
            "responsetype": "json",
        }).encode()
        with urllib.request.urlopen(url.group(1), data=body, timeout=10) as response:
            answer = json.loads(response.read())
    finally:
        process.kill()
        process.wait()
    assert answer == {"result": "success", "orderid": 1, "productids": "1", "serviceids": "1", "addonids": "",
                      "domainids": "", "invoiceid": 1}


def test_validate_prints_warnings_without_failing(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    result = subprocess.run([*MOCKWHMCS, "validate", str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    assert result.stdout == f"{path}: ok (empty)\n"
    assert f"{path}: warning: no products: there is nothing to order" in result.stderr.splitlines()


def test_serve_prints_the_same_warnings_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    process = subprocess.Popen([*MOCKWHMCS, "serve", "--scenario", str(path), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert "dashboard at" in "".join(process.stdout.readline() for _ in range(5))
    finally:
        process.terminate()  # a clean stop: everything written is flushed
        _, err = process.communicate(timeout=10)
    assert "mockwhmcs: warning: no products: there is nothing to order" in err.splitlines()
