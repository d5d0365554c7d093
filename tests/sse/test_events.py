"""The wire form of agent events, byte for byte (§4.4), and its agreement with the contract."""

import json

import pytest

from nemo_mock.mock_server.sse.events import heartbeat, keepalive, text, tool_call, tool_result
from tests.helpers.sse import SSE_EVENT


def test_text_event_is_one_data_line_and_a_blank_line():
    assert text("hi").encode() == b'data: {"type":"text","content":"hi"}\n\n'


def test_non_ascii_travels_as_utf8_not_escapes():
    assert (
        text("视频已生成").encode() == 'data: {"type":"text","content":"视频已生成"}\n\n'.encode()
    )


def test_newlines_in_content_stay_inside_one_json_line():
    encoded = text("line one\nline two").encode()
    assert encoded.count(b"\n") == 2 and b"\\n" in encoded


def test_tool_events():
    call = tool_call("edit_multitrack", {"op": "add_title", "text": "Golden Hour"})
    assert call.encode() == (
        b'data: {"type":"tool_call","name":"edit_multitrack",'
        b'"args":{"op":"add_title","text":"Golden Hour"}}\n\n'
    )
    result = tool_result("generate_video_with_seedance", {"duration_ms": 10000})
    assert json.loads(result.data()) == {
        "type": "tool_result",
        "name": "generate_video_with_seedance",
        "result": {"duration_ms": 10000},
    }


def test_heartbeat_and_empty_keepalive():
    assert heartbeat().encode() == b'data: {"type":"heartbeat"}\n\n'
    assert keepalive().encode() == b"data: \n\n"


@pytest.mark.parametrize(
    "event",
    [
        text("hi"),
        tool_call("edit_multitrack", {}),
        tool_result("edit_multitrack", {"ok": True}),
        heartbeat(),
    ],
)
def test_every_event_validates_against_the_contract(event):
    SSE_EVENT.validate(json.loads(event.data()))


def test_the_contract_schema_rejects_what_is_not_an_event():
    assert not SSE_EVENT.is_valid({"type": "done"})
    assert not SSE_EVENT.is_valid({"type": "text"})
