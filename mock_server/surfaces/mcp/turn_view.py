"""What ``get_nemo_agent_turn`` shows of a turn: a pure reading of the agent's events.

``turn_state`` is ``running`` while the work goes on (or a ``turn_stuck`` fault holds it),
``awaiting_input`` when the agent ended by asking a question (the question is in the
arguments of the last ``ask_question`` tool call; answer with another delegate call in the
same session), else ``stopped``: every part reached a terminal status, which is not the same
as success. ``runtime_statuses`` has one status per part (``completed``, ``running``,
``failed``, ``user_abort`` after a cancel, ``awaiting_input``). ``ok`` is true only for a
turn that stopped with every part completed. ``events`` keeps the last ``MAX_EVENTS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MAX_EVENTS = 50
SHOWN = ("text", "tool_call", "tool_result")
QUESTION_ENDS = ("?", "？")
ASK = "ask_question"


def view_of(
    agent_events: Sequence[Any],
    *,
    running: bool,
    cancelled: bool,
    failure_words: tuple[str, ...] = (),
) -> dict[str, Any]:
    """``turn_state``, ``ok``, ``runtime_statuses``, ``events``, ``events_truncated``."""
    events = [{"type": e.kind, **e.payload} for e in agent_events if e.kind in SHOWN]
    failed = any(e["type"] == "text" and e.get("content") in failure_words for e in events)
    question = None if running or cancelled or failed else _question(events)
    if question is not None:
        events.append({"type": "tool_call", "name": ASK, "args": {"question": question}})
    statuses = _statuses(events, running=running, cancelled=cancelled, failed=failed)
    state = "running" if running else "awaiting_input" if question is not None else "stopped"
    return {
        "turn_state": state,
        "ok": state == "stopped" and all(s == "completed" for s in statuses),
        "runtime_statuses": statuses,
        "events": events[-MAX_EVENTS:],
        "events_truncated": len(events) > MAX_EVENTS,
    }


def _question(events: list[dict[str, Any]]) -> str | None:
    """The agent's closing question: a turn that made no tool call and ended asking."""
    if any(e["type"] == "tool_call" for e in events):
        return None
    texts = [str(e.get("content", "")) for e in events if e["type"] == "text"]
    last = texts[-1].strip() if texts else ""
    return last if any(mark in last for mark in QUESTION_ENDS) else None


def _statuses(
    events: list[dict[str, Any]], *, running: bool, cancelled: bool, failed: bool
) -> list[str]:
    parts: list[str] = []
    for event in events:
        if event["type"] == "tool_call":
            parts.append("awaiting_input" if event.get("name") == ASK else "running")
        elif event["type"] == "tool_result" and "running" in parts:
            parts[parts.index("running")] = "completed"
    if cancelled:  # the turn as a whole was aborted, whatever parts had finished
        aborted = [p if p == "completed" else "user_abort" for p in parts]
        return aborted if "user_abort" in aborted else [*aborted, "user_abort"]
    if running:
        return parts or ["running"]
    if failed:
        return [p if p == "completed" else "failed" for p in parts] + ["failed"]
    return [p if p != "running" else "completed" for p in parts] or ["completed"]
