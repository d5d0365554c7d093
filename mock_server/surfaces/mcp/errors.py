"""The one place a refusal becomes an MCP tool error (``isError`` with its meaning).

An error result's one content block is the JSON text ``{"error": {status, code, message,
retryable, …}}``. On this surface insufficient credits is 402 and a plan or scope refusal
403 (the skill surface's 402 is its free-plan export block: each surface keeps its own
meaning).
"""

from __future__ import annotations

import json
from typing import Any

import mcp_types as types

from nemo_mock.mock_server.domain.errors import (
    BadRequest,
    Conflict,
    InsufficientCredits,
    NemoError,
    NotFound,
    RateLimited,
    SessionNotFound,
    UnsupportedFileType,
)
from nemo_mock.mock_server.domain.mcp_errors import (
    PlanRequired,
    ScopeNotGranted,
    TurnRunning,
    VersionConflict,
)

_KINDS: tuple[tuple[type[NemoError], int, str], ...] = (
    (InsufficientCredits, 402, "insufficient_credits"),
    (PlanRequired, 403, "plan_required"),
    (ScopeNotGranted, 403, "scope_missing"),
    (VersionConflict, 409, "version_conflict"),
    (TurnRunning, 409, "turn_running"),
    (Conflict, 409, "conflict"),
    (SessionNotFound, 404, "not_found"),
    (NotFound, 404, "not_found"),
    (RateLimited, 429, "rate_limited"),
    (UnsupportedFileType, 400, "validation"),
    (BadRequest, 400, "validation"),
)
NOT_RETRYABLE = frozenset({400, 402, 403, 404})


def tool_error(exc: NemoError) -> types.CallToolResult:
    status, kind = next(((s, k) for cls, s, k in _KINDS if isinstance(exc, cls)), (400, "error"))
    error: dict[str, Any] = {
        "status": status,
        "code": kind,
        "message": exc.message,
        "retryable": status not in NOT_RETRYABLE and kind != "version_conflict",
    }
    if exc.data and kind in ("version_conflict", "insufficient_credits"):
        error.update({k: v for k, v in exc.data.items() if k != "user_id"})
    # no structuredContent: clients (the TypeScript SDK, the Inspector) validate it against
    # the tool's outputSchema even on an error; the error travels as JSON text instead
    return types.CallToolResult(
        content=[types.TextContent(text=json.dumps({"error": error}, ensure_ascii=False))],
        is_error=True,
    )


def tool_result(data: dict[str, Any], extra: list[Any] | None = None) -> types.CallToolResult:
    content: list[Any] = [types.TextContent(text=json.dumps(data, ensure_ascii=False))]
    return types.CallToolResult(content=content + (extra or []), structured_content=data)
