"""What a client does after an error (§3): 429, 1001, 1002, 2001, 402, 4001 and 4002."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nemo_mock.contracts.rules.journal import call_name, end_ms, error_of, key, ordered
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.mock_server.journal.entry import JournalEntry

#: §3: "retry once after 30 s" when the answer has no usable Retry-After.
DOCUMENTED_RETRY_AFTER_S = 30.0
REFUSALS = frozenset({2001, 402, 4001, 4002})


@dataclass(frozen=True)
class Episode:
    """A call answered with an error, and the same calls (operation and session) that
    followed it, up to and including the first one not answered with such an error."""

    trigger: JournalEntry
    repeats: tuple[JournalEntry, ...]


def episodes(
    entries: Sequence[JournalEntry], is_trigger: Callable[[JournalEntry], bool]
) -> list[Episode]:
    open_: dict[tuple[str | None, str | None], tuple[JournalEntry, list[JournalEntry]]] = {}
    closed: list[Episode] = []
    for entry in ordered(entries):
        k = key(entry)
        if k in open_:
            open_[k][1].append(entry)
            if not is_trigger(entry):
                trigger, repeats = open_.pop(k)
                closed.append(Episode(trigger, tuple(repeats)))
        elif is_trigger(entry):
            open_[k] = (entry, [])
    closed.extend(Episode(trigger, tuple(repeats)) for trigger, repeats in open_.values())
    return sorted(closed, key=lambda e: (e.trigger.at_ms, e.trigger.seq))


# --------------------------------------------------------------------------- 429


def retry_after_s(entry: JournalEntry) -> float:
    """The answer's Retry-After in seconds, or the documented 30 s."""
    raw = entry.response.headers.get("retry-after") if entry.response else None
    try:
        return float(raw) if raw is not None else DOCUMENTED_RETRY_AFTER_S
    except ValueError:
        return DOCUMENTED_RETRY_AFTER_S


def check_rate_limit_retry(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    found: list[Violation] = []
    limited = episodes(entries, lambda e: error_of(e) == 429)
    for episode in limited:
        found.extend(_judge_rate_limited(episode, ctx))
    return RuleResult.of(found, exercised=bool(limited))


def _judge_rate_limited(episode: Episode, ctx: RuleContext) -> list[Violation]:
    trigger, repeats = episode.trigger, episode.repeats
    found: list[Violation] = []
    if len(repeats) > 1:
        message = (
            f"{call_name(trigger)} was repeated {len(repeats)} times after a 429; "
            "retry at most once, then give up"
        )
        found.append(violation("rate-limit-retry", message, trigger, *repeats))
    if repeats:
        wait_s = retry_after_s(trigger)
        gap_ms = repeats[0].at_ms - end_ms(trigger)
        if gap_ms < ctx.earliest_ms(wait_s):
            message = (
                f"{call_name(trigger)} was retried {gap_ms / 1000:.2f} s after a 429 whose "
                f"Retry-After is {wait_s:g} s ({ctx.scaled_ms(wait_s) / 1000:.2f} s at time "
                f"scale {ctx.time_scale:g}): wait before retrying"
            )
            found.append(violation("rate-limit-retry", message, trigger, repeats[0]))
    return found


# --------------------------------------------------------------------------- 2001 / 402


def check_no_retry_on_refusal(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    refused = episodes(entries, lambda e: error_of(e) in REFUSALS)
    found = [
        violation(
            "no-retry-on-refusal",
            f"{call_name(ep.trigger)} was repeated {len(ep.repeats)} times after "
            f"{error_of(ep.trigger)}; a refusal is not transient: repeat at most once, then "
            "tell the user (register or top up for 2001, attribution/upgrade for 402, the "
            "supported formats for 4001, compress or trim for 4002)",
            ep.trigger,
            *ep.repeats,
        )
        for ep in refused
        if len(ep.repeats) > 1
    ]
    return RuleResult.of(found, exercised=bool(refused))


# --------------------------------------------------------------------------- 1002


def check_session_recovery(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    timeline = ordered(entries)
    firsts: dict[str, int] = {}
    for index, entry in enumerate(timeline):
        if error_of(entry) == 1002 and entry.session_id and entry.session_id not in firsts:
            firsts[entry.session_id] = index
    found: list[Violation] = []
    for number, (session, index) in enumerate(firsts.items()):
        after = timeline[index + 1 :]
        found.extend(_judge_lost_session(timeline[index], after, session, repeated=number > 0))
    return RuleResult.of(found, exercised=bool(firsts))


def _judge_lost_session(
    failure: JournalEntry, after: list[JournalEntry], session: str, *, repeated: bool
) -> list[Violation]:
    """``repeated``: an earlier session was lost too; the client may stop instead of
    creating yet another one (a bounded recovery), but never use the lost one again."""
    found: list[Violation] = []
    if not repeated and not any(e.operation == "createSession" for e in after):
        message = f"session {session} was reported missing (1002) but no new session was created"
        found.append(violation("session-recovery", message, failure))
    reused = [e for e in after if e.session_id == session]
    if reused:
        message = (
            f"session {session} was used {len(reused)} more time(s) after it was reported "
            "missing (1002): create a new session and continue there"
        )
        found.append(violation("session-recovery", message, failure, *reused))
    return found


RATE_LIMIT_RETRY = Rule(
    id="rate-limit-retry",
    title="429: retry once, after Retry-After",
    section="§3",
    description=(
        "After a 429 the client repeats that call (same operation and session) at most once, "
        "and not before Retry-After has passed (§3: retry once after 30 s). Judged from the "
        "end of the 429 answer to the start of the repeat, the header's value (30 s if absent) "
        "scaled by time_scale, less the tolerance; a repeat answered 429 again ends the budget."
    ),
    check=check_rate_limit_retry,
)
NO_RETRY_ON_REFUSAL = Rule(
    id="no-retry-on-refusal",
    title="2001, 402, 4001, 4002: no retry loop",
    section="§3",
    description=(
        "No credits (2001), free-plan export blocked (402), an unsupported file (4001) and a "
        "file too large (4002) are told to the user, not retried (§3, §2, §4.5). After such "
        "an answer the same operation on the same session is sent at most once more before "
        "an answer that is not a refusal."
    ),
    check=check_no_retry_on_refusal,
)
SESSION_RECOVERY = Rule(
    id="session-recovery",
    title="1002: a new session",
    section="§3",
    description=(
        "After 1002 (session not found) the client creates a new session (§3) and sends "
        "nothing more to the lost one. Judged per lost session: a createSession must follow "
        "the first 1002, and no later request may name that session. When a replacement "
        "session is lost too, the client may stop instead (a bounded recovery)."
    ),
    check=check_session_recovery,
)
