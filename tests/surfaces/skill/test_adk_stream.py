"""/run_sse in the adk stream style (issue 21 item 3), read by a client of ADK's native events.

The client parses each ``data:`` line as an ADK ``Event``: the envelope against the
contract's ``AdkEvent`` (derived from adk-python's ``Event``/``LlmResponse``/``EventActions``)
and the content with google-genai's own ``types.Content`` model (``extra='forbid'``, the
model ADK's ``Event.content`` is), then reads the turn from ``text``, ``function_call`` and
``function_response`` as an ADK client does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
import pytest
from google.genai import types

from nemo_mock.contracts.loader import load_openapi
from tests.conftest import Api, assert_error

BASE = "urn:nemo-mock:openapi"
ADK_EVENT = jsonschema_rs.Draft202012Validator(
    {"$ref": f"{BASE}#/components/schemas/AdkEvent"},
    registry=jsonschema_rs.Registry([(BASE, load_openapi())]),
)
GENERATE = "make me a 5-second sunset timelapse video"


@dataclass
class AdkTurn:
    """One turn as an ADK client reads it."""

    events: list[dict[str, Any]] = field(default_factory=list)
    contents: list[types.Content] = field(default_factory=list)
    comments: int = 0

    def calls(self) -> list[types.FunctionCall]:
        return [p.function_call for c in self.contents for p in c.parts or () if p.function_call]

    def responses(self) -> list[types.FunctionResponse]:
        parts = [p for c in self.contents for p in c.parts or ()]
        return [p.function_response for p in parts if p.function_response]

    def final_texts(self) -> list[str]:
        """Whole texts (not partial chunks), as ADK's ``is_final_response`` would keep."""
        return [
            part.text
            for event, content in zip(self.events, self.contents, strict=True)
            if not event.get("partial")
            for part in content.parts or ()
            if part.text
        ]


def read_adk(body: str) -> AdkTurn:
    turn = AdkTurn()
    for block in body.split("\n\n"):
        if not block:
            continue
        if block.startswith(":"):
            turn.comments += 1
            continue
        assert block.startswith("data: "), block
        event = json.loads(block[6:])
        ADK_EVENT.validate(event)
        turn.events.append(event)
        turn.contents.append(types.Content.model_validate(event["content"]))
    return turn


def run_body(sid: str, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": sid,
        "new_message": {"role": "user", "parts": [{"text": text}]},
        **extra,
    }


@pytest.fixture
def app(make_app):
    return make_app(time_scale=0, silent_rate=0, temp_issue_rate=0, initial_credits=1000)


@pytest.fixture
def headers(api: Api) -> dict[str, str]:
    return api.auth()


@pytest.fixture
def sid(api: Api, headers) -> str:
    return api.session(headers)["session_id"]


