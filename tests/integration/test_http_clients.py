"""The HTTP clients people call WHMCS with, against the socket server: curl, Python's requests and
httpx, Node's fetch and PHP's cURL. Each is skipped, with the reason, where it is not installed."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.support import AUTH, IDENTIFIER, SECRET, Http

GET_PRODUCTS = f"action=GetProducts&{AUTH}&responsetype=json"
NINE_MIB = "a=" + "x" * (9 * 1024 * 1024)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def url(api: Http) -> str:
    return f"http://{api.server.host}:{api.server.port}/includes/api.php"


def run(command: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=60, check=True)


def needs(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.skip(f"{program} is not installed")
    return path


def test_curl_reuses_its_connection_for_a_second_request(api: Http) -> None:
    done = run([needs("curl"), "-sv", url(api), "-d", GET_PRODUCTS, "--next", url(api), "-d", GET_PRODUCTS])
    first, second = done.stdout.replace("}{", "}\n{").splitlines()
    assert json.loads(first)["result"] == json.loads(second)["result"] == "success"
    assert "existing connection" in done.stderr  # "Re-using existing connection" (wording varies)


def test_curl_sends_a_chunked_body(api: Http) -> None:
    done = run([needs("curl"), "-s", "-H", "Transfer-Encoding: chunked", "--data-binary", "@-", url(api)],
               stdin=GET_PRODUCTS)
    assert json.loads(done.stdout)["result"] == "success"


def test_curl_waiting_for_100_continue_gets_the_answer(api: Http) -> None:
    body = GET_PRODUCTS + "&pad=" + "x" * 2_000_000  # curl asks for 100-continue by itself past 1 MiB
    done = run([needs("curl"), "-sv", "-H", "Expect: 100-continue", "--data-binary", "@-", url(api)],
               stdin=body)
    assert "HTTP/1.1 100 Continue" in done.stderr
    assert json.loads(done.stdout)["result"] == "success"


def test_curl_sending_too_large_a_body_reads_the_413(api: Http) -> None:
    done = run([needs("curl"), "-s", "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@-",
                url(api)], stdin=NINE_MIB)
    assert done.stdout == "413"


@pytest.mark.parametrize(("module", "session", "body"), [("requests", "Session", "data"),
                                                      ("httpx", "Client", "content")])
def test_python_clients_keep_their_connection_alive(api: Http, module: str, session: str, body: str) -> None:
    client = getattr(pytest.importorskip(module), session)()
    with client:
        for _ in range(2):
            answer = client.post(url(api), headers=FORM, **{body: GET_PRODUCTS})
            assert answer.json()["result"] == "success"


NODE = """
const [url, body] = process.argv.slice(1);
const headers = {"Content-Type": "application/x-www-form-urlencoded"};
const results = [];
for (let i = 0; i < 2; i++) {  // one keep-alive connection, reused
  results.push((await (await fetch(url, {method: "POST", headers, body})).json()).result);
}
const stream = new ReadableStream({start(c) { c.enqueue(new TextEncoder().encode(body)); c.close(); }});
const chunked = await fetch(url, {method: "POST", headers, body: stream, duplex: "half"});  // chunked
results.push((await chunked.json()).result);
console.log(JSON.stringify(results));
"""


def test_node_fetch_plain_and_streamed_bodies(api: Http) -> None:
    done = run([needs("node"), "--input-type=module", "-e", NODE, url(api), GET_PRODUCTS])
    assert json.loads(done.stdout) == ["success"] * 3


PHP = """<?php
[$_, $url, $identifier, $secret] = $argv;
$ch = curl_init();
$results = [];
foreach ([1, 2] as $i) {  // one handle: its connection is reused
    curl_setopt_array($ch, [
        CURLOPT_URL => $url, CURLOPT_POST => 1, CURLOPT_RETURNTRANSFER => 1,
        CURLOPT_POSTFIELDS => http_build_query(["action" => "AddOrder", "identifier" => $identifier,
            "secret" => $secret, "responsetype" => "json", "clientid" => 1, "pid" => [1],
            "billingcycle" => ["monthly"], "paymentmethod" => "mailin"]),
    ]);
    $results[] = json_decode(curl_exec($ch), true)["result"];
}
$results[] = curl_getinfo($ch, CURLINFO_NUM_CONNECTS);
echo json_encode($results);
"""


def test_php_curl_places_orders_over_one_connection(api: Http) -> None:
    php = needs("php")
    if run([php, "-m"]).stdout.find("curl") < 0:
        pytest.skip("PHP's curl extension is not installed (Debian: php-curl)")
    done = run([php, "-r", PHP.removeprefix("<?php\n"), "--", url(api), IDENTIFIER, SECRET])
    assert json.loads(done.stdout) == ["success", "success", 0]  # the second call opened no connection
