"""No claim of an export before ``get_render_status`` says so (§7): judged over the MCP tool
calls and the client's own claim.

A client claims an export when it tells its user the video is exported; under
``check-client`` that is an exit 0 (``RuleContext.claimed_export``). The claim is about the
last export it started, the last ``render_video`` answered with a ``render_id``, and it holds
only once a ``get_render_status`` of that render answered ``completed`` with a
``download_url``. Handing out an earlier render's file (the export of an older draft), a
render still running or failed, or no render at all, claims what the API never said.
"""

from __future__ import annotations

from collections.abc import Sequence

from nemo_mock.contracts.rules.mcp_calls import ToolCall, tool_calls
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, violation
from nemo_mock.mock_server.journal.entry import JournalEntry

RULE_ID = "mcp-export-after-status"
START = "render_video"
STATUS = "get_render_status"
DONE = "completed"


def check_export_after_status(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    calls = tool_calls(entries)
    if not ctx.claimed_export or not calls:
        return RuleResult.of([], exercised=False)
    starts = [c for c in calls if c.tool == START and _started(c) is not None]
    if not starts:
        message = "the client claimed an export but never started one (no render_video answered)"
        return RuleResult.of([violation(RULE_ID, message, calls[-1].entry)])
    last = starts[-1]
    render = _started(last)
    later = calls[calls.index(last) + 1 :]
    polls = [c for c in later if c.tool == STATUS and c.arguments.get("render_id") == render]
    if any(_says_done(poll) for poll in polls):
        return RuleResult.of([])
    seen = next((p.result.get("status") for p in reversed(polls) if p.result), None)
    told = f"its last answer said {seen!r}" if seen else "it was never asked"
    message = (
        f"the client claimed an export, but get_render_status never said its last render "
        f"{render} completed ({told}): an export exists once get_render_status answers "
        "completed with a download_url"
    )
    return RuleResult.of([violation(RULE_ID, message, last.entry, *(p.entry for p in polls[-1:]))])


def _started(call: ToolCall) -> str | None:
    """The render a ``render_video`` answer started."""
    value = call.result.get("render_id") if call.result else None
    return value if isinstance(value, str) else None


def _says_done(call: ToolCall) -> bool:
    result = call.result or {}
    return result.get("status") == DONE and bool(result.get("download_url"))


MCP_EXPORT_AFTER_STATUS = Rule(
    id=RULE_ID,
    title="No claim of an export before get_render_status says so",
    section="§7",
    description=(
        "An export is claimed (under check-client: exit 0) only once get_render_status "
        "answered completed, with a download_url, for the last render_video the client "
        "started; an older render's file, or a render running or failed, is no export (§7)."
    ),
    check=check_export_after_status,
    surfaces=frozenset({"mcp"}),
)
