"""no-resend-during-generation, state-after-silent-close, no-export-chat."""

from __future__ import annotations

import pytest

from tests.rules.factory import (
    JournalBuilder,
    generation_events,
    heartbeat,
    text,
    tool_call,
    tool_result,
    verdict,
)

SILENT = [tool_call(), tool_result()]


def started() -> JournalBuilder:
    j = JournalBuilder()
    j.token()
    j.session()
    return j


# --------------------------------------------------------------------------- re-send


def test_resend_passes_when_the_next_message_follows_the_generation():
    j = started()
    j.run_sse("make a sunset video", events=generation_events(), duration_s=120)
    j.run_sse("add a title 'Dusk'", notes={"turn": 2, "busy_with": None})
    assert verdict("no-resend-during-generation", j.entries).status == "pass"


def test_resend_fails_on_the_mocks_note():
    j = started()
    generation = j.run_sse(
        "make a sunset video", events=[tool_call("generate_video_with_seedance")],
        outcome="dropped", duration_s=20,
    )  # fmt: skip
    again = j.wait(5).run_sse("make a sunset video", notes={"busy_with": "generation"})
    (v,) = verdict("no-resend-during-generation", j.entries).violations
    assert v.evidence == (generation.seq, again.seq)
    assert "while a video generation was still running" in v.message
    assert "charges twice" in v.message


def test_resend_reads_the_mocks_kind_note():
    j = started()
    generation = j.run_sse("make a video", events=[], notes={"kind": "generation"})
    j.run_sse("add a title", events=[], notes={"kind": "edit"})
    again = j.run_sse("make a video", notes={"kind": "generation", "busy_with": "generation"})
    (v,) = verdict("no-resend-during-generation", j.entries).violations
    assert v.evidence == (generation.seq, again.seq)


def test_resend_without_notes_judges_overlapping_streams():
    j = started()
    generation = j.run_sse("make a video", events=generation_events(), at_s=10, duration_s=150)
    overlap = j.run_sse("make a video", at_s=40)
    (v,) = verdict("no-resend-during-generation", j.entries).violations
    assert v.evidence == (generation.seq, overlap.seq)


def test_resend_during_an_edit_is_not_this_rule():
    j = started()
    j.run_sse("make a video", events=generation_events(), duration_s=100)
    j.run_sse("add music", duration_s=20, at_s=200)
    j.run_sse("add a title", notes={"busy_with": "edit"}, at_s=205)
    assert verdict("no-resend-during-generation", j.entries).status == "pass"


def test_resend_on_another_session_passes():
    j = started()
    first = j.session_id
    j.run_sse("make a video", events=generation_events(), at_s=10, duration_s=150)
    j.session(at_s=11)
    assert j.session_id != first
    j.run_sse("make another video", at_s=20)
    assert verdict("no-resend-during-generation", j.entries).status == "pass"


def test_resend_is_not_exercised_without_a_generation():
    j = started()
    j.run_sse("add a title")
    assert verdict("no-resend-during-generation", j.entries).status == "not_exercised"


# --------------------------------------------------------------------------- silent close


def test_silent_close_passes_when_the_state_is_read():
    j = started()
    j.run_sse(events=SILENT)
    j.state()
    j.run_sse("add music")
    assert verdict("state-after-silent-close", j.entries).status == "pass"


def test_silent_close_fails_when_the_next_message_comes_first():
    j = started()
    close = j.run_sse(events=SILENT)
    nxt = j.run_sse("add music")
    j.state()
    (v,) = verdict("state-after-silent-close", j.entries).violations
    assert v.evidence == (close.seq, nxt.seq)
    assert "next message was sent without reading the state" in v.message


def test_silent_close_fails_when_the_state_is_never_read():
    j = started()
    close = j.run_sse(events=SILENT)
    (v,) = verdict("state-after-silent-close", j.entries).violations
    assert v.evidence == (close.seq,)
    assert "the state was never read" in v.message


def test_silent_close_ignores_a_trailing_temporary_issue():
    j = started()
    j.run_sse(events=[*SILENT, text("I encountered a temporary issue.")])
    assert verdict("state-after-silent-close", j.entries).status == "fail"


