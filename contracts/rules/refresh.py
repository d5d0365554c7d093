"""1001: one new anonymous token with the same client id, then the failed call again (§3)."""

from __future__ import annotations

from collections.abc import Sequence

from nemo_mock.contracts.rules.journal import Timeline, answered_ok, call_name, error_of, key
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.mock_server.journal.entry import JournalEntry

TOKEN_CALL = "createAnonymousToken"


def check_token_refresh(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    timeline = Timeline(entries)
    failures = [e for e in timeline.entries if error_of(e) == 1001 and e.operation != TOKEN_CALL]
    groups: dict[str | None, list[JournalEntry]] = {}
    for failure in failures:
        groups.setdefault(failure.token, []).append(failure)
    found: list[Violation] = []
    for token, group in groups.items():
        found.extend(_judge_refresh(timeline, token, group))
    return RuleResult.of(found, exercised=bool(failures))


def _window(timeline: Timeline, token: str | None, first: JournalEntry) -> list[JournalEntry]:
    """What follows the first 1001 on ``token``, up to and including a 1001 on another token
    (that call is still the repeat of this one's, even though it met 1001 again)."""
    window: list[JournalEntry] = []
    for entry in timeline.after(first):
        window.append(entry)
        if error_of(entry) == 1001 and entry.token != token and entry.operation != TOKEN_CALL:
            break
    return window


def _judge_refresh(
    timeline: Timeline, token: str | None, failures: list[JournalEntry]
) -> list[Violation]:
    first = failures[0]
    window = _window(timeline, token, first)
    refreshes = [i for i, e in enumerate(window) if e.operation == TOKEN_CALL and answered_ok(e)]
    if not refreshes:
        return [_no_refresh(first, window)]
    refresh = window[refreshes[0]]
    found: list[Violation] = []
    if len(refreshes) > 1:
        message = (
            f"{len(refreshes)} new anonymous tokens were fetched after one 1001; fetch exactly "
            "one (each extra token call counts against the per-client and per-IP limits)"
        )
        found.append(violation("token-refresh", message, first, *(window[i] for i in refreshes)))
    found.extend(_judge_client_id(timeline, first, refresh))
    found.extend(_judge_repeats(failures, window[refreshes[0] + 1 :], token, refresh))
    return found


def _no_refresh(first: JournalEntry, window: list[JournalEntry]) -> Violation:
    """No new token: either none was asked for, or the asks were refused (say which)."""
    refused = [e for e in window if e.operation == TOKEN_CALL]
    if not refused:
        message = (
            f"{call_name(first)} was answered 1001 (bad or expired token) but no new anonymous "
            "token was asked for: call createAnonymousToken with the same X-Client-Id"
        )
        return violation("token-refresh", message, first)
    answer = error_of(refused[0]) or refused[0].outcome
    message = (
        f"{call_name(first)} was answered 1001 and a new anonymous token was asked for, but "
        f"the ask was refused ({answer}), so the client could not carry on"
    )
    if first.fault is not None and refused[0].status == 429:
        message += (
            f"; the 1001 was injected by fault {first.fault.rule}, which leaves the token "
            "valid, so the mock refuses a second token for the same client id (§3): arm "
            "`expire_token=true` instead to make the token really expire"
        )
    return violation("token-refresh", message, first, *refused)


def _judge_client_id(
    timeline: Timeline, first: JournalEntry, refresh: JournalEntry
) -> list[Violation]:
    before = next((e for e in timeline.before(first) if e.client_id is not None), None)
    if before is None or before.client_id == refresh.client_id:
        return []
    message = (
        f"the new token after 1001 was fetched with X-Client-Id {refresh.client_id!r}, not "
        f"the client's {before.client_id!r}: refresh with the same client id"
    )
    return [violation("token-refresh", message, before, refresh)]


def _judge_repeats(
    failures: list[JournalEntry],
    after: list[JournalEntry],
    token: str | None,
    refresh: JournalEntry,
) -> list[Violation]:
    """Each failed call is sent again, with another token, after the refresh and itself."""
    found: list[Violation] = []
    for failure in failures:
        later = [e for e in after if (e.at_ms, e.seq) > (failure.at_ms, failure.seq)]
        repeated = any(key(e) == key(failure) and e.token not in (None, token) for e in later)
        if not repeated:
            message = (
                f"{call_name(failure)} failed with 1001 and was not repeated with the new token "
                "after the refresh: carry on with the call that failed"
            )
            found.append(violation("token-refresh", message, failure, refresh))
    return found


TOKEN_REFRESH = Rule(
    id="token-refresh",
    title="1001: one new token, same client id, then the call again",
    section="§3",
    description=(
        "After 1001 (bad or expired token) the client fetches exactly one new anonymous token "
        "with the same X-Client-Id and repeats the failed call with it (§3). Judged per "
        "rejected token: one successful createAnonymousToken after the first 1001, its "
        "client id equal to the last one sent before, and each failed call (operation and "
        "session) sent again afterwards with a different token."
    ),
    check=check_token_refresh,
)
