"""The conversation (§4.4): no re-send during a generation, read the state after a silent
close, never forward "export" as a chat message."""

from __future__ import annotations

import re
from collections.abc import Sequence

from nemo_mock.contracts.rules.journal import (
    TEMPORARY_ISSUE,
    Timeline,
    end_ms,
    error_of,
    is_generation,
    message_text,
    ordered,
    sse_events,
    turn_kind,
)
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.mock_server.journal.entry import JournalEntry

#: A state read counts as "after the close" if it starts no earlier than this before the end.
CLOSE_SLACK_MS = 5.0
#: §4.4's router keywords for an export, in English and Chinese.
EXPORT_WORDS = re.compile(
    r"\b(?:export(?:s|ed|ing)?|download(?:s|ed|ing)?)\b|导出|下载", re.IGNORECASE
)
#: Quoted strings ("…", “…”, '…', 「…」, 《…》) are content, not commands.
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|(?<!\w)'[^'\n]*'(?!\w)|「[^」]*」|『[^』]*』|《[^》]*》")
#: Turn kinds under which the mock understood a message as work to do (not as chat).
WORK_KINDS = frozenset({"generation", "edit"})


def _turns(entries: Sequence[JournalEntry]) -> list[JournalEntry]:
    return [e for e in ordered(entries) if e.operation == "runSse"]


# --------------------------------------------------------------------------- re-send


def check_no_resend_during_generation(
    entries: Sequence[JournalEntry], ctx: RuleContext
) -> RuleResult:
    generations: dict[str | None, list[JournalEntry]] = {}
    found: list[Violation] = []
    for turn in _turns(entries):
        busy, running = _during_generation(turn, generations.get(turn.session_id, []))
        if busy:
            message = (
                f"a message was sent on session {turn.session_id} while a video generation "
                "was still running: re-sending duplicates the work and charges twice; wait "
                "for the stream to end, or poll the state if it dropped"
            )
            found.append(violation("no-resend-during-generation", message, running, turn))
        if is_generation(turn):
            generations.setdefault(turn.session_id, []).append(turn)
    return RuleResult.of(found, exercised=bool(generations))


def _during_generation(
    turn: JournalEntry, generations: list[JournalEntry]
) -> tuple[bool, JournalEntry | None]:
    """Whether ``turn`` arrived while a generation ran, and that generation's turn if known.

    The mock's ``busy_with`` note decides when present (a generation runs on after its
    stream dropped); otherwise ``turn`` must start inside an earlier generation stream."""
    if "busy_with" in turn.notes:
        busy = turn.notes["busy_with"] == "generation"
        return busy, (generations[-1] if busy and generations else None)
    overlapping = [t for t in generations if turn.at_ms < end_ms(t)]
    return bool(overlapping), (overlapping[-1] if overlapping else None)


# --------------------------------------------------------------------------- silent close


def silent_close(entry: JournalEntry) -> bool:
    """A stream the server closed with no text after its last tool_result (§4.4: about 30 %
    of edits), or with no text at all (only tool calls or keep-alives: the client cannot
    tell what happened, and the state can); the trailing "temporary issue" disclaimer does
    not count as text."""
    if entry.operation != "runSse" or entry.outcome != "completed" or error_of(entry):
        return False
    events = list(sse_events(entry))
    results = [i for i, e in enumerate(events) if e.get("type") == "tool_result"]
    return not any(
        e.get("type") == "text" and TEMPORARY_ISSUE not in str(e.get("content", "")).lower()
        for e in events[(results[-1] + 1 if results else 0) :]
    )


def check_state_after_silent_close(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    timeline = Timeline(entries)
    closes = [e for e in timeline.entries if silent_close(e)]
    found = [v for close in closes if (v := _judge_silent_close(timeline, close)) is not None]
    return RuleResult.of(found, exercised=bool(closes))


def _next_on_session(timeline: Timeline, close: JournalEntry) -> JournalEntry | None:
    """The first state read or message on the session that started after the close."""
    for entry in timeline.session_after(close.session_id, close):
        if entry.operation not in ("getSessionState", "runSse"):
            continue
        if entry.at_ms >= end_ms(close) - CLOSE_SLACK_MS:
            return entry
    return None


def _judge_silent_close(timeline: Timeline, close: JournalEntry) -> Violation | None:
    nxt = _next_on_session(timeline, close)
    if nxt is not None and nxt.operation == "getSessionState":
        return None
    if nxt is not None:
        message = (
            f"the stream on session {close.session_id} closed with no text, and the next "
            "message was sent without reading the state: the work did happen; read "
            "getSessionState to find out what changed"
        )
        return violation("state-after-silent-close", message, close, nxt)
    message = (
        f"the stream on session {close.session_id} closed with no text and the state was "
        "never read: read getSessionState to find out what changed"
    )
    return violation("state-after-silent-close", message, close)


# --------------------------------------------------------------------------- export


def asks_to_export(entry: JournalEntry) -> bool:
    """The message uses an export keyword outside quotes, and the mock (when it says) did
    not take it as a generation or an edit."""
    if turn_kind(entry) in WORK_KINDS:
        return False
    return EXPORT_WORDS.search(QUOTED.sub(" ", message_text(entry))) is not None


def check_no_export_chat(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    turns = _turns(entries)
    found = [
        violation(
            "no-export-chat",
            f"the chat message {_clip(message_text(turn))!r} asks the agent to export: the "
            "agent can only point at a GUI Export button; export through the API "
            "(getSessionState, then startRender and poll getRender)",
            turn,
        )
        for turn in turns
        if asks_to_export(turn)
    ]
    return RuleResult.of(found, exercised=bool(turns))


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


NO_RESEND_DURING_GENERATION = Rule(
    id="no-resend-during-generation",
    title="No message while a generation runs",
    section="§4.4",
    description=(
        "While a video generation runs on a session (100-300 s, and on after a dropped "
        "stream), the client sends no message to that session: a re-send duplicates the "
        "work and charges twice (§4.4). Judged on the mock's note of what the session was "
        "busy with, else on runSse streams overlapping a generation stream."
    ),
    check=check_no_resend_during_generation,
)
STATE_AFTER_SILENT_CLOSE = Rule(
    id="state-after-silent-close",
    title="Read the state after a silent close",
    section="§4.4",
    description=(
        "When the server closes a stream with no text after its last tool_result (about "
        "30 % of edits), or with no text at all, the client reads getSessionState of that "
        "session before its next message there (§4.4). A trailing 'temporary issue' text "
        "does not count as a reply."
    ),
    check=check_state_after_silent_close,
)
NO_EXPORT_CHAT = Rule(
    id="no-export-chat",
    title='"Export" is never a chat message',
    section="§4.4",
    description=(
        "The client translates export/download/导出/下载 into API calls and never forwards "
        "them to the agent (§4.4; the agent only answers 'click the Export button'). Judged on "
        "each runSse text outside quoted strings, unless the mock took it as real work."
    ),
    check=check_no_export_chat,
)