def test_silent_close_needs_a_read_of_the_same_session():
    j = started()
    edited = j.session_id
    j.run_sse(events=SILENT)
    j.session()
    j.state()
    assert j.session_id != edited
    assert verdict("state-after-silent-close", j.entries).status == "fail"


def test_silent_close_needs_a_read_after_the_close():
    j = started()
    j.run_sse(events=SILENT, at_s=10, duration_s=10)
    j.state(at_s=15)
    assert verdict("state-after-silent-close", j.entries).status == "fail"


def test_silent_close_is_not_exercised_when_every_stream_has_text():
    j = started()
    j.run_sse(events=[tool_call(), tool_result(), text()])
    j.run_sse(events=[text("Hi! What shall we make?")])
    assert verdict("state-after-silent-close", j.entries).status == "not_exercised"


# --------------------------------------------------------------------------- export


@pytest.mark.parametrize(
    "message", ["export the video", "Please download it as mp4", "导出视频", "帮我下载"]
)
def test_export_chat_fails_on_an_export_message(message: str):
    j = started()
    asked = j.run_sse(message, events=[text("Click the Export button.")])
    (v,) = verdict("no-export-chat", j.entries).violations
    assert v.evidence == (asked.seq,)
    assert f"the chat message {message!r} asks the agent to export" in v.message


def test_export_chat_ignores_quoted_words():
    j = started()
    j.run_sse("add a title 'Export Day' and a caption “download now”")
    assert verdict("no-export-chat", j.entries).status == "pass"


def test_export_chat_trusts_the_mock_on_real_work():
    j = started()
    j.run_sse("make a video I can download", notes={"turn": 1, "kind": "generation"})
    assert verdict("no-export-chat", j.entries).status == "pass"


def test_export_chat_flags_a_message_the_mock_took_as_chat():
    j = started()
    j.run_sse("export", notes={"turn": 1, "kind": "text"})
    assert verdict("no-export-chat", j.entries).status == "fail"


def test_export_chat_is_not_exercised_without_messages():
    assert verdict("no-export-chat", started().entries).status == "not_exercised"


def test_a_stream_closed_with_no_text_at_all_also_asks_for_a_state_read():
    j = JournalBuilder()
    j.token()
    j.session()
    j.run_sse("make a video", events=[heartbeat(), heartbeat()], fault={"heartbeats_only": 660})
    j.run_sse("hello")
    result = verdict("state-after-silent-close", j.entries)
    assert result.status == "fail"
    assert "closed with no text" in result.violations[0].message


def test_a_stream_closed_with_no_text_at_all_then_a_state_read_passes():
    j = JournalBuilder()
    j.token()
    j.session()
    j.run_sse("make a video", events=[tool_call(), heartbeat()], fault={"cut_after": 2})
    j.state()
    assert verdict("state-after-silent-close", j.entries).status == "pass"


# --------------------------------------------------------------------------- ADK stream style


def adk(parts, **flags):
    """An event of the adk stream style (§8), as the journal records it."""
    return {"content": {"parts": parts, "role": "model"}, "author": "nemo_agent", **flags}


ADK_SILENT = [
    adk([{"functionCall": {"id": "adk-1", "name": "edit_multitrack", "args": {}}}]),
    adk([{"functionResponse": {"id": "adk-1", "name": "edit_multitrack", "response": {}}}]),
]


def test_an_adk_style_edit_with_no_text_after_its_response_is_a_silent_close():
    j = started()
    close = j.run_sse(events=ADK_SILENT)
    (v,) = verdict("state-after-silent-close", j.entries).violations
    assert v.evidence == (close.seq,)


def test_an_adk_style_edit_that_ends_on_a_whole_text_is_not_a_silent_close():
    j = started()
    j.run_sse(events=[*ADK_SILENT, adk([{"text": "Title added."}], turnComplete=True)])
    assert verdict("state-after-silent-close", j.entries).status == "not_exercised"


def test_partial_adk_chunks_alone_are_not_a_text():
    j = started()
    j.run_sse(events=[*ADK_SILENT, adk([{"text": "Title "}], partial=True)])
    assert verdict("state-after-silent-close", j.entries).status == "fail"
