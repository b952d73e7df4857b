"""Who may use /_mock/: loopback callers, others only with the control token, and no web page."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from mockwhmcs.app import create_app
from mockwhmcs.control.guard import is_loopback
from tests.support import AUTH

TOKEN = "s3cret-token"
REMOTE = {"REMOTE_ADDR": "192.0.2.10"}


@pytest.fixture(scope="module")
def open_app() -> Flask:
    return create_app("default")


@pytest.fixture(scope="module")
def token_app() -> Flask:
    return create_app("default", control_token=TOKEN)


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_loopback_callers_may_use_the_control_plane(open_app: Flask, address: str) -> None:
    reply = open_app.test_client().get("/_mock/health", environ_base={"REMOTE_ADDR": address})
    assert reply.status_code == 200


@pytest.mark.parametrize("address", ["192.0.2.10", "10.0.0.1", "::ffff:10.0.0.1", "2001:db8::1", "", "x"])
def test_is_loopback_only_for_this_machine(address: str) -> None:
    assert not is_loopback(address)


@pytest.mark.parametrize("path", ["/_mock/health", "/_mock/state", "/_mock/ui/", "/_mock/nothing-here"])
def test_without_a_token_others_are_refused_and_told_how_to_enable_it(open_app: Flask, path: str) -> None:
    reply = open_app.test_client().get(path, environ_base=REMOTE)
    assert reply.status_code == 403
    assert reply.content_type == "application/json"
    error = reply.get_json()["error"]
    assert "192.0.2.10" in error and "--control-token" in error and "MOCKWHMCS_CONTROL_TOKEN" in error


def test_a_refused_caller_changes_nothing(open_app: Flask) -> None:
    client = open_app.test_client()
    client.post("/includes/api.php", data=f"action=AddOrder&{AUTH}&clientid=1&pid=1&paymentmethod=mailin")
    assert client.post("/_mock/reset", environ_base=REMOTE).status_code == 403
    assert len(client.get("/_mock/state").get_json()["orders"]) == 1


@pytest.mark.parametrize("headers", [
    {"Authorization": f"Bearer {TOKEN}"}, {"authorization": f"bearer {TOKEN}"}, {"X-Mockwhmcs-Token": TOKEN},
])
def test_with_the_token_other_callers_are_let_in(token_app: Flask, headers: dict[str, str]) -> None:
    reply = token_app.test_client().get("/_mock/health", environ_base=REMOTE, headers=headers)
    assert reply.status_code == 200


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
    {"X-Mockwhmcs-Token": TOKEN + "x"},
])
def test_a_wrong_or_missing_token_is_401(token_app: Flask, headers: dict[str, str]) -> None:
    reply = token_app.test_client().get("/_mock/state", environ_base=REMOTE, headers=headers)
    assert reply.status_code == 401
    assert reply.headers["WWW-Authenticate"] == "Bearer"
    assert "control token" in reply.get_json()["error"]


def test_the_whmcs_api_keeps_its_own_access_control(token_app: Flask) -> None:
    reply = token_app.test_client().post("/includes/api.php", data=f"action=GetProducts&{AUTH}",
                                         environ_base=REMOTE)
    assert reply.status_code == 403
    assert reply.get_data(as_text=True) == "result=error;message=Invalid IP 192.0.2.10"


def test_another_sites_page_cannot_drive_the_mock_through_the_browser(open_app: Flask) -> None:
    client = open_app.test_client()
    cross_site = client.post("/_mock/reset", headers={"Origin": "https://evil.example"})
    assert cross_site.status_code == 403
    assert "cross-origin" in cross_site.get_json()["error"]
    assert client.post("/_mock/reset", headers={"Origin": "http://localhost"}).status_code == 200


def test_a_dns_rebinding_host_is_refused_without_the_token(token_app: Flask) -> None:
    # evil.example resolving to 127.0.0.1: the browser sends its own host name, and the page's origin.
    rebound = {"Host": "evil.example:8080", "Origin": "http://evil.example:8080"}
    client = token_app.test_client()
    refused = client.get("/_mock/state", headers=rebound)
    assert refused.status_code == 403
    assert "DNS rebinding" in refused.get_json()["error"]
    for host in ("localhost:8080", "127.0.0.1:8080", "[::1]:8080", "app.localhost"):
        assert client.get("/_mock/health", headers={"Host": host}).status_code == 200
    assert client.get("/_mock/state", headers={**rebound, "X-Mockwhmcs-Token": TOKEN}).status_code == 200


def test_secrets_sent_by_clients_stay_out_of_the_journal_and_the_state(open_app: Flask) -> None:
    client = open_app.test_client()
    client.post("/_mock/reset")
    client.post("/includes/api.php", data=f"action=AddClient&{AUTH}&firstname=A&lastname=B&email=a@b.example"
                "&skipvalidation=1&password2=client-password-1")
    client.post("/includes/api.php", data=f"action=AddOrder&{AUTH}&clientid=1&paymentmethod=mailin"
                "&domaintype[0]=transfer&domain[0]=moving.com&eppcode[0]=epp-code-2&pid[0]=1&rootpw[0]=root-pw-3")
    shown = b"".join(client.get(path).get_data()
                     for path in ("/_mock/requests", "/_mock/state", "/_mock/ui/journal"))
    for secret in (b"client-password-1", b"epp-code-2", b"root-pw-3", b"mockwhmcs-secret"):
        assert secret not in shown
    legacy = hashlib.md5(b"admin-password").hexdigest().encode()
    client.post("/includes/api.php", data=f"action=GetProducts&username=admin&password={legacy.decode()}")
    assert legacy not in client.get("/_mock/requests").get_data()


def test_a_posted_scenario_cannot_run_code(open_app: Flask) -> None:
    scenario = "name: x\nextends: !!python/object/apply:os.getcwd []\n"
    reply = open_app.test_client().post("/_mock/scenario", data=scenario, content_type="application/yaml")
    assert reply.status_code == 400
    assert "unsupported YAML tag" in str(reply.get_json()["problems"])


def test_serve_warns_when_listening_beyond_loopback_and_reads_the_token_from_the_environment() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "mockwhmcs", "serve", "--host", "0.0.0.0", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "MOCKWHMCS_CONTROL_TOKEN": TOKEN},
    )
    try:
        assert process.stderr is not None and process.stdout is not None
        warning = process.stderr.readline()
        assert "listening on 0.0.0.0 exposes the mock to your network" in warning
        assert "with the control token" in warning
        port = int(process.stdout.readline().rsplit(":", 1)[1].split("/")[0])
        def status(headers: dict[str, str]) -> int:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/_mock/health", headers={"Host": "evil.example", **headers})
            return connection.getresponse().status

        assert status({}) == 403
        assert status({"X-Mockwhmcs-Token": TOKEN}) == 200
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.mark.parametrize("command", [["record", "--upstream", "http://127.0.0.1:1"], ["replay", "recorded"]])
def test_record_and_replay_warn_when_listening_beyond_loopback(command: list[str], tmp_path: Path) -> None:
    if command[0] == "replay":
        (tmp_path / "recorded").mkdir()
        (tmp_path / "recorded" / "0001-getproducts.json").write_text(json.dumps({
            "format": 1,
            "request": {"method": "POST", "path": "/includes/api.php", "action": "GetProducts", "params": {}},
            "response": {"status": 200, "content_type": "application/json", "body": "{}", "masked": False},
        }))
    arguments = [*command, "--host", "0.0.0.0", "--port", "0"]
    process = subprocess.Popen([sys.executable, "-m", "mockwhmcs", *arguments], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        assert process.stderr is not None
        warning = process.stderr.readline()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert "listening on 0.0.0.0 exposes the mock to your network" in warning
    assert "/_mock/ answers this machine only." in warning