@pytest.mark.ffmpeg
def test_an_adk_client_reads_a_whole_generation_turn(api: Api, headers, sid):
    answer = api.client.post(
        "/run_sse", headers={**headers, "X-Mock-Stream-Style": "adk"}, json=run_body(sid, GENERATE)
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(
        "text/event-stream"
    )
    turn = read_adk(answer.text)
    (call,) = turn.calls()
    (response,) = turn.responses()
    assert call.name == response.name == "generate_video_with_seedance"
    assert call.id == response.id and call.args["duration_s"] == 5.0
    assert response.response["status"] == "completed"
    (reply,) = turn.final_texts()
    assert "5-second" in reply
    assert turn.events[-1]["turnComplete"] is True
    assert {e["author"] for e in turn.events} == {"nemo_agent"}
    state = api.state(headers, sid)["state"]
    assert response.response["media_ids"] == [m["id"] for m in state["generated_media"]]


def test_with_streaming_the_partial_chunks_join_into_the_whole_text(api: Api, headers, sid):
    body = run_body(sid, "hello, what can you do?", streaming=True)
    answer = api.client.post("/run_sse?stream_style=adk", headers=headers, json=body)
    turn = read_adk(answer.text)
    pairs = zip(turn.events, turn.contents, strict=True)
    partial = [c.parts[0].text for e, c in pairs if e.get("partial")]
    (whole,) = turn.final_texts()
    assert len(partial) >= 2 and "".join(partial) == whole
    assert turn.events[-1]["partial"] is False and turn.events[-1]["turnComplete"] is True


@pytest.mark.ffmpeg
def test_an_edit_turn_in_adk_style_changes_the_state_its_response_reports(api: Api, headers, sid):
    api.client.post("/run_sse", headers=headers, json=run_body(sid, GENERATE))
    body = run_body(sid, "add a title 'Golden Hour' at the beginning")
    adk_headers = {**headers, "X-Mock-Stream-Style": "adk"}
    turn = read_adk(api.client.post("/run_sse", headers=adk_headers, json=body).text)
    (response,) = turn.responses()
    assert response.name == "edit_multitrack"
    titles = [
        seg
        for track in api.state(headers, sid)["state"]["draft"]["t"]
        if track["tt"] == 7
        for seg in track["sg"]
    ]
    assert any("Golden Hour" in json.dumps(seg, ensure_ascii=False) for seg in titles)


def test_without_a_style_the_stream_is_the_simple_one(api: Api, headers, sid):
    answer = api.client.post("/run_sse", headers=headers, json=run_body(sid, "hello"))
    events = [
        json.loads(line[6:]) for line in answer.text.splitlines() if line.startswith("data: {")
    ]
    assert events and all(isinstance(e.get("type"), str) for e in events)


def test_the_header_wins_over_the_query(api: Api, headers, sid):
    answer = api.client.post(
        "/run_sse?stream_style=adk",
        headers={**headers, "X-Mock-Stream-Style": "simple"},
        json=run_body(sid, "hello"),
    )
    assert '"type":"text"' in answer.text and "invocationId" not in answer.text


@pytest.mark.parametrize(
    ("where", "named"),
    [({"headers": {"X-Mock-Stream-Style": "json"}}, "X-Mock-Stream-Style"),
     ({"params": {"stream_style": "ADK-v2"}}, "stream_style"),
     # the header wins, but a wrong query beside it is still wrong (the stateful fuzzing
     # found it accepted: the contract's enum says no)
     ({"headers": {"X-Mock-Stream-Style": "simple"}, "params": {"stream_style": "\u00df"}},
      "stream_style")],
)  # fmt: skip
def test_an_unknown_style_is_a_400_naming_the_styles_and_charges_nothing(
    api: Api, headers, sid, where, named
):
    before = api.client.get("/api/credits/balance/simple", headers=headers).json()["data"]
    kw = {"headers": {**headers, **where.get("headers", {})}, "params": where.get("params")}
    answer = api.client.post("/run_sse", json=run_body(sid, GENERATE), **kw)
    body = assert_error(answer, 400, 400, named)
    assert "simple, adk" in body["message"]
    after = api.client.get("/api/credits/balance/simple", headers=headers).json()["data"]
    assert after == before


def test_the_journal_notes_the_style(api: Api, headers, sid):
    api.client.post("/run_sse?stream_style=adk", headers=headers, json=run_body(sid, "hello"))
    entries = api.client.get("/_mock/journal").json()["entries"]
    (turn,) = [e for e in entries if e["operation"] == "runSse"]
    assert turn["notes"]["style"] == "adk"
    assert json.loads(turn["events"][0]["data"])["author"] == "nemo_agent"


def test_the_adk_era_streams_adk_events_unless_the_request_asks_otherwise(make_app):
    from fastapi.testclient import TestClient

    with TestClient(make_app(era="adk", time_scale=0, initial_credits=1000)) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers)["session_id"]
        adk_turn = read_adk(client.post("/run_sse", headers=headers, json=run_body(sid, "hi")).text)
        asked = {**headers, "X-Mock-Stream-Style": "simple"}
        simple = client.post("/run_sse", headers=asked, json=run_body(sid, "hi")).text
    assert adk_turn.final_texts() and adk_turn.events[-1]["turnComplete"] is True
    assert simple.startswith('data: {"type":"text"')


def test_a_request_in_the_adk_era_by_header_streams_adk_events(api: Api, headers, sid):
    era = {**headers, "X-Mock-Era": "adk"}
    turn = read_adk(api.client.post("/run_sse", headers=era, json=run_body(sid, "hi")).text)
    assert turn.final_texts()
