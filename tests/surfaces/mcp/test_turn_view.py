"""What a poll of a delegated turn shows, from the agent's events (pure)."""

from __future__ import annotations

from nemo_mock.mock_server.sse.events import heartbeat, text, tool_call, tool_result
from nemo_mock.mock_server.surfaces.mcp.turn_view import MAX_EVENTS, view_of

EDIT = [tool_call("edit", {"a": 1}), tool_result("edit", {"ok": True}), text("Done.")]


def test_a_finished_edit_is_stopped_and_ok():
    view = view_of(EDIT, running=False, cancelled=False)
    assert view["turn_state"] == "stopped" and view["ok"] is True
    assert view["runtime_statuses"] == ["completed"]


def test_a_running_turn_is_not_ok_and_shows_its_open_part():
    view = view_of([*EDIT[:1], heartbeat()], running=True, cancelled=False)
    assert view["turn_state"] == "running" and view["ok"] is False
    assert view["runtime_statuses"] == ["running"]
    assert [e["type"] for e in view["events"]] == ["tool_call"]  # keep-alives are not shown


def test_a_closing_question_is_awaiting_input_with_an_ask_question_call():
    asked = "What should the text say? Put it in quotes."
    view = view_of([text(asked)], running=False, cancelled=False)
    assert view["turn_state"] == "awaiting_input" and view["ok"] is False
    last = view["events"][-1]
    assert last == {"type": "tool_call", "name": "ask_question", "args": {"question": asked}}
    assert view["runtime_statuses"] == ["awaiting_input"]


def test_a_reply_without_a_question_after_an_edit_is_not_awaiting_input():
    view = view_of([*EDIT, text("Want more?")], running=False, cancelled=False)
    assert view["turn_state"] == "stopped"


def test_a_cancelled_turn_keeps_finished_parts_and_aborts_the_rest():
    events = [*EDIT[:2], tool_call("music", {})]
    view = view_of(events, running=False, cancelled=True)
    assert view["turn_state"] == "stopped" and view["ok"] is False
    assert view["runtime_statuses"] == ["completed", "user_abort"]


def test_a_failed_turn_says_failed():
    words = ("Sorry, something went wrong.",)
    view = view_of(
        [tool_call("x", {}), text(words[0])], running=False, cancelled=False, failure_words=words
    )
    assert view["turn_state"] == "stopped" and view["ok"] is False
    assert "failed" in view["runtime_statuses"]


def test_events_are_capped_and_say_so():
    many = [text(f"line {i}.") for i in range(MAX_EVENTS + 5)]
    view = view_of(many, running=False, cancelled=False)
    assert len(view["events"]) == MAX_EVENTS and view["events_truncated"] is True
    assert view["events"][-1]["content"] == f"line {MAX_EVENTS + 4}."
