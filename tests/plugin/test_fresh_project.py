"""A project that only installs mockwhmcs: the README's example module passes, alone and under xdist,
and a failing test's report shows the mock's journal for that test."""

from __future__ import annotations

import re

import pytest

from tests.support import ROOT

pytest_plugins = ["pytester"]

FAILING = """
def test_accepts_twice(whmcs):
    order = whmcs.call("AddOrder", clientid=1, pid=[1], billingcycle=["monthly"], paymentmethod="mailin")
    whmcs.call("AcceptOrder", orderid=order["orderid"])
    whmcs.assert_called("AcceptOrder", times=2)
"""

# Each test notes which xdist worker ran it against which server. Written as test_billing.py, so that it
# is collected first and xdist's first batches of tests, two per worker, come from it.
WORKERS = """
import os
import pytest

@pytest.mark.parametrize("n", range(8))
def test_isolated(whmcs, n):
    assert whmcs.requests() == [] and whmcs.state["orders"] == []
    assert whmcs.call("AddOrder", clientid=1, pid=[1], billingcycle=["monthly"],
                      paymentmethod="mailin")["orderid"] == 1
    with open("servers.txt", "a") as servers:
        servers.write(f"{os.environ['PYTEST_XDIST_WORKER']} {whmcs.url}\\n")
"""


def readme_example() -> str:
    """The first Python block of the README's pytest plugin section."""
    section = (ROOT / "README.md").read_text().split("\n## pytest plugin\n", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found, "the README's pytest plugin section has no Python example"
    return found.group(1)


def test_the_readme_example_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_checkout=readme_example())
    pytester.runpytest().assert_outcomes(passed=4)


def test_under_xdist_each_worker_has_its_own_server_and_reports_its_journal(
    pytester: pytest.Pytester,
) -> None:
    # One run for all three checks: starting xdist workers takes seconds.
    pytester.makepyfile(test_billing=WORKERS, test_checkout=readme_example(), test_failing=FAILING)
    result = pytester.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=4 + 8, failed=1)
    result.stdout.fnmatch_lines([
        "*_ test_accepts_twice _*",
        "*- mockwhmcs journal -*",
        "#1 AddOrder * -> HTTP 200: success orderid=1 *",
        '#2 AcceptOrder {"orderid": "1"} -> HTTP 200: success',
        "*= short test summary info =*",
    ])
    servers = dict(line.split() for line in (pytester.path / "servers.txt").read_text().splitlines())
    assert sorted(servers) == ["gw0", "gw1"]
    assert len(set(servers.values())) == 2
