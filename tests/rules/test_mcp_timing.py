"""The MCP rules read "the client was shown it before it sent this" at the journal's
resolution: ``at_ms`` is a whole millisecond (cut down), ``duration_ms`` exact, so an answer
that really ended before the next request arrived can seem to end up to 1 ms after that
request's ``at_ms``. (The explorer caught the reference agent "saving with a version it was
never shown": the conflict's answer seemed to end 0.11 ms after the re-save arrived.)"""

from __future__ import annotations

import pytest

from nemo_mock.contracts.rules import RuleContext, rule_by_id
from nemo_mock.mock_server.journal.entry import JournalEntry
from tests.helpers.mcp_journal import START_MS, tool_entry

CONFLICT = {"status": 409, "code": "conflict", "message": "moved", "current_version": 7}


def _at(entry: JournalEntry, at_ms: float, duration_ms: float) -> JournalEntry:
    return entry.model_copy(update={"at_ms": at_ms, "duration_ms": duration_ms})


def _saves(resave_at: float) -> list[JournalEntry]:
    """Read (version 6), a save refused with a conflict (current 7) arriving at START_MS and
    lasting 5.11 ms, and the re-save against 7 arriving at ``resave_at``."""
    args = {"project_id": "p1", "session_id": "s1", "base_version": 6}
    read = tool_entry(1, "get_video_project", {"project_id": "p1"}, result={"version": 6})
    refused = tool_entry(2, "save_v3_draft", args, error=CONFLICT)
    resave = tool_entry(3, "save_v3_draft", {**args, "base_version": 7}, result={"version": 8})
    return [
        _at(read, START_MS - 10, 2.0),
        _at(refused, START_MS, 5.11),
        _at(resave, resave_at, 3.0),
    ]


def _verdict(rule: str, entries: list[JournalEntry]) -> str:
    return rule_by_id(rule)(entries, RuleContext()).status


@pytest.mark.parametrize("gap_ms", [5, 6])  # 5: within the journal's resolution
def test_a_resave_right_after_the_conflict_uses_the_version_it_showed(gap_ms: int):
    assert _verdict("mcp-save-base-version", _saves(START_MS + gap_ms)) == "pass"


def test_a_save_that_arrived_while_the_conflict_was_still_answered_is_judged_on_the_read():
    assert _verdict("mcp-save-base-version", _saves(START_MS + 3)) == "fail"


def _turn_then_save(save_at: float) -> list[JournalEntry]:
    """A delegated turn, a poll saying it is over (arriving at START_MS, 5.11 ms), a save."""
    delegate = tool_entry(
        1,
        "delegate_to_nemo_agent",
        {"project_id": "p1"},
        result={"turn_id": "t1", "session_id": "s1", "turn_state": "running"},
    )
    poll = tool_entry(
        2, "get_nemo_agent_turn", {"turn_id": "t1"}, result={"turn_state": "completed"}
    )
    args = {"project_id": "p1", "session_id": "s1", "base_version": 6}
    save = tool_entry(3, "save_v3_draft", args, result={"version": 7})
    return [_at(delegate, START_MS - 50, 2.0), _at(poll, START_MS, 5.11), _at(save, save_at, 3.0)]


def test_a_save_right_after_the_poll_that_said_the_turn_is_over_is_not_during_it():
    assert _verdict("mcp-no-save-during-turn", _turn_then_save(START_MS + 5)) == "pass"


def test_a_save_while_the_poll_was_still_answered_is_during_the_turn():
    assert _verdict("mcp-no-save-during-turn", _turn_then_save(START_MS + 3)) == "fail"
