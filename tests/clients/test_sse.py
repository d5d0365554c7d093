"""The stream of /run_sse: events line by line, keep-alives, malformed events, how a turn
ends (closed, dropped, timed out), and what the agent is (not) told."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from nemo_mock.client_tests.reference_client.chat import message_for_agent, read_turn
from nemo_mock.client_tests.reference_client.sse import (
    HEARTBEAT,
    KEEPALIVE,
    MALFORMED,
    EventParser,
    Turn,
    for_the_user,
    parse_data,
)


def events_of(text: str) -> list:
    parser = EventParser()
    found = [parser.feed(line) for line in text.splitlines()]
    return [e for e in found if e is not None]


def test_events_keepalives_and_malformed():
    wire = (
        'data: {"type":"tool_call","name":"generate_video_with_seedance","args":{}}\n\n'
        'data: {"type":"heartbeat"}\n\n'
        "data: \n\n"
        "data:\n\n"
        'data: {"type":"text","content":"this event is cut sho\n\n'
        ": a comment\n\n"
        'data: {"type":"tool_result","name":"edit_multitrack","result":{"status":"success"}}\n\n'
        'data: {"type":"text","content":"Done! Click the Export button."}\n\n'
    )
    events = events_of(wire)
    assert [e.type for e in events] == [
        "tool_call",
        HEARTBEAT,
        KEEPALIVE,
        KEEPALIVE,
        MALFORMED,
        "tool_result",
        "text",
    ]
    assert events[0].name == "generate_video_with_seedance"
    assert [e.keeps_alive for e in events[1:4]] == [True, True, True]
    assert events[-1].content == "Done! Click the Export button."


def test_multi_line_data_crlf_and_other_fields():
    events = events_of(
        'event: message\r\nid: 7\r\ndata: {"type":"text",\r\ndata: "content":"hi"}\r\n\r\n'
    )
    assert [(e.type, e.content) for e in events] == [("text", "hi")]


def test_data_without_a_space_and_an_unterminated_event_at_the_end():
    events = events_of('data:{"type":"text","content":"a"}\n\ndata: {"type":"text","content":"b"}')
    assert [e.content for e in events] == ["a"]  # the cut-off last event is never completed


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ("", KEEPALIVE),
        ("   ", KEEPALIVE),
        ('{"type":"heartbeat"}', HEARTBEAT),
        ("[1, 2]", MALFORMED),
        ('{"content": "no type"}', MALFORMED),
        ("not json", MALFORMED),
        ('{"type":"something_new","x":1}', "something_new"),
    ],
)
def test_parse_data(data, kind):
    assert parse_data(data).type == kind


def test_temporary_issue_is_not_a_reply():
    turn = Turn(
        "closed",
        events_of(
            'data: {"type":"tool_result","name":"edit_multitrack","result":{}}\n\n'
            'data: {"type":"text","content":"I encountered a temporary issue. Try again."}\n\n'
        ),
    )
    assert turn.silent
    assert not turn.empty
    assert turn.texts == []


def test_a_turn_of_keepalives_only_is_empty():
    turn = Turn("closed", events_of('data: {"type":"heartbeat"}\n\ndata:\n\ndata: {oops\n\n'))
    assert turn.empty and turn.silent


# --------------------------------------------------------------------------- reading a stream


class Broken(httpx.SyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


def response_of(stream: httpx.SyncByteStream | bytes) -> httpx.Response:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/event-stream"}
        if isinstance(stream, bytes):
            return httpx.Response(200, headers=headers, content=stream)
        return httpx.Response(200, headers=headers, stream=stream)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    return client.send(client.build_request("POST", "http://mock/run_sse"), stream=True)


def test_a_closed_stream():
    body = (
        b'data: {"type":"tool_call","name":"edit_multitrack","args":{}}\n\n'
        b'data: {"type":"tool_result","name":"edit_multitrack","result":{}}\n\n'
    )
    seen = []
    turn = read_turn(response_of(body), 600, on_event=seen.append)
    assert turn.ending == "closed"
    assert turn.silent and not turn.empty
    assert [e.type for e in seen] == ["tool_call", "tool_result"]


def test_a_broken_stream_is_a_drop():
    stream = Broken([b'data: {"type":"tool_call","name":"x","args":{}}\n\n', b"data: {}\n\n"])
    turn = read_turn(response_of(stream), 600)
    assert turn.ending == "dropped"
    assert [e.type for e in turn.events] == ["tool_call", MALFORMED]


def test_only_heartbeats_for_the_limit_is_a_time_out():
    now = [0.0]

    def clock() -> float:
        now[0] += 1.0
        return now[0]

    body = b'data: {"type":"heartbeat"}\n\ndata:\n\n' * 50
    turn = read_turn(response_of(body), 10, clock=clock)
    assert turn.ending == "timed_out"
    assert turn.empty
    assert len(turn.events) < 20  # closed once the limit passed, not read to the end


def test_real_events_reset_the_heartbeat_clock():
    now = [0.0]

    def clock() -> float:
        now[0] += 1.0
        return now[0]

    beat = b'data: {"type":"heartbeat"}\n\n'
    body = (beat * 3 + b'data: {"type":"tool_call","name":"x","args":{}}\n\n') * 5
    turn = read_turn(response_of(body), 10, clock=clock)
    assert turn.ending == "closed"


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize(
    ("prompt", "sent"),
    [
        (
            "make me a 10-second sunset timelapse video",
            "make me a 10-second sunset timelapse video",
        ),
        ("make me a sunset video and export it as mp4", "make me a sunset video"),
        ("make me a sunset video, then download it.", "make me a sunset video."),
        ("make a slideshow. Export it in 1080p!", "make a slideshow."),
        ("add a title 'Mr. Smith. Export' and export.", "add a title 'Mr. Smith. Export'."),
        ("做成视频。导出！", "做成视频。"),
        ("put a title 'Export Day' at the beginning", "put a title 'Export Day' at the beginning"),
        ("把这些照片做成视频，然后导出", "把这些照片做成视频"),
        ("export", ""),
    ],
)
def test_message_for_agent_drops_export_requests(prompt, sent):
    assert message_for_agent(prompt) == sent


def test_for_the_user_drops_gui_instructions():
    text = "I've added lo-fi music. Click the Export button to download it. 点击导出。"
    assert for_the_user(text) == "I've added lo-fi music."
