"""`mockwhmcs record` and `mockwhmcs replay`, with a second real `mockwhmcs serve` as the "real" WHMCS.

Every exchange goes over real sockets. The end-to-end test runs all three as child processes, as a user
does; the others serve the recorder or the replay in-process, against a child process upstream.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mockwhmcs.app import create_app, engine_of
from mockwhmcs.server import BackgroundServer, HttpServer
from mockwhmcs.upstream.client import Exchange, Upstream
from mockwhmcs.upstream.record import recording_app
from mockwhmcs.upstream.recordings import FixtureWriter, logged, masked_text
from mockwhmcs.upstream.replay import Replay
from tests.support import AUTH, IDENTIFIER, SECRET, Http, Reply, Served, serve_process

API = "/includes/api.php"
# Read-only calls, one per kind of answer: JSON, XML, a 403 refusal, and a GET on the /api/v1 route.
READS = [
    ("POST", API, f"action=GetClientsDetails&{AUTH}&clientid=1&stats=true&responsetype=json"),
    ("POST", API, f"action=GetProducts&{AUTH}&pid=1&responsetype=xml"),
    ("POST", API, "action=GetProducts&identifier=wrong&secret=wrong-secret&responsetype=json"),
    ("GET", f"/api/v1/GetCurrencies?{AUTH}&responsetype=json", None),
]
PRODUCTS = f"action=GetClientsProducts&{AUTH}&clientid=1&responsetype=json"
SERVICE_PASSWORD = "S3cret-service-pw"
CHANGE_PASSWORD = (f"action=ModuleChangePw&{AUTH}&serviceid=10&servicepassword={SERVICE_PASSWORD}"
                   "&responsetype=json")


@dataclass
class _Address:
    host: str
    port: int


def at(port: int) -> Http:
    """The raw HTTP helper, pointed at a server on this machine."""
    return Http(_Address("127.0.0.1", port))  # type: ignore[arg-type]


def wire(reply: Reply) -> tuple[int, str, bytes]:
    return reply.status, reply.content_type, reply.body


def send(http: Http, calls: list[tuple[str, str, str | None]]) -> list[tuple[int, str, bytes]]:
    return [wire(http.request(method, path, body)) for method, path, body in calls]


def journal(http: Http) -> list[dict]:
    reply = http.get("/_mock/requests")
    assert reply.status == 200
    return json.loads(reply.body)["requests"]


@pytest.fixture(scope="module")
def upstream() -> Iterator[Served]:
    with serve_process() as served:
        yield served


@pytest.mark.slow
def test_record_then_replay_end_to_end(tmp_path: Path) -> None:
    saved = tmp_path / "recorded"
    with serve_process() as real:
        direct = send(at(real.port), READS)
        with serve_process("--upstream", real.url, "--save", str(saved), command="record") as recorder:
            proxy = at(recorder.port)
            through = send(proxy, READS)
            before = wire(proxy.post(PRODUCTS))
            assert json.loads(proxy.post(CHANGE_PASSWORD).body) == {"result": "success"}
            after = wire(proxy.post(PRODUCTS))
            recorded = journal(proxy)
        # What reached the upstream through the recorder: the same methods and routes (a GET stays a GET).
        forwarded = journal(at(real.port))[len(READS):2 * len(READS)]
        assert [(entry["method"], entry["path"]) for entry in forwarded] == [
            (method, path.split("?")[0]) for method, path, _ in READS]

    # Byte for byte what the upstream answers directly: JSON, XML, a 403 refusal, the /api/v1 route.
    assert through == direct
    assert [(status, kind) for status, kind, _ in direct] == [
        (200, "application/json"), (200, "application/xml; charset=utf-8"), (403, "application/json"),
        (200, "application/json")]
    assert SERVICE_PASSWORD.encode() in after[2]

    # The journal holds both sides, secrets masked, and where each answer came from and went.
    assert [entry["action"] for entry in recorded] == [
        "GetClientsDetails", "GetProducts", "GetProducts", "GetCurrencies", "GetClientsProducts",
        "ModuleChangePw", "GetClientsProducts"]
    # The identifier too: these are the real WHMCS's credentials.
    assert {(entry["params"]["identifier"], entry["params"]["secret"]) for entry in recorded} == {
        ("***", "***")}
    assert recorded[5]["params"]["servicepassword"] == "***"
    assert recorded[6]["response"]["products"]["product"][0]["password"] == "***"
    assert recorded[1]["response"] == direct[1][2].decode()  # XML is kept as its text
    assert recorded[2]["status"] == 403
    assert recorded[0]["upstream"] == f"{real.url}/includes/api.php"
    assert [entry["saved"] for entry in recorded] == [
        "0001-getclientsdetails.json", "0002-getproducts.json", "0003-getproducts.json",
        "0004-getcurrencies.json", "0005-getclientsproducts.json", "0006-modulechangepw.json",
        "0007-getclientsproducts.json"]

    # One file per exchange, credential-free; the answer carrying a secret is masked and says so.
    files = sorted(path.name for path in saved.iterdir())
    assert files == [entry["saved"] for entry in recorded]
    for path in saved.iterdir():
        text = path.read_text()
        for secret in (IDENTIFIER, SECRET, "wrong-secret", SERVICE_PASSWORD):
            assert secret not in text, (path.name, secret)
    first = json.loads((saved / files[0]).read_text())
    assert first == {"format": 1, "request": {
        "method": "POST", "path": API, "action": "GetClientsDetails",
        "params": {"clientid": "1", "stats": "true", "responsetype": "json"},
    }, "response": {"status": 200, "content_type": "application/json", "body": direct[0][2].decode(),
                    "masked": False}}
    masked = json.loads((saved / files[6]).read_text())["response"]
    assert masked["masked"] is True
    assert masked["body"] == after[2].decode().replace(SERVICE_PASSWORD, "***")
    assert json.loads((saved / files[5]).read_text())["request"]["params"]["servicepassword"] == "***"

    # The upstream is gone: the replay answers the same requests the same way, without it.
    with serve_process(str(saved), command="replay") as replayer:
        mock = at(replayer.port)
        assert send(mock, READS) == direct
        # The same request recorded twice: its answers in order, then the last one again.
        assert wire(mock.post(PRODUCTS)) == before
        assert [wire(mock.post(PRODUCTS))[2] for _ in range(2)] == [masked["body"].encode()] * 2
        # Unrecorded: the engine answers, from the default scenario.
        other = json.loads(mock.post(f"action=GetClientsDetails&{AUTH}&clientid=2&responsetype=json").body)
        assert other["firstname"] == "Carl"
        entries = journal(mock)
        assert mock.post("", path="/_mock/reset").status == 200
        assert wire(mock.post(PRODUCTS)) == before
    assert [entry.get("replayed") for entry in entries] == [
        "0001-getclientsdetails.json", "0002-getproducts.json", "0003-getproducts.json",
        "0004-getcurrencies.json", "0005-getclientsproducts.json", "0007-getclientsproducts.json",
        "0007-getclientsproducts.json", None]


def test_a_second_session_continues_the_numbering_with_identical_files(upstream: Served,
                                                                        tmp_path: Path) -> None:
    call = f"action=GetProducts&{AUTH}&pid=2&responsetype=json"
    for _ in range(2):
        app = recording_app(Upstream(upstream.url, "", ""), save=tmp_path, report=pytest.fail)
        with BackgroundServer(app) as server:
            assert at(server.port).post(call).status == 200
    first, second = sorted(tmp_path.iterdir())
    assert (first.name, second.name) == ("0001-getproducts.json", "0002-getproducts.json")
    assert first.read_bytes() == second.read_bytes()


def test_the_body_goes_on_as_it_is_with_its_content_type(upstream: Served, tmp_path: Path) -> None:
    fields = [("action", "GetProducts"), ("identifier", IDENTIFIER), ("secret", SECRET), ("pid", "1"),
              ("responsetype", "json")]
    body = "".join(f'--b0undary\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                   for name, value in fields) + "--b0undary--\r\n"
    multipart = "multipart/form-data; boundary=b0undary"
    direct = at(upstream.port).post(body, content_type=multipart)
    with BackgroundServer(recording_app(Upstream(upstream.url, "", ""), save=tmp_path)) as server:
        through = at(server.port).post(body, content_type=multipart)
    assert json.loads(direct.body)["totalresults"] == 1
    assert wire(through) == wire(direct)
    saved = json.loads((tmp_path / "0001-getproducts.json").read_text())
    assert saved["request"]["params"] == {"pid": "1", "responsetype": "json"}


class _Moved(BaseHTTPRequestHandler):
    """A WHMCS that moved: every request is redirected."""

    def do_POST(self) -> None:
        self.send_response(301)
        self.send_header("Location", "https://billing.example.com/includes/api.php")
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"Moved")

    def log_message(self, *args: object) -> None:
        pass


def test_a_redirect_goes_back_to_the_client_as_it_came() -> None:
    moved = ThreadingHTTPServer(("127.0.0.1", 0), _Moved)
    threading.Thread(target=moved.serve_forever, daemon=True).start()
    try:
        upstream = Upstream(f"http://127.0.0.1:{moved.server_address[1]}", "", "")
        with BackgroundServer(recording_app(upstream)) as server:
            reply = at(server.port).post(f"action=GetProducts&{AUTH}")
    finally:
        moved.shutdown()
        moved.server_close()
    assert wire(reply) == (301, "text/html", b"Moved")
    assert reply.headers["Location"] == "https://billing.example.com/includes/api.php"


def test_forwarding_runs_in_the_thread_pool_not_on_the_event_loop(upstream: Served) -> None:
    # The server answers an ApiEndpoint's API on its event loop; a forward that waits on the other WHMCS
    # there would hold up every connection, so the recorder must not be one (server.py).
    assert HttpServer(recording_app(Upstream(upstream.url, "", ""))).endpoint is None


def test_an_unreachable_upstream_is_a_502_line_and_a_stderr_line() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    line = f"mockwhmcs record: cannot reach http://127.0.0.1:{port}/includes/api.php: connection refused"
    with serve_process("--upstream", f"http://127.0.0.1:{port}", command="record",
                       stderr=subprocess.PIPE) as recorder:
        proxy = at(recorder.port)
        reply = proxy.post(f"action=GetProducts&{AUTH}")
        (entry,) = journal(proxy)
        recorder.process.terminate()
        _, stderr = recorder.process.communicate(timeout=10)
    assert (reply.status, reply.content_type, reply.text) == (502, "text/plain; charset=utf-8", line + "\n")
    assert (entry["status"], entry["response"]) == (502, line + "\n")
    assert stderr == line + "\n"


@pytest.fixture
def replaying(tmp_path: Path) -> Iterator[tuple[Http, Replay]]:
    """A replay of one GetClientsDetails recording, strict, over a real socket."""
    FixtureWriter(tmp_path).write(
        "POST", API, "GetClientsDetails",
        {"action": "GetClientsDetails", "identifier": "id", "secret": "s", "clientid": "1",
         "responsetype": "json"},
        Exchange(200, "application/json", b'{"result":"success","recorded":true}'))
    app = create_app("default")
    replay = engine_of(app).replay = Replay.load(tmp_path, strict=True)
    with BackgroundServer(app) as server:
        yield at(server.port), replay


def test_matching_ignores_credentials_and_the_action_names_case(replaying: tuple[Http, Replay]) -> None:
    http, _ = replaying
    reply = http.post("action=getclientsdetails&identifier=other&secret=x&clientid=1&responsetype=json")
    assert reply.body == b'{"result":"success","recorded":true}'


def test_strict_answers_no_match_with_an_error_naming_the_closest_recording(
        replaying: tuple[Http, Replay]) -> None:
    http, _ = replaying
    assert http.call("GetClientsDetails", "clientid=2&stats=true") == {"result": "error", "message": (
        "mockwhmcs replay: no recording matched GetClientsDetails responsetype=json&clientid=2&stats=true; "
        "closest: 0001-getclientsdetails.json (recorded clientid=1, recorded without stats)")}
    xml = http.post(f"action=GetInvoices&{AUTH}&responsetype=xml")
    assert (xml.status, xml.content_type) == (200, "application/xml; charset=utf-8")
    assert ("<message>mockwhmcs replay: no recording matched GetInvoices responsetype=xml; closest: "
            "0001-getclientsdetails.json (action GetClientsDetails)</message>") in xml.text


def test_faults_apply_before_the_replay(replaying: tuple[Http, Replay]) -> None:
    http, _ = replaying
    rule = {"action": "GetClientsDetails", "error": "Injected outage"}
    assert http.post(json.dumps(rule), path="/_mock/faults", content_type="application/json").status == 201
    assert http.call("GetClientsDetails", "clientid=1") == {"result": "error", "message": "Injected outage"}
    (entry,) = journal(http)
    assert entry["fault"]["error"] == "Injected outage"
    assert "replayed" not in entry


@pytest.mark.parametrize(("files", "problem"), [
    (None, "not a directory of recordings"),
    ({}, "no recordings (*.json files) in it"),
    ({"0001-x.json": "{"}, "not a JSON file: Expecting property name enclosed in double quotes"),
    ({"0001-x.json": '{"format": 2}'}, "format: expected 1"),
    ({"0001-x.json": '{"format": 1, "request": {"action": "X", "params": []}}'},
     "request.params: expected an object"),
    ({"0001-x.json": '{"format": 1, "request": {"action": "X", "params": {}}, '
                     '"response": {"status": 999, "content_type": "", "body": ""}}'},
     "response.status: 999 is not an HTTP status"),
    ({"0001-x.json": "[" * 100_000 + "]" * 100_000}, "not a JSON file: maximum recursion depth exceeded"),
], ids=["missing", "empty", "not-json", "format", "params", "status", "too-deep"])
def test_a_bad_recording_directory_is_one_line_and_exit_2(tmp_path: Path, files: dict[str, str] | None,
                                                          problem: str) -> None:
    directory = tmp_path / "recorded"
    if files is not None:
        directory.mkdir()
        for name, text in files.items():
            (directory / name).write_text(text)
    where = directory / next(iter(files)) if files else directory
    result = subprocess.run([sys.executable, "-m", "mockwhmcs", "replay", str(directory), "--port", "0"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.startswith(f"mockwhmcs: {where}: {problem}")
    assert result.stderr.count("\n") == 1


def test_record_refuses_a_save_directory_it_cannot_write(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    inside_a_file = tmp_path / "file" / "recorded"
    result = subprocess.run([sys.executable, "-m", "mockwhmcs", "record", "--upstream", "http://127.0.0.1:9",
                             "--save", str(inside_a_file), "--port", "0"], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 2
    assert result.stderr == f"mockwhmcs: {inside_a_file}: cannot write recordings there: Not a directory\n"


@pytest.mark.parametrize(("body", "masked"), [
    ('{"result":"success","a":"\\u00e9/x","password":"pw","x":{"rootpw":"r","eppcode":""}}',
     '{"result":"success","a":"\\u00e9/x","password":"***","x":{"rootpw":"***","eppcode":""}}'),
    ('<?xml version="1.0"?>\n<whmcsapi>\n<products>\n<product>\n<password>pw</password>\n'
     '<eppcode><![CDATA[a<b]]></eppcode>\n<name>p</name>\n</product>\n</products>\n</whmcsapi>',
     '<?xml version="1.0"?>\n<whmcsapi>\n<products>\n<product>\n<password>***</password>\n'
     '<eppcode>***</eppcode>\n<name>p</name>\n</product>\n</products>\n</whmcsapi>'),
    ("result=success;password=pw;x[0][eppcode]=e;x[0][name]=n",
     "result=success;password=***;x[0][eppcode]=***;x[0][name]=n"),
], ids=["json", "xml", "nvp"])
def test_secrets_in_an_answer_are_masked_and_nothing_else_changes(body: str, masked: str) -> None:
    assert masked_text(body) == (masked, True)
    assert masked_text(masked.replace("***", "")) == (masked.replace("***", ""), False)


@pytest.mark.parametrize("depth", [65, 100_000])
def test_an_answer_nested_deeper_than_any_whmcs_answer_is_kept_as_text(depth: int) -> None:
    body = b'{"a":' * depth + b"1" + b"}" * depth
    assert logged(body) == body.decode()
    assert logged(b'{"a":' * 63 + b"1" + b"}" * 63) == json.loads(b'{"a":' * 63 + b"1" + b"}" * 63)
