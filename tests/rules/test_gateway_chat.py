"""The chat socket's rules (§6), on journals of gateway.chatSocket entries."""

from __future__ import annotations

import json
from typing import Any

from nemo_mock.contracts.rules import RuleContext, judge
from nemo_mock.contracts.rules.gateway_chat import check_answer_questions, check_chat_reconnect
from nemo_mock.mock_server.journal.entry import JournalEntry

CTX = RuleContext()
OPENING = [{"type": "warming_up"}, {"type": "session_ready", "session_id": "s1"}]
ACCEPTED = {"type": "message_accepted", "client_message_id": "m", "turn": 1}
DONE = {"type": "done", "session_id": "s1", "turn": 1, "reason": "completed"}
QUESTION = {
    "type": "ask_question",
    "title": "?",
    "turn": 1,
    "questions": [{"id": "q", "prompt": "What?", "allow_multiple": False,
                   "options": [{"id": "a", "label": "Add lo-fi background music"}]}],
}  # fmt: skip


def _socket(seq: int, at_ms: int, sent: list[dict], said: list[dict], close: int | None = None,
            duration: float = 100.0) -> JournalEntry:  # fmt: skip
    events = [{"at_ms": float(i), "data": json.dumps(f)} for i, f in enumerate(sent)]
    # the first client frame comes before the mock's frames of its turn, the rest after them
    frames = [
        {"at_ms": 0.5 if i == 0 else 50.0 + i, "data": json.dumps(f)} for i, f in enumerate(said)
    ]
    doc: dict[str, Any] = {
        "seq": seq, "at": "2026-01-01T00:00:00Z", "at_ms": at_ms, "duration_ms": duration,
        "method": "GET", "path": "/ws/chat", "operation": "gateway.chatSocket",
        "session_id": "s1", "status": 101, "events": events,
        "notes": {"close_code": close, "client_frames": frames},
    }  # fmt: skip
    return JournalEntry.model_validate(doc)


def _message(content: str) -> dict:
    return {"type": "message", "content": content, "metadata": {}}


def test_one_reconnect_without_the_prompt_passes():
    cut = _socket(1, 0, [*OPENING, ACCEPTED], [_message("make a video")], close=1011)
    resumed = _socket(2, 1200, [*OPENING, DONE], [])
    assert check_chat_reconnect([cut, resumed], CTX).status == "pass"


def test_a_re_sent_prompt_after_a_drop_fails():
    cut = _socket(1, 0, [*OPENING, ACCEPTED], [_message("make a video")], close=1011)
    again = _socket(2, 1200, [*OPENING, ACCEPTED, DONE], [_message("make a video")])
    result = check_chat_reconnect([cut, again], CTX)
    assert result.status == "fail"
    assert "sent its prompt again" in result.violations[0].message
    assert result.violations[0].evidence == (1, 2)


def test_reconnecting_at_once_and_again_and_again_fails():
    cut = _socket(1, 0, [*OPENING, ACCEPTED], [_message("make a video")], close=1011)
    retries = [_socket(n, 110 + n, OPENING, [], close=1011) for n in (2, 3)]
    messages = [v.message for v in check_chat_reconnect([cut, *retries], CTX).violations]
    assert any("reconnected 2 times" in m for m in messages)
    assert any("sooner than 1 s" in m for m in messages)


def test_a_new_socket_after_4001_fails_and_none_passes():
    cut = _socket(1, 0, [*OPENING, ACCEPTED], [_message("make a video")], close=4001)
    assert check_chat_reconnect([cut], CTX).status == "pass"
    again = _socket(2, 5000, OPENING, [])
    result = check_chat_reconnect([cut, again], CTX)
    assert result.status == "fail" and "closed with 4001" in result.violations[0].message


def test_a_question_answered_with_an_option_passes_and_a_repeat_fails():
    said = [_message("hmm"), _message("1. What?: Add lo-fi background music")]
    answered = _socket(1, 0, [*OPENING, ACCEPTED, QUESTION, DONE], said)
    assert check_answer_questions([answered], CTX).status == "pass"
    repeated = _socket(2, 0, [*OPENING, ACCEPTED, QUESTION], [_message("hmm"), _message("hmm")])
    result = check_answer_questions([repeated], CTX)
    assert result.status == "fail" and "names none of its options" in result.violations[0].message


def test_a_question_left_hanging_fails():
    hanging = _socket(1, 0, [*OPENING, ACCEPTED, QUESTION], [_message("hmm")])
    result = check_answer_questions([hanging], CTX)
    assert result.status == "fail" and "never answered" in result.violations[0].message


def test_a_skill_journal_leaves_both_not_exercised():
    verdicts = judge([], CTX)
    assert verdicts["chat-reconnect-once"].status == "not_exercised"
    assert verdicts["answer-ask-question"].status == "not_exercised"
