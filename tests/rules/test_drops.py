"""stream-drop-recovery: wait 30 s, poll the state every 60 s, at most 5 unchanged polls."""

from __future__ import annotations

from nemo_mock.contracts.rules.drops import stream_dropped
from tests.rules.factory import (
    EMPTY_DRAFT,
    READY_DRAFT,
    JournalBuilder,
    heartbeat,
    tool_call,
    verdict,
)

OTHER_DRAFT = {"t": [{"tt": 7, "sg": [{"s": 0, "d": 3000, "tx": "Dusk"}]}], "d": 3000}


def dropped_generation() -> JournalBuilder:
    """A session read once (empty), then a generation whose stream the mock cut."""
    j = JournalBuilder()
    j.token()
    j.session()
    j.state(EMPTY_DRAFT)
    j.run_sse("make a sunset video", events=[tool_call("generate_video_with_seedance")],
              outcome="dropped", duration_s=20)  # fmt: skip
    return j


def test_drop_recovery_passes_with_the_documented_polls():
    j = dropped_generation()
    j.wait(30).state(EMPTY_DRAFT)
    j.wait(60).state(READY_DRAFT)
    j.run_sse("add a title 'Dusk'")
    assert verdict("stream-drop-recovery", j.entries).status == "pass"


def test_drop_recovery_scales_the_waits():
    j = dropped_generation()
    j.wait(0.3).state(EMPTY_DRAFT)
    j.wait(0.6).state(READY_DRAFT)
    assert verdict("stream-drop-recovery", j.entries, time_scale=0.01).status == "pass"


def test_drop_recovery_fails_on_an_early_first_poll():
    j = dropped_generation()
    drop = j.entries[-1]
    early = j.wait(5).state(READY_DRAFT)
    (v,) = verdict("stream-drop-recovery", j.entries).violations
    assert v.evidence == (drop.seq, early.seq)
    assert "polled 5.00 s after the stream dropped; wait 30 s first" in v.message


def test_drop_recovery_fails_on_polls_too_close():
    j = dropped_generation()
    first = j.wait(30).state(EMPTY_DRAFT)
    second = j.wait(10).state(READY_DRAFT)
    (v,) = verdict("stream-drop-recovery", j.entries).violations
    assert v.evidence == (first.seq, second.seq)
    assert "came 10.10 s apart; poll every 60 s" in v.message


def test_drop_recovery_fails_after_five_unchanged_polls():
    j = dropped_generation()
    polls = [j.wait(30 if n == 0 else 60).state(EMPTY_DRAFT) for n in range(7)]
    (v,) = verdict("stream-drop-recovery", j.entries).violations
    assert v.evidence == (j.entries[3].seq, polls[5].seq, polls[6].seq)
    assert "polled 7 times without change" in v.message
    assert "stop after 5 unchanged polls" in v.message


def test_drop_recovery_allows_a_message_after_five_unchanged_polls():
    j = dropped_generation()
    for n in range(5):
        j.wait(30 if n == 0 else 60).state(EMPTY_DRAFT)
    j.run_sse("make a sunset video")
    assert verdict("stream-drop-recovery", j.entries).status == "pass"


def test_drop_recovery_fails_on_a_resend_before_the_state_changed():
    j = dropped_generation()
    drop = j.entries[-1]
    poll = j.wait(30).state(EMPTY_DRAFT)
    again = j.run_sse("make a sunset video")
    (v,) = verdict("stream-drop-recovery", j.entries).violations
    assert v.evidence == (drop.seq, poll.seq, again.seq)
    assert "sent again before polling the state showed the work done" in v.message


def test_drop_recovery_fails_when_the_state_is_never_polled():
    j = dropped_generation()
    drop = j.entries[-1]
    j.wait(30).credits()
    (v,) = verdict("stream-drop-recovery", j.entries).violations
    assert v.evidence == (drop.seq,)
    assert "the state was never polled" in v.message


def test_without_an_earlier_read_the_first_poll_is_the_news():
    j = JournalBuilder()
    j.token()
    j.session()
    j.run_sse(outcome="dropped", events=[tool_call()])
    j.wait(30).state(OTHER_DRAFT)
    j.run_sse("add music")
    assert verdict("stream-drop-recovery", j.entries).status == "pass"


def test_a_broken_connection_or_a_client_that_gave_up_is_a_drop():
    j = JournalBuilder()
    j.token()
    j.session()
    broken = j.run_sse(events=[tool_call()], fault={"cut_after": 1, "abort": True})
    assert stream_dropped(broken.model_copy(update={"outcome": "dropped"}))
    timed_out = j.run_sse(events=[heartbeat()], fault={"heartbeats_only": 700})
    assert stream_dropped(timed_out.model_copy(update={"outcome": "client_disconnected"}))
    gave_up = j.run_sse(events=[], fault={"latency_ms": 900}, outcome="client_disconnected")
    assert stream_dropped(gave_up)


def test_a_stream_the_server_closed_cleanly_is_no_drop_even_without_a_word():
    """The client cannot tell a clean close from an answer; it is a silent close instead."""
    j = JournalBuilder()
    j.token()
    j.session()
    assert not stream_dropped(j.run_sse(events=[tool_call()], fault={"cut_after": 1}))
    assert not stream_dropped(j.run_sse(events=[heartbeat()], fault={"heartbeats_only": 700}))


def test_a_fault_that_did_not_cut_is_no_drop():
    j = JournalBuilder()
    j.token()
    j.session()
    assert not stream_dropped(j.run_sse(fault={"cut_after": 10}))
    assert not stream_dropped(j.run_sse(fault={"latency_ms": 200}))
    assert not stream_dropped(j.run_sse(fault={"silent": True}, events=[tool_call()]))
    assert not stream_dropped(j.run_sse(fault={"error": 1001}, error=1001))


def test_drop_recovery_is_not_exercised_without_a_drop():
    j = JournalBuilder()
    j.token()
    j.session()
    j.run_sse()
    j.run_sse(events=[tool_call()], fault={"cut_after": 1})
    assert verdict("stream-drop-recovery", j.entries).status == "not_exercised"
