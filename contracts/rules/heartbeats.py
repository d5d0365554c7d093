"""Heartbeats only (§4.4): ten minutes of nothing but keep-alives is a time-out the client
calls itself; before that the stream is alive, however quiet."""

from __future__ import annotations

from collections.abc import Sequence

from nemo_mock.contracts.rules.journal import ordered
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.mock_server.journal.entry import JournalEntry

RULE = "heartbeat-timeout"
#: §4.4: a stream that sends only heartbeats for this long has timed out (the API
#: reference's era says 5 minutes: ``Era.silence_timeout_minutes``).
TIMEOUT_S = 600.0


def _timeout_s(ctx: RuleContext) -> float:
    return ctx.profile.silence_timeout_minutes * 60.0


def heartbeat_window(entry: JournalEntry) -> float | None:
    """The seconds of heartbeats only that a fault gave this stream, or ``None``."""
    if entry.operation != "runSse" or entry.fault is None:
        return None
    seconds = entry.fault.action.get("heartbeats_only")
    return float(seconds) if isinstance(seconds, int | float) else None


def check_heartbeat_timeout(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    timeout_s = _timeout_s(ctx)
    found: list[Violation] = []
    exercised = False
    for entry in ordered(entries):
        if heartbeat_window(entry) is None:
            continue
        held_s = entry.duration_ms / 1000.0
        if entry.outcome == "client_disconnected":
            exercised = True
            if entry.duration_ms < ctx.earliest_ms(timeout_s):
                message = (
                    f"the client closed a stream of heartbeats only after {held_s:.1f} s: "
                    f"heartbeats mean the work goes on; wait {timeout_s:.0f} s (scaled: "
                    f"{ctx.scaled_ms(timeout_s) / 1000:.1f} s) before calling it a time-out"
                )
                found.append(violation(RULE, message, entry))
            elif entry.duration_ms >= _latest_ms(ctx, timeout_s):
                message = (
                    f"the client closed a stream of heartbeats only after {held_s:.1f} s: the "
                    f"{ctx.era} documents call {timeout_s:.0f} s of heartbeats only (scaled: "
                    f"{ctx.scaled_ms(timeout_s) / 1000:.1f} s) a time-out; close it then"
                )
                found.append(violation(RULE, message, entry))
        elif entry.outcome == "completed" and entry.duration_ms >= _latest_ms(ctx, timeout_s):
            exercised = True
            message = (
                f"the client held a stream of heartbeats only for {held_s:.1f} s until the "
                f"server closed it: after {timeout_s:.0f} s of heartbeats only (scaled: "
                f"{ctx.scaled_ms(timeout_s) / 1000:.1f} s) close it, then read the state"
            )
            found.append(violation(RULE, message, entry))
    return RuleResult.of(found, exercised=exercised)


def _latest_ms(ctx: RuleContext, timeout_s: float) -> float:
    """Held this long, a client's own time-out did not fire (half the tolerance late)."""
    return ctx.scaled_ms(timeout_s) * (1.0 + ctx.tolerance / 2)


HEARTBEAT_TIMEOUT = Rule(
    id=RULE,
    title="Ten minutes of heartbeats only is a time-out, not less",
    section="§4.4",
    description=(
        "A stream that sends only heartbeats is alive: the client keeps it open, and after "
        "10 minutes of heartbeats only (5 in the api-reference era; scaled by time_scale) "
        "closes it itself and goes on "
        "as after a drop (§4.4). Judged on streams a heartbeats-only fault answered: closed by the "
        "client before 10 minutes (less the tolerance) fails, held (until the client or the "
        "server closed it) for 10 minutes plus half the tolerance or more fails; a server "
        "close before 10 minutes tells nothing."
    ),
    check=check_heartbeat_timeout,
)
