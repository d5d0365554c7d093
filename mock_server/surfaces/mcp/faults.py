"""Faults that act in the MCP surface: read from the request's scope, acted out here.

Each tool is an operation (``mcp.<tool>``), so a fault rule names a tool. The faults
middleware passes on what acts in the surface (``FAULT_ACTION`` in the scope); this module
turns it into what the surface does:

* ``error=CODE`` on a tool: an MCP tool error with that status and this surface's meaning
  (402 insufficient credits, 403 plan required, 409 conflict, 429 rate limited, 5xx);
* ``version_conflict`` on ``save_v3_draft``: a background write lands first (a real 409);
* ``turn_stuck`` on ``delegate_to_nemo_agent``: the turn reports ``running`` until cancelled;
* ``refresh_refused`` on the token endpoint: a ``refresh_token`` grant is refused.

The action reaches tool code through a context variable set around the call, so tools keep
their one signature.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from nemo_mock.mock_server.edge.scope import FAULT, FAULT_ACTION
from nemo_mock.mock_server.faults.actions import FaultAction

if TYPE_CHECKING:
    import mcp_types as types

#: The fault action of the request being handled (tool or token endpoint), if any.
ACTIVE: contextvars.ContextVar[FaultAction | None] = contextvars.ContextVar(
    "nemo_mock_mcp_fault", default=None
)
#: How a code written in a rule reads on this surface: status, code word.
_CODES: dict[int, tuple[int, str]] = {
    1001: (401, "unauthorized"),
    1002: (404, "not_found"),
    2001: (402, "insufficient_credits"),
    4001: (400, "validation"),
    4002: (400, "validation"),
    400: (400, "validation"),
    401: (401, "unauthorized"),
    402: (402, "insufficient_credits"),
    403: (403, "plan_required"),
    404: (404, "not_found"),
    409: (409, "conflict"),
    429: (429, "rate_limited"),
}
_WORDS = {
    "unauthorized": "the access token is not valid: refresh it or sign in again",
    "not_found": "not found",
    "insufficient_credits": "insufficient credits: top up (retrying cannot succeed)",
    "validation": "invalid arguments",
    "plan_required": "your plan does not include this tool: upgrade (retrying cannot succeed)",
    "conflict": "conflict: read the current state and try again",
    "rate_limited": "rate limited: wait retry_after seconds, then retry",
    "server_error": "internal server error",
}
DEFAULT_RETRY_AFTER = 30


def action_in(scope: Mapping[str, Any] | None) -> FaultAction | None:
    """The fault action the middleware passed on to this request, if any."""
    action = scope.get(FAULT_ACTION) if scope is not None else None
    return action if isinstance(action, FaultAction) else None


def active() -> FaultAction | None:
    return ACTIVE.get()


def injected_tool_error(action: FaultAction, scope: Mapping[str, Any]) -> types.CallToolResult:
    """The tool error an ``error=CODE`` rule stands for, on this surface."""
    import mcp_types as types  # the SDK's: this module is loaded at start-up, the SDK is not

    code = action.error or 500
    status, word = _CODES.get(code, (code, "server_error" if code >= 500 else "error"))
    fired = scope.get(FAULT)
    rule = fired.get("rule") if isinstance(fired, dict) else "header"
    error: dict[str, Any] = {
        "status": status,
        "code": word,
        "message": f"{action.message or _WORDS.get(word, 'error')} [nemo-mock fault {rule}]",
        "retryable": status == 429 or status >= 500,
    }
    if status == 429:
        error["retry_after"] = action.retry_after or DEFAULT_RETRY_AFTER
    return types.CallToolResult(
        content=[types.TextContent(text=json.dumps({"error": error}, ensure_ascii=False))],
        is_error=True,
    )
