"""When giving up (a non-zero exit, no MP4) is a correct end to a run: pure, over the journal.

The last fault that fired before the client stopped (latency aside: it only slows a call
down) is the one the client stopped on. Giving up is excused when that fault leaves no
documented way to an MP4:

* **no documented recovery**: a server error (5xx) or a dropped connection (the API
  description says nothing about either), a render job that stays pending (§4.8: poll,
  then give up), a render slower than the documented polls (30 polls 10 s apart, times the
  time scale);
* **the documented recovery was defeated**: the call repeated after a fault met a fault
  again (the previous call of the same operation on the same session was faulted too: a
  second 1001 after the new token, a second 429 after the wait, the retried render failing
  too), a second session was lost (1002 on two sessions), or the token call was refused
  with 400 "missing X-Client-Id" a second time (after the client generated an id: §3 says
  to generate one, and nothing for when the generated one is refused too).

Every other fault has a documented recovery that ends in an MP4 (1001: a new token; 1002:
a new session; 429: wait and retry; a cut stream, keep-alives only or a silent close: read
the state; one failed render: one retry; a slow answer: wait), so giving up after it is not
excused. A documented refusal (2001, 402, 4001, 4002) is judged apart (``properties``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nemo_mock.client_tests.explore.vocabulary import describe_action
from nemo_mock.contracts.rules.journal import call_name, error_of, key, ordered
from nemo_mock.mock_server.faults.actions import FaultAction
from nemo_mock.mock_server.journal.entry import JournalEntry

#: §4.8: at most 30 polls, 10 s apart (the looser of the two documented cadences).
RENDER_POLL_BUDGET_S = 30 * 10.0
SERVER_ERRORS = range(500, 600)
BAD_REQUEST = 400


@dataclass(frozen=True)
class Excuse:
    reason: str
    evidence: tuple[int, ...]


def action_of(entry: JournalEntry) -> FaultAction | None:
    """The fault action that fired on this entry, if any (as the rule stated it)."""
    if entry.fault is None:
        return None
    try:
        return FaultAction.model_validate(entry.fault.action)
    except ValueError:
        return None


def faulted(entry: JournalEntry) -> bool:
    """A fault other than a pure latency fired on this entry."""
    action = action_of(entry)
    return action is not None and action.kind != "latency"


def fault_words(entry: JournalEntry) -> str:
    action = action_of(entry)
    words = describe_action(action) if action is not None else "a fault"
    return f"{words} on {call_name(entry)} (#{entry.seq})"


def give_up_excuse(entries: Sequence[JournalEntry], time_scale: float = 1.0) -> Excuse | None:
    """Why giving up is correct here, or ``None`` when the client should have gone on."""
    timeline = ordered(entries)
    hits = [e for e in timeline if faulted(e)]
    if not hits:
        return None
    last = hits[-1]
    action = action_of(last)
    assert action is not None
    reason = _no_recovery(action, time_scale) or _defeated(last, timeline)
    if reason is None:
        return None
    evidence = tuple(sorted({e.seq for e in hits if e is last or _same_call(e, last)}))
    return Excuse(f"{fault_words(last)}: {reason}", evidence)


def _no_recovery(action: FaultAction, time_scale: float) -> str | None:
    if action.drop:
        return "a dropped connection has no documented recovery"
    if action.error is not None and SERVER_ERRORS.start <= action.error < SERVER_ERRORS.stop:
        return "a server error has no documented recovery"
    if action.render_pending:
        return "the render job never finishes (§4.8: poll, then give up)"
    if action.render_slow is not None and action.render_slow >= RENDER_POLL_BUDGET_S * time_scale:
        return "the render outlasts the documented polls (§4.8)"
    return None


def _defeated(last: JournalEntry, timeline: list[JournalEntry]) -> str | None:
    position = next(i for i, e in enumerate(timeline) if e is last)
    before = timeline[:position]
    previous = next((e for e in reversed(before) if _same_call(e, last)), None)
    if previous is not None and faulted(previous):
        return f"the repeated call met a fault again (after #{previous.seq})"
    if error_of(last) == 1002 and any(
        error_of(e) == 1002 and e.session_id != last.session_id for e in before
    ):
        return "a second session was lost"
    if _refused_id(last) and any(_refused_id(e) for e in before):
        return "the token call refused the client id a second time (a generated one)"
    return None


def _refused_id(entry: JournalEntry) -> bool:
    """HTTP 400 on the token call: "missing X-Client-Id" (§3: generate one, retry)."""
    return entry.operation == "createAnonymousToken" and error_of(entry) == BAD_REQUEST


def _same_call(entry: JournalEntry, other: JournalEntry) -> bool:
    return key(entry) == key(other)
