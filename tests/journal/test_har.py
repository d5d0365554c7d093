"""``har_document``: journal entries as HAR 1.2 entries."""

from __future__ import annotations

from nemo_mock.mock_server import __version__
from nemo_mock.mock_server.journal.entry import FaultRecord, JournalEntry, Message, SseEventRecord
from nemo_mock.mock_server.journal.har import har_document

BASE = {"seq": 4, "at": "2026-11-01T12:00:00+00:00", "at_ms": 0, "duration_ms": 12.5}


def one(**fields) -> dict:
    log = har_document([JournalEntry.model_validate({**BASE, **fields})])["log"]
    assert log["version"] == "1.2"
    assert log["creator"] == {"name": "nemo-mock", "version": __version__}
    (entry,) = log["entries"]
    return entry


def test_a_stream_becomes_its_data_lines():
    entry = one(
        method="POST",
        path="/run_sse",
        status=200,
        response=Message(content_type="text/event-stream", bytes=40, body_omitted="sse"),
        events=[
            SseEventRecord(at_ms=1, data='{"type":"text"}'),
            SseEventRecord(at_ms=2, data=""),
            SseEventRecord(at_ms=3, data="a\nb"),
        ],
    )
    content = entry["response"]["content"]
    assert content["text"] == 'data: {"type":"text"}\n\ndata:\n\ndata: a\ndata: b\n\n'
    assert (content["size"], content["mimeType"], content["comment"]) == (
        40,
        "text/event-stream",
        "sse",
    )
    assert entry["startedDateTime"] == BASE["at"] and entry["time"] == 12.5


def test_a_dropped_exchange_has_status_0_and_no_body_size():
    entry = one(method="GET", path="/api/x", outcome="dropped")
    response = entry["response"]
    assert (response["status"], response["statusText"], response["bodySize"]) == (0, "", -1)
    assert entry["comment"] == "seq 4; operation -; dropped"


def test_request_bodies_kept_or_explained_and_the_fault_named():
    kept = one(
        method="POST",
        path="/api/auth/claim-token",
        request=Message(
            headers={"host": "mock:9"}, content_type="application/json", bytes=9, body={"a": 1}
        ),
        status=200,
        fault=FaultRecord(rule="f3", action={"latency_ms": 5}),
    )
    assert kept["request"]["url"] == "http://mock:9/api/auth/claim-token"
    assert kept["request"]["postData"] == {"mimeType": "application/json", "text": '{"a": 1}'}
    assert kept["comment"].endswith('completed; fault f3 {"latency_ms": 5}')
    upload = one(
        method="POST",
        path="/api/upload-video/nemo_agent/me/1",
        request=Message(content_type="multipart/form-data", bytes=9000, body_omitted="multipart"),
    )
    assert upload["request"]["postData"] == {
        "mimeType": "multipart/form-data",
        "comment": "multipart",
    }
    assert upload["request"]["bodySize"] == 9000
