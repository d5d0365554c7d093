"""Render ids (§4.8): unique per render; a failed render or a duplicate id gets at most one
retry, with a new id."""

from __future__ import annotations

from collections.abc import Sequence

from nemo_mock.contracts.rules.journal import (
    RENDER_POLLS,
    RENDER_STARTS,
    Timeline,
    answered_ok,
    error_of,
    ordered,
    render_id,
    render_session,
    render_status,
)
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.contracts.rules.recovery import episodes
from nemo_mock.mock_server.journal.entry import JournalEntry

# --------------------------------------------------------------------------- failure retry


def render_failures(timeline: list[JournalEntry]) -> list[JournalEntry]:
    """The first answer per render id that reports the job ``failed``, in order."""
    first: dict[str, JournalEntry] = {}
    for entry in timeline:
        rid = render_id(entry)
        ours = entry.operation in RENDER_POLLS or entry.operation in RENDER_STARTS
        if ours and rid is not None and render_status(entry) == "failed":
            first.setdefault(rid, entry)
    return list(first.values())


def check_render_failure_retry(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    timeline = Timeline(entries)
    starts = [e for e in timeline.entries if e.operation in RENDER_STARTS]
    sessions = {render_id(e): render_session(e) for e in starts}
    failures = render_failures(timeline.entries)
    retried: set[str | None] = set()
    found: list[Violation] = []
    for failure in failures:
        if render_id(failure) in retried:
            continue  # a retry that failed too: judged in the first failure's window
        session = sessions.get(render_id(failure), failure.session_id)
        retries = _retries(timeline, failure, session)
        retried.update(render_id(r) for r in retries)
        found.extend(_judge_retries(failure, retries))
    return RuleResult.of(found, exercised=bool(failures))


def _retries(timeline: Timeline, failure: JournalEntry, session: str | None) -> list[JournalEntry]:
    """Render starts of the session after the failure, up to the next message there."""
    found: list[JournalEntry] = []
    for entry in timeline.session_after(session, failure):
        if entry.operation == "runSse":
            break
        if entry.operation in RENDER_STARTS and render_session(entry) == session:
            found.append(entry)
    return found


def _judge_retries(failure: JournalEntry, retries: list[JournalEntry]) -> list[Violation]:
    rid = render_id(failure)
    found: list[Violation] = []
    if len(retries) > 1:
        message = (
            f"render {rid} failed and the export was started {len(retries)} more times; "
            "retry at most once (with a new id), then report the failure"
        )
        found.append(violation("render-failure-retry", message, failure, *retries))
    same = [r for r in retries if render_id(r) == rid]
    if same:
        message = f"render {rid} failed and was retried with the same id: use a new id"
        found.append(violation("render-failure-retry", message, failure, *same))
    return found


# --------------------------------------------------------------------------- unique ids


def check_duplicate_render_id(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    starts = [e for e in ordered(entries) if e.operation in RENDER_STARTS]
    found: list[Violation] = []
    seen: dict[str, JournalEntry] = {}
    for start in starts:
        rid = render_id(start)
        if rid is None:
            continue
        if rid in seen:
            message = (
                f"render id {rid!r} was sent again (first used by request {seen[rid].seq}): "
                "every render start needs a new id, e.g. render_<epoch ms>"
            )
            found.append(violation("duplicate-render-id", message, seen[rid], start))
        elif answered_ok(start):
            # An id is used once a start with it was accepted; repeating a start that was
            # refused (429, 1001, a dropped connection…) is the same intent, not a reuse.
            seen[rid] = start
    found.extend(_judge_conflicts(starts))
    return RuleResult.of(found, exercised=bool(starts))


def _judge_conflicts(starts: list[JournalEntry]) -> list[Violation]:
    conflicts = episodes(starts, lambda e: error_of(e) == 409)
    return [
        violation(
            "duplicate-render-id",
            f"a render start answered 409 (duplicate id) was retried {len(ep.repeats)} times; "
            "retry once with a new id",
            ep.trigger,
            *ep.repeats,
        )
        for ep in conflicts
        if len(ep.repeats) > 1
    ]


RENDER_FAILURE_RETRY = Rule(
    id="render-failure-retry",
    title="A failed render: at most one retry, with a new id",
    section="§4.8",
    description=(
        "When a render reports status failed, the client starts at most one new render of "
        "that session, with a new id, before its next message there (§4.8: retry once with a "
        "new id). The status is read at data.status or top-level status."
    ),
    check=check_render_failure_retry,
)
DUPLICATE_RENDER_ID = Rule(
    id="duplicate-render-id",
    title="A new id for every render",
    section="§4.8",
    description=(
        "Every render start uses an id not used before (§4.8: id must be unique), and after "
        "a 409 duplicate-id answer the client retries at most once, with a new id. An id "
        "counts as used once a start with it was accepted: repeating a start that was "
        "refused (429, 1001, a dropped connection) with the same id is the same intent."
    ),
    check=check_duplicate_render_id,
)
