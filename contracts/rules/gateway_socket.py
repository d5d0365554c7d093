"""The gateway's chat socket (§6): how a client opens it again after a refused handshake, and
that it keeps an open socket alive with pings. Judged from ``gateway.chatSocket`` entries
only, so a skill client's journal leaves them ``not_exercised``."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from nemo_mock.contracts.rules.gateway_chat import CHAT, GATEWAY, client_frames
from nemo_mock.contracts.rules.journal import end_ms, ordered, response_body
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.mock_server.journal.entry import JournalEntry

#: Handshake answers the CLI retries (a 403 too, unless its reason says the token is bad).
RETRIABLE = frozenset({502, 503, 504})
#: The reasons that make a 403 an auth failure to the CLI (§6: seven phrases).
AUTH_PHRASES = (
    "invalid authentication token",
    "invalid token",
    "invalid or expired",
    "missing authentication token",
    "token not found",
    "token has been revoked",
    "token has expired",
)
#: §6: the first retry waits 2 s, the next ones 3 then 5 s; at most 10 retries.
FIRST_RETRY_S = 2.0
MAX_HANDSHAKE_RETRIES = 10
#: §6: the CLI pings every 30 s while a socket is open.
PING_EVERY_S = 30.0
#: Slack on a ping gap (ms): the client's timer starts at its ``open``, the journal's at accept.
PING_SLACK_MS = 1000.0


# --------------------------------------------------------------------------- handshakes


def refused_for_auth(entry: JournalEntry) -> bool:
    """A handshake the CLI must not retry: HTTP 401, or 403 with a reason naming a bad token."""
    if entry.status == 401:
        return True
    if entry.status != 403:
        return False
    body = response_body(entry)
    reason = str(body.get("reason") or body.get("message") or body.get("detail") or "")
    return any(phrase in reason.lower() for phrase in AUTH_PHRASES)


def retriable(entry: JournalEntry) -> bool:
    return entry.status in RETRIABLE or (entry.status == 403 and not refused_for_auth(entry))


def check_handshake_retry(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    sockets: dict[str | None, list[JournalEntry]] = {}
    for entry in ordered(entries):
        if entry.operation == CHAT:
            sockets.setdefault(entry.session_id, []).append(entry)
    found: list[Violation] = []
    exercised = False
    for series in sockets.values():
        exercised = exercised or any(retriable(e) or refused_for_auth(e) for e in series)
        found.extend(_judge_handshakes(series, ctx))
    return RuleResult.of(found, exercised=exercised)


def _judge_handshakes(series: list[JournalEntry], ctx: RuleContext) -> list[Violation]:
    found: list[Violation] = []
    failed_in_a_row = 0
    last_gap_ms = 0.0
    for before, after in itertools.pairwise(series):
        if refused_for_auth(before):
            message = (
                f"the chat handshake was refused with {before.status} for a bad token, but the "
                "client opened the socket again: an auth failure is final (§6)"
            )
            found.append(violation(RULE_HANDSHAKE, message, before, after))
            break
        if not retriable(before):
            failed_in_a_row, last_gap_ms = 0, 0.0
            continue
        failed_in_a_row += 1
        gap_ms = after.at_ms - end_ms(before)
        problem = _retry_problem(failed_in_a_row, gap_ms, last_gap_ms, ctx)
        if problem:
            found.append(violation(RULE_HANDSHAKE, f"{problem} ({before.status})", before, after))
        last_gap_ms = gap_ms
    return found


def _retry_problem(attempt: int, gap_ms: float, last_gap_ms: float, ctx: RuleContext) -> str:
    if attempt > MAX_HANDSHAKE_RETRIES:
        return f"the chat handshake was retried more than {MAX_HANDSHAKE_RETRIES} times in a row"
    if gap_ms < ctx.earliest_ms(FIRST_RETRY_S):
        return (
            f"the chat handshake was retried {gap_ms / 1000:.2f} s after it failed; wait at "
            f"least {FIRST_RETRY_S:g} s ({ctx.scaled_ms(FIRST_RETRY_S) / 1000:.2f} s at time "
            f"scale {ctx.time_scale:g}) and back off"
        )
    if gap_ms < last_gap_ms * (1.0 - ctx.tolerance):
        return (
            f"the waits between chat handshake retries shrank ({last_gap_ms / 1000:.2f} s, "
            f"then {gap_ms / 1000:.2f} s): back off, do not speed up"
        )
    return ""


# --------------------------------------------------------------------------- pings


def check_pings(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    longest_gap_ms = ctx.scaled_ms(PING_EVERY_S) * (1.0 + ctx.tolerance) + PING_SLACK_MS
    found: list[Violation] = []
    exercised = False
    for entry in ordered(entries):
        if entry.operation != CHAT or entry.status != 101:
            continue
        if entry.duration_ms <= longest_gap_ms:
            continue  # too short a socket for a ping to be due
        exercised = True
        gap_ms, at_ms = _longest_silence(entry)
        if gap_ms > longest_gap_ms:
            message = (
                f"the chat socket stayed open {entry.duration_ms / 1000:.1f} s, and the client "
                f"sent no ping for {gap_ms / 1000:.1f} s (from {at_ms / 1000:.1f} s): ping "
                f"every {PING_EVERY_S:g} s ({ctx.scaled_ms(PING_EVERY_S) / 1000:.2f} s at time "
                f"scale {ctx.time_scale:g})"
            )
            found.append(violation(RULE_PINGS, message, entry))
    return RuleResult.of(found, exercised=exercised)


def _longest_silence(entry: JournalEntry) -> tuple[float, float]:
    """The longest stretch without a client ping on this socket (ms), and where it began.
    When the journal left some client frames out, the tail after the last kept one is not
    judged."""
    pings = [at for at, frame in client_frames(entry) if frame.get("type") == "ping"]
    end = entry.duration_ms if not entry.notes.get("client_frames_omitted") else None
    marks = [0.0, *pings] + ([end] if end is not None else [])
    gaps = [(later - earlier, earlier) for earlier, later in itertools.pairwise(marks)]
    return max(gaps, default=(0.0, 0.0))


RULE_HANDSHAKE = "gateway-handshake-retry"
RULE_PINGS = "gateway-pings"
HANDSHAKE_RETRY = Rule(
    id=RULE_HANDSHAKE,
    title="Chat handshake refused: bounded retries with backoff; none after an auth failure",
    section="§6",
    description=(
        "When the chat socket's handshake is refused with 502, 503, 504 or a 403 whose reason "
        "does not name a bad token, the client retries at most 10 times in a row, the first "
        "no sooner than 2 s (scaled) after the refusal and each wait no shorter than the one "
        "before (the CLI waits 2, 3, 3, 3, 3, 5 … s). After HTTP 401 or a 403 whose reason says "
        "the token is invalid, expired or revoked it does not open that socket again (§6)."
    ),
    check=check_handshake_retry,
    surfaces=GATEWAY,
)
PINGS = Rule(
    id=RULE_PINGS,
    title="Chat socket kept alive: a ping every 30 s",
    section="§6",
    description=(
        'While the chat socket is open the client sends {"type":"ping"} at least every '
        "30 s (scaled; the CLI's interval, §6). Judged on sockets open longer than that: no "
        "stretch from the open, between pings, or to the close is longer than 30 s "
        "(scaled) plus the tolerance and 1 s."
    ),
    check=check_pings,
    surfaces=GATEWAY,
)
