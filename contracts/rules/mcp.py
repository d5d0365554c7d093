"""What a correct MCP client does (§7), judged over its tool calls in the journal.

* ``mcp-save-base-version``: each ``save_v3_draft`` carries as ``base_version`` the latest
  version the client was shown for that project (a read, a save, an upload, a conflict);
* ``mcp-conflict-apply``: after a version conflict the next save is based on the version
  the conflict returned (the change applied to the returned template), without re-reading
  the project in a loop (at most one ``get_video_project`` before it);
* ``mcp-no-save-during-turn``: no save to a project while the client's own delegated turn
  on its session may run (from the delegate until a poll says it is not ``running``, or a
  cancel);
* ``mcp-turn-polling``: a delegated turn is followed by ``get_nemo_agent_turn`` until its
  ``turn_state`` leaves ``running`` before the next delegate to that session or a render;
* ``mcp-idempotency-key``: an ``idempotency_key`` is reused only to retry the same request
  that got no result (dropped, or a retryable error); a retry reuses the key;
* ``mcp-no-retry-refusal``: a call refused with 402 or 403 is never repeated (retrying
  cannot succeed);
* ``mcp-token-refresh``: after a 401 on ``/mcp`` the next request carries another token;
  a refresh token is never used twice (the mock answers a reused one ``invalid_grant``);
* ``mcp-export-after-status`` (``mcp_export``): no claim of an export before
  ``get_render_status`` says the last render completed.
"""

from __future__ import annotations

from collections.abc import Sequence

from nemo_mock.contracts.rules.journal import (
    AT_RESOLUTION_MS,
    ended_before,
    ordered,
    response_body,
)
from nemo_mock.contracts.rules.mcp_calls import ToolCall, same_request, tool_calls
from nemo_mock.contracts.rules.mcp_export import MCP_EXPORT_AFTER_STATUS
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.mock_server.journal.entry import JournalEntry

SAVE = "save_v3_draft"
GENERATE = ("generate_video", "generate_audio")
REFUSED = frozenset({402, 403})
REUSED_REFRESH = "already used"


def _last_seen(calls: list[ToolCall], before: ToolCall) -> dict[str, int]:
    """Each project's latest version shown to the client by answers that ended before
    ``before`` started."""
    seen: dict[str, int] = {}
    start = before.entry.at_ms
    for call in calls:
        if call is before or not ended_before(call.entry, start):
            continue
        version, project = call.seen_version(), call.project
        if version is not None and project is not None:
            seen[project] = version
    return seen


