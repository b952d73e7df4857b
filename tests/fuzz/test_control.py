"""Any body posted to the control API gets a JSON answer with a 2xx or 4xx status and the reason:
never a 5xx or a traceback, and a refused body changes nothing."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mockwhmcs.app import create_app, engine_of
from mockwhmcs.store.snapshot import snapshot

APP = create_app("default")
CLIENT = APP.test_client()
ENDPOINTS = ["/_mock/faults", "/_mock/requests/count", "/_mock/clock", "/_mock/scenario"]

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=30,
)
rule_keys = st.sampled_from([
    "id", "action", "when", "after", "times", "probability", "error", "status", "body", "content_type",
    "connection", "delay", "now", "advance", "name", "params",
])
plausible = st.dictionaries(rule_keys, json_values, max_size=6)
raw_bodies = st.one_of(
    plausible.map(json.dumps),
    json_values.map(lambda value: json.dumps(value, allow_nan=True)),
    st.integers(1, 5_000).map(lambda depth: '{"when": ' + "[" * depth + "]" * depth + "}"),
    st.text(max_size=200),
)


def _state() -> tuple[Any, ...]:
    engine = engine_of(APP)
    return snapshot(engine.store), engine.faults.to_json()


@given(path=st.sampled_from(ENDPOINTS), body=raw_bodies)
def test_any_control_body_answers_json_without_a_server_error(path: str, body: str) -> None:
    engine_of(APP).reset()
    before = _state()
    reply = CLIENT.post(path, data=body.encode("utf-8", "surrogatepass"), content_type="application/json")
    assert reply.status_code < 500, reply.get_data(as_text=True)
    answer = json.loads(reply.get_data())
    if reply.status_code >= 400:
        assert answer["error"]
        assert _state() == before
