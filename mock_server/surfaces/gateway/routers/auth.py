"""``POST /auth/verify`` and the claim-token exchange."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from nemo_mock.mock_server.deps import reading
from nemo_mock.mock_server.domain.tokens import CLAIM_TOKEN_TTL, Scope
from nemo_mock.mock_server.edge.bodies import optional_body, parse_body
from nemo_mock.mock_server.edge.envelope import ok
from nemo_mock.mock_server.surfaces.gateway.models import ClaimExchangeRequest, VerifyRequest
from nemo_mock.mock_server.surfaces.gateway.shapes import balance_json

router = APIRouter(tags=["auth"])


@router.post("/auth/verify")
async def verify_token(request: Request) -> dict[str, Any]:
    ctx, token = await reading(request)
    body = optional_body(await request.body(), VerifyRequest)
    checked = ctx.backend.authenticate(body.token, Scope.READ, Scope.WRITE) if body.token else token
    consumed, granted = ctx.backend.usage_totals(checked)
    balance = balance_json(ctx.backend.credit_balance(checked), consumed, granted)
    return ok({"user_id": checked.user_id, "email": None, "balance": balance})


@router.post("/api/auth/exchange-claim-token")
async def exchange_claim_token(request: Request) -> dict[str, Any]:
    ctx, token = await reading(request)
    body = parse_body(await request.body(), ClaimExchangeRequest)
    session = ctx.backend.project(token, body.project_id).latest_session
    claim = ctx.backend.create_claim_token(token, session.task_id, session.session_id)
    web = ctx.backend.config.web_url.rstrip("/")
    return ok(
        {
            "claim_token": claim.token,
            "expires_in": int(CLAIM_TOKEN_TTL.total_seconds()),
            "url": f"{web}/workspace/claim?ct={claim.token}",
        }
    )