def check_save_base_version(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    calls = tool_calls(entries)
    saves = [c for c in calls if c.tool == SAVE]
    found: list[Violation] = []
    for save in saves:
        project, base = save.project, save.arguments.get("base_version")
        if project is None:
            continue
        seen = _last_seen(calls, save).get(project)
        if seen is None:
            message = f"save_v3_draft of {project} without reading the project first"
            found.append(violation("mcp-save-base-version", message, save.entry))
        elif base != seen:
            message = (
                f"save_v3_draft of {project} with base_version {base}, but the last version "
                f"the client was shown is {seen}"
            )
            found.append(violation("mcp-save-base-version", message, save.entry))
    return RuleResult.of(found, exercised=bool(saves))


def check_conflict_apply(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    calls = tool_calls(entries)
    found: list[Violation] = []
    conflicts = [c for c in calls if c.tool == SAVE and c.status == 409]
    for conflict in conflicts:
        later = calls[calls.index(conflict) + 1 :]
        mine = [c for c in later if c.project == conflict.project]
        reads = []
        for call in mine:
            if call.tool == "get_video_project":
                reads.append(call)
            elif call.tool == SAVE:
                found.extend(_judge_resave(conflict, call, reads))
                break
    return RuleResult.of(found, exercised=bool(conflicts))


def _judge_resave(conflict: ToolCall, save: ToolCall, reads: list[ToolCall]) -> list[Violation]:
    current = conflict.seen_version()
    newest = reads[-1].seen_version() if reads else current
    base = save.arguments.get("base_version")
    if len(reads) > 1:
        message = (
            f"after the conflict on {conflict.project} the client read the project "
            f"{len(reads)} times before saving again: apply the change to the returned "
            "main_template instead of re-reading in a loop"
        )
        return [violation("mcp-conflict-apply", message, conflict.entry, *(r.entry for r in reads))]
    if base not in (current, newest):
        message = (
            f"after a conflict returning version {current}, the next save of "
            f"{conflict.project} was based on {base}"
        )
        return [violation("mcp-conflict-apply", message, conflict.entry, save.entry)]
    return []


def _turn_windows(calls: list[ToolCall]) -> list[tuple[ToolCall, str, float]]:
    """Each delegated turn: its delegate call, session, and when the client learnt it no
    longer runs (the end of that poll or cancel; infinity if it never did)."""
    windows = []
    for delegate in calls:
        if delegate.tool != "delegate_to_nemo_agent" or delegate.result is None:
            continue
        turn_id, session = delegate.result.get("turn_id"), delegate.result.get("session_id")
        if delegate.result.get("repeated") or not isinstance(session, str):
            continue
        over = float("inf")
        if delegate.result.get("turn_state") != "running":
            over = delegate.entry.at_ms + delegate.entry.duration_ms
        for call in calls[calls.index(delegate) + 1 :]:
            if over != float("inf"):
                break
            if call.arguments.get("turn_id") != turn_id or call.result is None:
                continue
            if call.tool == "cancel_nemo_agent_turn" or call.result.get("turn_state") != "running":
                over = call.entry.at_ms + call.entry.duration_ms
        windows.append((delegate, session, over))
    return windows


def check_no_save_during_turn(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    calls = tool_calls(entries)
    windows = _turn_windows(calls)
    found: list[Violation] = []
    for delegate, session, over in windows:
        for save in (c for c in calls if c.tool == SAVE):
            starts = save.entry.at_ms
            during = delegate.entry.at_ms < starts and starts + AT_RESOLUTION_MS <= over
            if save.arguments.get("session_id") == session and during:
                message = (
                    f"save_v3_draft on session {session} while the client's delegated turn "
                    f"{delegate.result and delegate.result.get('turn_id')} could still be running"
                )
                found.append(
                    violation("mcp-no-save-during-turn", message, delegate.entry, save.entry)
                )
    return RuleResult.of(found, exercised=bool(windows))


def check_turn_polling(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    calls = tool_calls(entries)
    windows = _turn_windows(calls)
    found: list[Violation] = []
    for delegate, session, over in windows:
        for call in calls[calls.index(delegate) + 1 :]:
            if call.entry.at_ms >= over:
                break
            if (
                call.tool == "delegate_to_nemo_agent"
                and call.arguments.get("session_id") == session
            ):
                if call.arguments.get("turn_id") == delegate.arguments.get("turn_id") is not None:
                    continue  # the same turn_id repeated: a retry, answered by the earlier turn
                what = "delegated again to"
            elif call.tool == "render_video":
                what = "started a render during"
            else:
                continue
            message = (
                f"{what} session {session} before a poll of get_nemo_agent_turn said the "
                "turn left running: poll by turn_state first"
            )
            found.append(violation("mcp-turn-polling", message, delegate.entry, call.entry))
    return RuleResult.of(found, exercised=bool(windows))


def check_idempotency_key(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    calls = tool_calls(entries, *GENERATE)
    found: list[Violation] = []
    for index, call in enumerate(calls):
        earlier = calls[:index]
        key = call.arguments.get("idempotency_key")
        before = [c for c in earlier if c.arguments.get("idempotency_key") == key]
        if before:
            found.extend(_judge_reuse(before[-1], call))
            continue
        retried = [c for c in earlier if same_request_but_key(c, call) and _unfinished(c)]
        if retried:
            message = (
                f"{call.tool} retried with a new idempotency_key {key!r} after a call that got "
                "no result: a retry reuses its key (a new key is a new charge)"
            )
            found.append(violation("mcp-idempotency-key", message, retried[-1].entry, call.entry))
    return RuleResult.of(found, exercised=bool(calls))


def same_request_but_key(a: ToolCall, b: ToolCall) -> bool:
    strip = {"idempotency_key"}
    return a.tool == b.tool and {k: v for k, v in a.arguments.items() if k not in strip} == {
        k: v for k, v in b.arguments.items() if k not in strip
    }


def _unfinished(call: ToolCall) -> bool:
    """No result: dropped, or a retryable error."""
    if call.result is not None:
        return False
    return call.error is None or bool(call.error.get("retryable"))


def _judge_reuse(first: ToolCall, again: ToolCall) -> list[Violation]:
    key = again.arguments.get("idempotency_key")
    if not same_request(first, again):
        message = f"idempotency_key {key!r} reused for a different {again.tool} request"
    elif not _unfinished(first):
        message = (
            f"idempotency_key {key!r} reused after its {again.tool} call already got a final "
            "answer (a result to poll with get_generation_status, or a refusal): reuse a key "
            "only to retry a call that got none"
        )
    else:
        return []
    return [violation("mcp-idempotency-key", message, first.entry, again.entry)]


def check_no_retry_refusal(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    calls = tool_calls(entries)
    refused = [c for c in calls if c.status in REFUSED]
    found: list[Violation] = []
    for refusal in refused:
        for later in calls[calls.index(refusal) + 1 :]:
            if same_request(refusal, later):
                message = (
                    f"{later.tool} repeated after a {refusal.status}: it is deterministic, "
                    "retrying cannot succeed"
                )
                found.append(violation("mcp-no-retry-refusal", message, refusal.entry, later.entry))
                break
    return RuleResult.of(found, exercised=bool(refused))


def check_token_refresh(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    found: list[Violation] = []
    mcp = [e for e in ordered(entries) if e.path == "/mcp"]
    refused = [e for e in mcp if e.status == 401 and e.token is not None]
    for entry in refused:
        later = [e for e in mcp if e.at_ms >= entry.at_ms and e.seq != entry.seq]
        if later and later[0].token == entry.token:
            message = "the request after a 401 on /mcp carried the same refused access token"
            found.append(violation("mcp-token-refresh", message, entry, later[0]))
    grants = [e for e in ordered(entries) if e.operation == "mcp.issueToken"]
    for grant in grants:
        why = response_body(grant).get("error_description")
        if isinstance(why, str) and REUSED_REFRESH in why:
            message = "a refresh token was used twice: tokens rotate on every refresh"
            found.append(violation("mcp-token-refresh", message, grant))
    return RuleResult.of(found, exercised=bool(refused) or len(grants) > 1)


def _rule(rule_id: str, title: str, check: object, description: str) -> Rule:
    return Rule(
        id=rule_id,
        title=title,
        section="§7",
        description=f"{description} (§7)",
        check=check,  # type: ignore[arg-type]
        surfaces=frozenset({"mcp"}),
    )


MCP_SAVE_BASE_VERSION = _rule(
    "mcp-save-base-version",
    "Save against the version of the last read",
    check_save_base_version,
    "Each save_v3_draft carries as base_version the latest project version the client was "
    "shown (a read, a save, an upload, a conflict), and follows a read.",
)
MCP_CONFLICT_APPLY = _rule(
    "mcp-conflict-apply",
    "Apply a conflict to the returned template",
    check_conflict_apply,
    "After a version conflict the next save is based on the version it returned; the "
    "project is not re-read in a loop (at most one get_video_project before the save).",
)
MCP_NO_SAVE_DURING_TURN = _rule(
    "mcp-no-save-during-turn",
    "No save while its own delegated turn runs",
    check_no_save_during_turn,
    "No save_v3_draft on a session from delegate_to_nemo_agent until a poll says the turn "
    "left running (or it was cancelled).",
)
MCP_TURN_POLLING = _rule(
    "mcp-turn-polling",
    "Poll turns by turn_state",
    check_turn_polling,
    "A delegated turn is polled with get_nemo_agent_turn until turn_state leaves running "
    "before the next delegate to that session or a render.",
)
MCP_IDEMPOTENCY_KEY = _rule(
    "mcp-idempotency-key",
    "Reuse an idempotency_key only to retry",
    check_idempotency_key,
    "A generation's idempotency_key is reused only to retry the same request that got no "
    "result; a retry reuses it; a new request gets a new key.",
)
MCP_NO_RETRY_REFUSAL = _rule(
    "mcp-no-retry-refusal",
    "Never retry a 402 or 403",
    check_no_retry_refusal,
    "A tool call refused with 402 (credits) or 403 (plan, scope) is not repeated.",
)
MCP_TOKEN_REFRESH = _rule(
    "mcp-token-refresh",
    "Refresh on 401, never reuse a refresh token",
    check_token_refresh,
    "After a 401 on /mcp the next request carries another token; a rotated refresh token is "
    "never used again.",
)
MCP_RULES: tuple[Rule, ...] = (
    MCP_SAVE_BASE_VERSION,
    MCP_CONFLICT_APPLY,
    MCP_NO_SAVE_DURING_TURN,
    MCP_TURN_POLLING,
    MCP_IDEMPOTENCY_KEY,
    MCP_NO_RETRY_REFUSAL,
    MCP_TOKEN_REFRESH,
    MCP_EXPORT_AFTER_STATUS,
)
