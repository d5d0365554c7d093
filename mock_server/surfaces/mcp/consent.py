"""The headless sign-in: approve or deny as the consent policy says (``/_mock/mcp/consent``)."""

from __future__ import annotations

from mcp.server.auth.provider import construct_redirect_uri
from starlette.responses import JSONResponse, RedirectResponse, Response

from nemo_mock.mock_server.surfaces.mcp.surface import McpSurface


def answer_consent(mcp: McpSurface, request_id: str | None) -> Response:
    pending = mcp.tables.oauth.pending.pop(request_id or "", None)
    if pending is None:
        return JSONResponse(
            {"error": "invalid_request", "error_description": "unknown or used consent request"},
            status_code=400,
        )
    policy = mcp.tables.oauth.consent
    if policy.decision == "deny":
        target = construct_redirect_uri(
            pending["redirect_uri"],
            error="access_denied",
            error_description="the user denied access",
            state=pending["state"],
        )
        return RedirectResponse(target, status_code=302)
    mcp.open_account(policy.user_id, policy.plan, policy.creator)
    grant = mcp.oauth.issue_code(pending, policy)
    target = construct_redirect_uri(
        pending["redirect_uri"], code=grant.code, state=pending["state"]
    )
    return RedirectResponse(target, status_code=302)
