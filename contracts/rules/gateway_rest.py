"""The gateway's REST calls (§6): render polls that back off, and usage history read page by
page. Judged from ``gateway.*`` entries only."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from urllib.parse import parse_qs

from nemo_mock.contracts.rules.gateway_chat import GATEWAY
from nemo_mock.contracts.rules.journal import answered_ok, ordered, response_body
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.mock_server.journal.entry import JournalEntry

RENDER_POLL = "gateway.getLambdaRender"
USAGE = "gateway.listUsageConversations"
#: §6: the CLI polls at once, then after 2 s, growing by 1.5 up to 15 s, for 5 minutes.
FIRST_POLL_GAP_S = 2.0
LONGEST_POLL_GAP_S = 15.0
POLL_FOR_S = 300.0
MAX_PAGE_SIZE = 100


# --------------------------------------------------------------------------- render polls


def check_render_poll_backoff(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    polls: dict[str, list[JournalEntry]] = {}
    for entry in ordered(entries):
        if entry.operation == RENDER_POLL and answered_ok(entry):
            polls.setdefault(entry.path.rstrip("/").rsplit("/", 1)[-1], []).append(entry)
    found: list[Violation] = []
    for rid, series in polls.items():
        found.extend(_judge_polls(rid, series, ctx))
    return RuleResult.of(found, exercised=any(len(s) > 1 for s in polls.values()))


def _judge_polls(rid: str, series: list[JournalEntry], ctx: RuleContext) -> list[Violation]:
    found: list[Violation] = []
    previous_gap = 0.0
    for before, after in itertools.pairwise(series):
        gap = float(after.at_ms - before.at_ms)
        problem = _poll_gap_problem(gap, previous_gap, ctx)
        if problem:
            found.append(violation(RULE_POLLS, f"render {rid}: {problem}", before, after))
            break
        previous_gap = gap
    late = [e for e in series[1:] if e.at_ms - series[0].at_ms > _budget_ms(ctx)]
    if late:
        message = (
            f"render {rid} was still polled {(late[-1].at_ms - series[0].at_ms) / 1000:.0f} s "
            f"after its first poll; give up after {POLL_FOR_S:g} s (scaled) and report"
        )
        found.append(violation(RULE_POLLS, message, series[0], *late))
    return found


def _poll_gap_problem(gap: float, previous: float, ctx: RuleContext) -> str:
    if gap < ctx.earliest_ms(FIRST_POLL_GAP_S):
        return (
            f"polled again {gap / 1000:.2f} s after the previous poll; wait at least "
            f"{FIRST_POLL_GAP_S:g} s ({ctx.scaled_ms(FIRST_POLL_GAP_S) / 1000:.2f} s at time "
            f"scale {ctx.time_scale:g}) and back off"
        )
    ceiling = ctx.earliest_ms(LONGEST_POLL_GAP_S)
    if gap < min(previous * (1.0 - ctx.tolerance), ceiling):
        return (
            f"the waits between polls shrank ({previous / 1000:.2f} s, then {gap / 1000:.2f} s): "
            f"back off (x1.5 up to {LONGEST_POLL_GAP_S:g} s), do not speed up"
        )
    return ""


def _budget_ms(ctx: RuleContext) -> float:
    return ctx.scaled_ms(POLL_FOR_S) * (1.0 + ctx.tolerance) + ctx.scaled_ms(LONGEST_POLL_GAP_S)


# --------------------------------------------------------------------------- usage paging


def _query(entry: JournalEntry) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(entry.query).items()}


def _whole(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def check_usage_paging(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    asked = [e for e in ordered(entries) if e.operation == USAGE]
    reads = [e for e in asked if answered_ok(e)]
    found: list[Violation] = []
    for entry in asked:
        size = _whole(_query(entry).get("page_size"))
        if size is not None and size > MAX_PAGE_SIZE:
            message = f"usage history asked with page_size={size}; at most {MAX_PAGE_SIZE}"
            found.append(violation(RULE_PAGING, message, entry))
    for before, after in itertools.pairwise(reads):
        problem = _paging_problem(before, after)
        if problem:
            found.append(violation(RULE_PAGING, problem, before, after))
    exercised = any(_page(e).get("has_next") is True for e in reads)
    return RuleResult.of(found, exercised=exercised)


def _page(entry: JournalEntry) -> dict[str, object]:
    body = response_body(entry)
    data = body.get("data", body)
    return data if isinstance(data, dict) else {}


def _paging_problem(before: JournalEntry, after: JournalEntry) -> str:
    """Judged on two reads in a row with the same filters (dates, page size)."""
    q1, q2 = _query(before), _query(after)
    if {k: v for k, v in q1.items() if k != "page_no"} != {
        k: v for k, v in q2.items() if k != "page_no"
    }:
        return ""  # another listing
    page, shown = _whole(q2.get("page_no", "1")), _page(before)
    last = _whole(shown.get("total_pages"))
    if page is not None and last is not None and page > max(last, 1):
        return f"usage page {page} was asked after an answer saying there are {last} page(s)"
    if page == _whole(q1.get("page_no", "1")):
        return f"usage page {page} was read twice in a row: read each page once"
    previous = _whole(q1.get("page_no", "1")) or 1
    if shown.get("has_next") is False and page is not None and page > previous:
        return f"usage page {page} was asked after an answer with has_next false"
    return ""


RULE_POLLS = "gateway-render-poll-backoff"
RULE_PAGING = "gateway-usage-paging"
RENDER_POLL_BACKOFF = Rule(
    id=RULE_POLLS,
    title="Gateway render polls back off, for 5 minutes at most",
    section="§6",
    description=(
        "The client polls GET /services/v1/render-proxy/lambda/{rid} with a backoff (the CLI: "
        "at once, then 2 s, x1.5 up to 15 s) and gives up after 5 minutes (§6). Judged per "
        "render id over the answered polls: each gap at least 2 s (scaled, less the "
        "tolerance), no gap shorter than the one before (until 15 s), and no poll later than "
        "5 minutes (scaled, plus the tolerance and one 15 s gap) after the first."
    ),
    check=check_render_poll_backoff,
    surfaces=GATEWAY,
)
USAGE_PAGING = Rule(
    id=RULE_PAGING,
    title="Usage history read page by page",
    section="§6",
    description=(
        "The client reads GET /billing/usage/conversations with page_size at most 100, each "
        "page once, and stops at the last page: no page_no beyond the total_pages an answer "
        "gave, none after an answer with has_next false (§6). Judged on consecutive reads "
        "with the same filters; exercised when an answer said has_next true."
    ),
    check=check_usage_paging,
    surfaces=GATEWAY,
)
