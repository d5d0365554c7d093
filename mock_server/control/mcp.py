"""``/_mock/mcp``: drive the headless consent step and the OAuth clock from tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from nemo_mock.mock_server.domain.errors import BadRequest
from nemo_mock.mock_server.domain.oauth import PLANS, SCOPES, OAuthBook

router = APIRouter(prefix="/_mock/mcp", tags=["control"])


class ConsentBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    user_id: str | None = Field(default=None, min_length=1, max_length=128)
    plan: str | None = None
    scopes: list[str] | None = None
    creator: bool | None = None
    decision: Literal["approve", "deny"] | None = None


class ExpireBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    user_id: str | None = Field(default=None, min_length=1, max_length=128)


@router.post("/consent")
async def set_mcp_consent(body: ConsentBody, request: Request) -> dict[str, object]:
    """What the next sign-in approves: account, plan, scopes, creator role, or a denial."""
    if body.plan is not None and body.plan not in PLANS:
        raise BadRequest(f"plan {body.plan!r} is not one of {', '.join(PLANS)}")
    unknown = [s for s in body.scopes or [] if s not in SCOPES]
    if unknown:
        raise BadRequest(f"unknown scopes {unknown}: known are {' '.join(SCOPES)}")
    tables = request.app.state.mock.backend.store.mcp.oauth
    changes = body.model_dump(exclude_none=True)
    if "scopes" in changes:
        changes["scopes"] = tuple(changes["scopes"])
    tables.consent = replace(tables.consent, **changes)
    consent = tables.consent
    return {
        "user_id": consent.user_id,
        "plan": consent.plan,
        "scopes": list(consent.scopes),
        "creator": consent.creator,
        "decision": consent.decision,
    }


@router.post("/expire-access-tokens")
async def expire_mcp_access_tokens(body: ExpireBody, request: Request) -> dict[str, int]:
    """Every live MCP access token (of one user) expires now: the client must refresh."""
    backend = request.app.state.mock.backend
    book = OAuthBook(backend.store.mcp.oauth, backend.clock)
    return {"expired": book.expire_access(body.user_id)}
