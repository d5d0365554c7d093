"""The journal is bounded (issue 13 item 13): events per entry, the size of one event, and
bytes overall; every entry says what it lost and the listing how many entries went."""

from __future__ import annotations

import json

import pytest

from nemo_mock.mock_server.journal.book import Journal
from nemo_mock.mock_server.journal.capture import MAX_EVENT_CHARS, SseParser
from nemo_mock.mock_server.journal.entry import JournalEntry, Message, SseEventRecord
from tests.conftest import Api
from tests.journal.conftest import run_sse_body


def stream(events: int) -> bytes:
    return b"".join(b'data: {"n":%d}\n\n' % n for n in range(events))


def test_a_long_stream_keeps_its_first_and_last_events_and_counts_the_rest():
    parser = SseParser(max_events=100)
    body = stream(5000)
    for start in range(0, len(body), 777):
        parser.feed(body[start : start + 777], 1.0)
    parser.close(2.0)
    kept = [json.loads(e.data)["n"] for e in parser.events]
    assert kept == [*range(50), *range(4950, 5000)]
    assert parser.omitted == 4900 and parser.omitted_at == 50


def test_a_short_stream_loses_nothing():
    parser = SseParser(max_events=100)
    parser.feed(stream(100), 1.0)
    assert len(parser.events) == 100 and parser.omitted == 0 and parser.omitted_at is None


def test_a_huge_event_is_cut_and_counted():
    parser = SseParser()
    parser.feed(b"data: " + b"x" * (MAX_EVENT_CHARS * 3) + b"\n\ndata: ok\n\n", 1.0)
    assert [len(e.data) for e in parser.events] == [MAX_EVENT_CHARS, 2]
    assert parser.cut == 1


def test_an_event_that_never_ends_is_not_held_whole():
    parser = SseParser()
    for _ in range(200):
        parser.feed(b"x" * 10_000, 1.0)
    assert parser.pending <= 4 * (MAX_EVENT_CHARS + 16)  # of 2,000,000 bytes sent
    parser.close(2.0)
    assert len(parser.events) == 1 and parser.cut == 1


def entry(body_chars: int, **fields) -> JournalEntry:
    return JournalEntry(
        seq=0,
        at="2026-11-01T00:00:00+00:00",
        at_ms=0,
        duration_ms=1,
        method="POST",
        path="/x",
        request=Message(bytes=body_chars, body={"blob": "b" * body_chars}),
        **fields,
    )


def test_the_journal_keeps_to_its_byte_budget_and_counts_evictions():
    journal = Journal(10_000, max_bytes=1024 * 1024)
    for _ in range(100):
        journal.append(entry(60_000))
    kept = journal.query()
    assert journal.bytes <= journal.max_bytes
    measured = sum(len(e.model_dump_json()) for e in kept)
    assert abs(measured - journal.bytes) <= 4 * len(kept)  # measured before seq was set
    assert journal.evicted == 100 - len(kept) and 10 <= len(kept) < 20
    assert kept[-1].seq == 100


def test_an_entry_that_alone_outgrows_the_budget_is_kept_without_its_bodies():
    journal = Journal(10, max_bytes=100_000)
    events = [SseEventRecord(at_ms=1, data="e" * 1000)] * 40
    stored = journal.append(entry(60_000, events=events))
    assert stored.request.body is None and stored.request.body_omitted == "journal full"
    assert stored.events == [] and stored.events_omitted == 40 and stored.events_omitted_at == 0
    assert journal.bytes < 100_000


def test_the_listing_shows_the_budget_and_what_went(make_app):
    from fastapi.testclient import TestClient

    with TestClient(make_app(journal_max_mb=0.5)) as client:
        for _ in range(30):
            client.post("/api/tasks/me/with-session/nemo_agent", json={"blob": "b" * 60_000})
        answer = client.get("/_mock/journal").json()
    assert answer["max_bytes"] == 512 * 1024
    assert 0 < answer["bytes"] <= answer["max_bytes"]
    assert answer["evicted"] == 30 - len(answer["entries"]) > 0


@pytest.mark.ffmpeg
def test_a_stream_with_many_keep_alives_says_what_it_left_out(make_app):
    from fastapi.testclient import TestClient

    app = make_app(journal_max_events=4, heartbeat_interval=1, time_scale=0.02)
    with TestClient(app) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers)["session_id"]
        text = "make me a 10-second sunset timelapse video"
        sent = client.post("/run_sse", headers=headers, json=run_sse_body(sid, text)).text
        last = client.get("/_mock/journal").json()["entries"][-1]
    sent_events = [block for block in sent.replace("\r\n", "\n").split("\n\n") if block.strip()]
    assert len(last["events"]) == 4
    assert last["events_omitted"] == len(sent_events) - 4 > 0
    assert last["events_omitted_at"] == 2
    assert json.loads(last["events"][0]["data"])["type"] == "tool_call"
    assert json.loads(last["events"][-1]["data"])["type"] == "text"
