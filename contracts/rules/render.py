"""Export (§4.7, §4.8): the state checked export-ready before a render; polls within the
documented cadence."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from nemo_mock.contracts.rules.journal import (
    RENDER_POLLS,
    RENDER_STARTS,
    answered_ok,
    end_ms,
    export_ready,
    ordered,
    render_id,
    render_session,
    session_state,
)
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.mock_server.journal.entry import JournalEntry

#: A state read counts as "before" the render if it ended no later than this after its start.
SLACK_MS = 5.0
#: §4.8: every 30 s (max 10 polls) or every 10 s (max 30 polls); either is accepted.
MIN_POLL_GAP_S = 10.0
MAX_POLLS = 30


# --------------------------------------------------------------------------- export-ready


def check_export_ready_before_render(
    entries: Sequence[JournalEntry], ctx: RuleContext
) -> RuleResult:
    sessions: dict[str | None, list[JournalEntry]] = {}
    for entry in ordered(entries):
        sessions.setdefault(render_session(entry), []).append(entry)
    found: list[Violation] = []
    for session, series in sessions.items():
        if session is not None:  # a start naming no session is judged by valid-requests
            found.extend(_judge_session(session, series))
    exercised = any(e.operation in RENDER_STARTS for e in entries)
    return RuleResult.of(found, exercised=exercised)


def _judge_session(session: str, series: list[JournalEntry]) -> list[Violation]:
    """One sweep over a session's entries: the state reads so far, and the message that
    ended last (a message ending after a read makes that read stale)."""
    reads: list[JournalEntry] = []
    latest_message: JournalEntry | None = None
    found: list[Violation] = []
    for entry in series:
        if entry.operation == "getSessionState" and answered_ok(entry):
            reads.append(entry)
        elif entry.operation == "runSse":
            if latest_message is None or end_ms(entry) > end_ms(latest_message):
                latest_message = entry
        elif entry.operation in RENDER_STARTS:
            problem = _judge_start(session, entry, _last_read(reads, entry), latest_message)
            found.extend([problem] if problem else [])
    return found


def _judge_start(
    session: str,
    start: JournalEntry,
    read: JournalEntry | None,
    message: JournalEntry | None,
) -> Violation | None:
    if read is None:
        return _fail(start, f"session {session} was rendered without reading its state first")
    if not export_ready(session_state(read)):
        problem = f"session {session} was rendered although its draft has no track with segments"
        return _fail(start, f"{problem} (not export-ready)", read)
    if message is not None and end_ms(message) > read.at_ms + SLACK_MS:
        problem = f"a message changed session {session} after its state was read"
        return _fail(start, f"{problem} and before the render", read, message)
    return None


def _last_read(reads: list[JournalEntry], start: JournalEntry) -> JournalEntry | None:
    """The last state read that ended before the render started."""
    for read in reversed(reads):
        if end_ms(read) <= start.at_ms + SLACK_MS:
            return read
    return None


def _fail(start: JournalEntry, problem: str, *more: JournalEntry) -> Violation:
    message = (
        f"{problem}: read getSessionState right before startRender and export only a draft "
        "with at least one track with segments"
    )
    return violation("export-ready-before-render", message, *more, start)


# --------------------------------------------------------------------------- cadence


def check_render_poll_cadence(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    polls: dict[str, list[JournalEntry]] = {}
    for entry in ordered(entries):
        rid = render_id(entry)
        if entry.operation in RENDER_POLLS and rid is not None and answered_ok(entry):
            polls.setdefault(rid, []).append(entry)
    found: list[Violation] = []
    for rid, series in polls.items():
        found.extend(_judge_series(rid, series, ctx))
    return RuleResult.of(found, exercised=bool(polls))


def _judge_series(rid: str, series: list[JournalEntry], ctx: RuleContext) -> list[Violation]:
    found: list[Violation] = []
    pairs = list(itertools.pairwise(series))
    short = [(a, b) for a, b in pairs if b.at_ms - a.at_ms < ctx.earliest_ms(MIN_POLL_GAP_S)]
    if short:
        shortest = min(b.at_ms - a.at_ms for a, b in short)
        message = (
            f"render {rid} was polled {len(short)} time(s) less than 10 s after the previous "
            f"poll (shortest gap {shortest / 1000:.2f} s; 10 s is "
            f"{ctx.scaled_ms(MIN_POLL_GAP_S) / 1000:.2f} s at time scale {ctx.time_scale:g}): "
            "poll every 10-30 s"
        )
        found.append(violation("render-poll-cadence", message, *(e for p in short for e in p)))
    if len(series) > MAX_POLLS:
        message = (
            f"render {rid} was polled {len(series)} times; the documented limit is {MAX_POLLS} "
            "(10 s cadence) or 10 (30 s cadence): give up and report"
        )
        found.append(violation("render-poll-cadence", message, *series[MAX_POLLS:]))
    return found


EXPORT_READY_BEFORE_RENDER = Rule(
    id="export-ready-before-render",
    title="State checked export-ready before a render",
    section="§4.7",
    description=(
        "Before each render start the client reads the session's state and renders only a "
        "draft with at least one track with a non-empty sg (§4.7). Judged on the last "
        "successful getSessionState of that session that ended before the start: it must be "
        "export-ready, and no runSse on that session may have run since it was read."
    ),
    check=check_export_ready_before_render,
)
RENDER_POLL_CADENCE = Rule(
    id="render-poll-cadence",
    title="Render polls within the documented cadence",
    section="§4.8",
    description=(
        "The client polls a render every 10-30 s, at most 30 times (§4.8 documents 30 s with "
        "max 10 polls and 10 s with max 30; either is accepted). Judged per render id over "
        "the answered polls: starts at least 10 s x time_scale apart, less the tolerance, "
        "and no more than 30 of them."
    ),
    check=check_render_poll_cadence,
)
