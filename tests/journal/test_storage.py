"""The journal keeps entries as JSON bytes: nothing for the garbage collector to walk, and
every reader (query, the listing, HAR) gets back exactly what was recorded (issue 18)."""

from __future__ import annotations

import gc
import json

from nemo_mock.mock_server.journal.book import Journal
from nemo_mock.mock_server.journal.entry import FaultRecord, JournalEntry, Message, SseEventRecord


def rich_entry(n: int) -> JournalEntry:
    return JournalEntry(
        seq=0,
        at="2026-11-01T00:00:00+00:00",
        at_ms=n,
        duration_ms=1.5,
        method="POST",
        path="/run_sse",
        operation="runSse",
        token=f"fp_{n % 7:016x}",
        session_id=f"s{n % 3}",
        request=Message(
            headers={"content-type": "application/json", "x-client-id": f"c{n}"},
            content_type="application/json",
            bytes=40,
            body={"session_id": f"s{n % 3}", "new_message": {"parts": [{"text": "hi ✓"}]}},
        ),
        status=200,
        response=Message(headers={"content-type": "text/event-stream"}, bytes=90),
        events=[SseEventRecord(at_ms=float(i), data=json.dumps({"i": i})) for i in range(5)],
        fault=FaultRecord(rule="f1", action={"cut_after": 3}),
        notes={"turn": n, "kind": "edit"},
    )


def test_stored_entries_add_no_objects_for_the_collector():
    journal = Journal(5_000)
    for n in range(200):  # warm: interned names, caches
        journal.append(rich_entry(n))
    gc.collect()
    before = len(gc.get_objects())
    for n in range(2_000):
        journal.append(rich_entry(n))
    gc.collect()
    grown = len(gc.get_objects()) - before
    # a model per entry held ~19 tracked objects each (38,000 here); bytes and tuples of
    # atoms hold none
    assert grown < 200, grown


def test_what_is_read_back_is_what_was_recorded():
    journal = Journal(100)
    originals = [journal.append(rich_entry(n)) for n in range(10)]
    assert journal.query() == originals
    assert [json.loads(raw) for raw in journal.query_json()] == [
        e.model_dump(mode="json") for e in originals
    ]


def test_filters_read_the_stored_fields():
    journal = Journal(100)
    for n in range(21):
        journal.append(rich_entry(n))
    by_session = journal.query(session="s1", operation="runSse", since=3, limit=4)
    assert [e.seq for e in by_session] == [5, 8, 11, 14]
    assert journal.query(token="fp_0000000000000006", limit=2)[1].seq == 14
    assert journal.forget_tokens({"fp_0000000000000000"}) == 3
    assert len(journal.query()) == 18
    assert journal.bytes == sum(len(raw) for raw in journal.query_json())


def test_the_byte_budget_counts_utf8_bytes():
    journal = Journal(100)
    stored = journal.append(rich_entry(1))
    assert (
        journal.bytes
        == len(stored.model_dump_json().encode())
        > len(stored.model_dump_json().encode("ascii", "ignore"))
    )
