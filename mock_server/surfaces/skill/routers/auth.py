"""§4.1 anonymous token, §4.2 claim token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request

from nemo_mock.mock_server.deps import client_ip, mock_of, request_era, writing
from nemo_mock.mock_server.domain.tokens import CLAIM_TOKEN_TTL
from nemo_mock.mock_server.edge.bodies import parse_body
from nemo_mock.mock_server.edge.envelope import ok
from nemo_mock.mock_server.surfaces.skill.models import ClaimTokenRequest

router = APIRouter(tags=["auth"])


@router.post("/api/auth/anonymous-token")
async def create_anonymous_token(
    request: Request,
    x_client_id: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    ctx, era = mock_of(request), await request_era(request)
    token, balance = ctx.backend.issue_anonymous_token(x_client_id, client_ip(request), era)
    return ok(
        {
            "token": token.token,
            "user_id": token.user_id,
            "expires_at": token.expires_at.isoformat() if token.expires else None,
            "credits": balance.available,
        }
    )


@router.post("/api/auth/claim-token")
async def create_claim_token(request: Request) -> dict[str, Any]:
    ctx, token = await writing(request)
    body = parse_body(await request.body(), ClaimTokenRequest)
    claim = ctx.backend.create_claim_token(token, body.task_id, body.session_id)
    return ok({"claim_token": claim.token, "expires_in": int(CLAIM_TOKEN_TTL.total_seconds())})
