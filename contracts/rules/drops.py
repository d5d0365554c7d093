"""After a dropped stream (§4.4): the work carries on server-side, so the client waits 30 s,
polls the state, then every 60 s, up to 5 unchanged polls, and does not re-send meanwhile."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from nemo_mock.contracts.rules.journal import Timeline, answered_ok, end_ms, error_of, session_state
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.mock_server.journal.entry import JournalEntry

FIRST_POLL_S = 30.0
POLL_EVERY_S = 60.0
MAX_UNCHANGED = 5
CLOSE_SLACK_MS = 5.0
RULE = "stream-drop-recovery"


def stream_dropped(entry: JournalEntry) -> bool:
    """A runSse stream that was accepted and then lost as the client sees it: the connection
    broke (``dropped``), or the client itself gave up on it (``client_disconnected``, e.g.
    after 10 minutes of heartbeats only). A stream the server closed cleanly without a word
    is a silent close instead (``state-after-silent-close``)."""
    if entry.operation != "runSse" or error_of(entry) is not None:
        return False
    return entry.outcome in ("dropped", "client_disconnected")


@dataclass(frozen=True)
class Recovery:
    """What the client did on the session after a drop, until the recovery was over."""

    drop: JournalEntry
    #: State reads, up to the one that showed a change (or to the next message).
    polls: tuple[JournalEntry, ...]
    unchanged: int
    #: A message sent before a poll showed a change and before 5 unchanged polls.
    early_message: JournalEntry | None


def recovery(timeline: Timeline, drop: JournalEntry) -> Recovery:
    baseline = _baseline(timeline, drop)
    polls: list[JournalEntry] = []
    unchanged = 0
    for entry in _after(timeline, drop):
        if entry.operation == "runSse":
            early = entry if unchanged < MAX_UNCHANGED else None
            return Recovery(drop, tuple(polls), unchanged, early)
        polls.append(entry)
        if answered_ok(entry):
            if baseline is None or session_state(entry) != baseline:
                break
            unchanged += 1
    return Recovery(drop, tuple(polls), unchanged, None)


def _baseline(timeline: Timeline, drop: JournalEntry) -> dict[str, Any] | None:
    """The state last read before the stream started (``None``: nothing to compare to, so the
    first poll is taken as the news)."""
    reads = [
        e
        for e in timeline.session(drop.session_id)
        if e.operation == "getSessionState" and end_ms(e) <= drop.at_ms and answered_ok(e)
    ]
    return session_state(reads[-1]) if reads else None


def _after(timeline: Timeline, drop: JournalEntry) -> Iterator[JournalEntry]:
    """State reads and messages on the session that started after the drop."""
    for entry in timeline.session_after(drop.session_id, drop):
        if entry.operation not in ("getSessionState", "runSse"):
            continue
        if entry.at_ms >= end_ms(drop) - CLOSE_SLACK_MS:
            yield entry


def check_stream_drop_recovery(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    timeline = Timeline(entries)
    drops = [e for e in timeline.entries if stream_dropped(e)]
    found: list[Violation] = []
    for drop in drops:
        found.extend(judge_recovery(recovery(timeline, drop), ctx))
    return RuleResult.of(found, exercised=bool(drops))


def judge_recovery(rec: Recovery, ctx: RuleContext) -> list[Violation]:
    session = rec.drop.session_id
    if rec.early_message is not None:
        message = (
            f"the stream on session {session} dropped and a message was sent again before "
            "polling the state showed the work done: the work carries on server-side; "
            "re-sending duplicates it"
        )
        return [violation(RULE, message, rec.drop, *rec.polls, rec.early_message)]
    if not rec.polls:
        message = (
            f"the stream on session {session} dropped and the state was never polled: the "
            "work carries on server-side; wait 30 s and read getSessionState"
        )
        return [violation(RULE, message, rec.drop)]
    return [*_judge_cadence(rec, ctx), *_judge_count(rec)]


def _judge_cadence(rec: Recovery, ctx: RuleContext) -> list[Violation]:
    found: list[Violation] = []
    first = rec.polls[0]
    gap = first.at_ms - end_ms(rec.drop)
    if gap < ctx.earliest_ms(FIRST_POLL_S):
        message = (
            f"the state was polled {gap / 1000:.2f} s after the stream dropped; wait 30 s "
            f"first ({ctx.scaled_ms(FIRST_POLL_S) / 1000:.2f} s at time scale {ctx.time_scale:g})"
        )
        found.append(violation(RULE, message, rec.drop, first))
    for before, after in itertools.pairwise(rec.polls):
        gap = after.at_ms - before.at_ms
        if gap < ctx.earliest_ms(POLL_EVERY_S):
            message = (
                f"state polls after a dropped stream came {gap / 1000:.2f} s apart; poll every "
                f"60 s ({ctx.scaled_ms(POLL_EVERY_S) / 1000:.2f} s at time scale "
                f"{ctx.time_scale:g})"
            )
            found.append(violation(RULE, message, before, after))
    return found


def _judge_count(rec: Recovery) -> list[Violation]:
    if rec.unchanged <= MAX_UNCHANGED:
        return []
    message = (
        f"the state was polled {rec.unchanged} times without change after the stream on "
        f"session {rec.drop.session_id} dropped; stop after {MAX_UNCHANGED} unchanged polls"
    )
    return [violation(RULE, message, rec.drop, *rec.polls[MAX_UNCHANGED:])]


STREAM_DROP_RECOVERY = Rule(
    id=RULE,
    title="After a dropped stream: wait, poll the state, don't re-send",
    section="§4.4",
    description=(
        "When a stream drops (the connection breaks, or the client gives up on it, e.g. after "
        "10 minutes of heartbeats only), the work carries on server-side: the client waits "
        "30 s, reads "
        "getSessionState, then every 60 s, and stops after 5 polls that show no change; it "
        "sends no new message before a poll shows a change or the 5 polls are done (§4.4). "
        "Change is judged against the state read before the stream (without one, the first "
        "poll counts as the news); waits are scaled by time_scale, less the tolerance."
    ),
    check=check_stream_drop_recovery,
)
