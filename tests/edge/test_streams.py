"""One framing of stream events, shared by the journal's parser and the faults' tap."""

import asyncio

import pytest

from nemo_mock.mock_server.edge.streams import SseFraming, framing_for
from nemo_mock.mock_server.faults.wire import StreamTap
from nemo_mock.mock_server.journal.capture import SseParser


def split(chunks, **kw):
    framing = SseFraming(**kw)
    events = [event for chunk in chunks for event in framing.feed(chunk)]
    return events, framing.rest()


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_an_event_ends_at_a_blank_line_with_any_line_end(end):
    events, rest = split([b"data: a" + end + end + b"data: b" + end + end + b"data: c"])
    assert events == [b"data: a" + end + end, b"data: b" + end + end]
    assert rest == b"data: c"


def test_crlf_is_one_line_end_even_when_split_between_chunks():
    events, rest = split([b"data: a\r", b"\n", b"data: b\r", b"\n\r", b"\n"])
    assert events == [b"data: a\r\ndata: b\r\n\r\n"]
    assert rest == b""


def test_a_lone_cr_at_the_end_of_a_chunk_waits_for_the_next():
    framing = SseFraming()
    assert framing.feed(b"data: a\r\r") == []  # the second \r may start a \r\n
    assert framing.feed(b"data: b") == [b"data: a\r\r"]


def test_an_unfinished_event_is_held_up_to_max_pending():
    framing = SseFraming(max_pending=10)
    framing.feed(b"x" * 100)
    assert framing.held == 10


def test_only_an_event_stream_has_a_framing():
    sse = {
        "type": "http.response.start",
        "headers": [(b"Content-Type", b"text/event-stream; charset=utf-8")],
    }
    json_ = {"type": "http.response.start", "headers": [(b"content-type", b"application/json")]}
    assert isinstance(framing_for(sse), SseFraming)
    assert framing_for(json_) is None
    assert framing_for({"type": "http.response.start"}) is None


def test_the_journal_and_the_cut_fault_split_a_crlf_stream_alike():
    body = b"data: 1\r\n\r\n: keep-alive\r\n\r\ndata: 2\r\n\r\ndata: 3\r\n\r\n"
    parser = SseParser()
    parser.feed(body, 1.0)
    parser.close(2.0)
    assert [e.data for e in parser.events] == ["1", "2", "3"]

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def run():
        tap = StreamTap(cut_after=3)
        start = {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/event-stream")],
        }
        await tap.send(start, send)
        await tap.send({"type": "http.response.body", "body": body, "more_body": True}, send)
        return tap

    tap = asyncio.run(run())
    passed = b"".join(m.get("body", b"") for m in sent[1:])
    # three events passed the tap (the comment-only keep-alive is one), then the body ended
    assert tap.sent_events == 3 and tap.cut.is_set()
    assert passed == b"data: 1\r\n\r\n: keep-alive\r\n\r\ndata: 2\r\n\r\n"
