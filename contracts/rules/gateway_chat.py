"""The gateway's chat socket (§6): what a client does when the socket drops mid-turn, and
when the agent asks a question. Judged from ``gateway.chatSocket`` entries only, so a skill
client's journal leaves them ``not_exercised``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from nemo_mock.contracts.rules.journal import ordered
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.mock_server.journal.entry import JournalEntry

CHAT = "gateway.chatSocket"
GATEWAY = frozenset({"gateway"})
#: Close codes the CLI reads as failures it must not retry: auth (4001), session (4002).
FINAL_CLOSES = frozenset({4001, 4002})


def server_frames(entry: JournalEntry) -> list[dict[str, Any]]:
    return [f for f in (_json(e.data) for e in entry.events or ()) if f is not None]


def client_frames(entry: JournalEntry) -> list[tuple[float, dict[str, Any]]]:
    """The client's frames with their time after the socket opened."""
    found = []
    for record in entry.notes.get("client_frames") or ():
        frame = _json(str(record.get("data", ""))) if isinstance(record, dict) else None
        if frame is not None:
            found.append((float(record.get("at_ms", 0.0)), frame))
    return found


def _json(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _types(entry: JournalEntry) -> list[str]:
    return [str(f.get("type")) for f in server_frames(entry)]


def _messages(entry: JournalEntry) -> list[str]:
    return [str(f.get("content")) for _, f in client_frames(entry) if f.get("type") == "message"]


# --------------------------------------------------------------------------- reconnect


def check_chat_reconnect(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    sockets = [e for e in ordered(entries) if e.operation == CHAT and e.status == 101]
    found: list[Violation] = []
    exercised = False
    for index, entry in enumerate(sockets):
        types = _types(entry)
        if "message_accepted" not in types or "done" in types or "ask_question" in types:
            continue  # no turn was cut short on this socket
        close = entry.notes.get("close_code")
        later = [e for e in sockets[index + 1 :] if e.session_id == entry.session_id]
        exercised = True
        if close in FINAL_CLOSES:
            if later:
                message = (
                    f"the chat socket was closed with {close} (an auth or session failure) "
                    f"but the client opened {len(later)} more socket(s) to that session"
                )
                found.append(violation(RULE_RECONNECT, message, entry, later[0]))
            continue
        found.extend(_judge_reconnects(entry, later, ctx))
    return RuleResult.of(found, exercised=exercised)


def _judge_reconnects(
    cut: JournalEntry, later: list[JournalEntry], ctx: RuleContext
) -> list[Violation]:
    """The sockets after a cut turn, up to the first that got a done or sent a message."""
    found: list[Violation] = []
    prompt = _messages(cut)[-1] if _messages(cut) else None
    retries: list[JournalEntry] = []
    for entry in later:
        retries.append(entry)
        if prompt is not None and prompt in _messages(entry):
            message = "the client sent its prompt again after reconnecting: the turn goes on"
            found.append(violation(RULE_RECONNECT, message, cut, entry))
        if "done" in _types(entry) or _messages(entry):
            break
    if len(retries) > 1:
        message = f"the client reconnected {len(retries)} times after one drop: once is enough"
        found.append(violation(RULE_RECONNECT, message, cut, *retries))
    if retries and retries[0].at_ms - (cut.at_ms + cut.duration_ms) < ctx.earliest_ms(1.0):
        message = "the client reconnected sooner than 1 s after the socket dropped"
        found.append(violation(RULE_RECONNECT, message, cut, retries[0]))
    return found


# --------------------------------------------------------------------------- questions


def check_answer_questions(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    found: list[Violation] = []
    exercised = False
    for entry in ordered(entries):
        if entry.operation != CHAT:
            continue
        asked_at = [
            e.at_ms
            for e in entry.events or ()
            if (_json(e.data) or {}).get("type") == "ask_question"
        ]
        if not asked_at:
            continue
        exercised = True
        question = next(f for f in server_frames(entry) if f.get("type") == "ask_question")
        labels = {
            str(o.get("label")) for q in question.get("questions", []) for o in q.get("options", [])
        }
        after = [f for at, f in client_frames(entry) if at >= asked_at[0]]
        answer = next((f for f in after if f.get("type") in ("message", "abort")), None)
        if answer is None:
            message = "the agent asked a question (ask_question) and the client never answered it"
            found.append(violation(RULE_QUESTIONS, message, entry))
        elif answer.get("type") == "message" and not _answers(str(answer.get("content")), labels):
            message = (
                "the client's message after ask_question names none of its options (nor "
                f"'Skipped'): {str(answer.get('content'))[:80]!r}"
            )
            found.append(violation(RULE_QUESTIONS, message, entry))
    return RuleResult.of(found, exercised=exercised)


def _answers(content: str, labels: set[str]) -> bool:
    return "Skipped" in content or any(label in content for label in labels)


RULE_RECONNECT = "chat-reconnect-once"
RULE_QUESTIONS = "answer-ask-question"
CHAT_RECONNECT_ONCE = Rule(
    id=RULE_RECONNECT,
    title="Chat socket dropped mid-turn: one reconnect, no re-sent prompt",
    section="§6",
    description=(
        "When the gateway's chat socket closes before a turn's done (§6), the client opens "
        "one new socket to the session, no sooner than 1 s (scaled) after, and does not send "
        "its prompt again: the server finishes the turn and sends the rest and done. After a "
        "close with 4001 (auth) or 4002 (missing session) it opens no new socket there."
    ),
    check=check_chat_reconnect,
    surfaces=GATEWAY,
)
ANSWER_ASK_QUESTION = Rule(
    id=RULE_QUESTIONS,
    title="ask_question: answered with a message naming an option",
    section="§6",
    description=(
        "After the agent's ask_question on the chat socket (§6) the client answers with a "
        "message naming one of the options (the vendor CLI: '1. <prompt>: <label>', the "
        "first option without a TTY, or 'Skipped'), or aborts; it does not leave it hanging."
    ),
    check=check_answer_questions,
    surfaces=GATEWAY,
)
