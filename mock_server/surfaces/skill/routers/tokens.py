"""Era-only operations (§8): the first README's token API (v1.0 era), and the
``/api/v1/generate`` endpoint generated skills call (never part of the API)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from nemo_mock.mock_server.deps import token_api_era, writing
from nemo_mock.mock_server.domain.errors import NotFound
from nemo_mock.mock_server.domain.tokens import AccessToken
from nemo_mock.mock_server.edge.bodies import parse_body
from nemo_mock.mock_server.edge.envelope import ok
from nemo_mock.mock_server.surfaces.skill.models import CreateApiTokenRequest

router = APIRouter(tags=["tokens"])


@router.post("/api/tokens", deprecated=True)
async def create_api_token(request: Request) -> dict[str, Any]:
    await token_api_era(request)  # 404 outside the v1.0 era, before the token is checked
    ctx, token = await writing(request)
    body = parse_body(await request.body(), CreateApiTokenRequest)
    made = ctx.backend.create_api_token(
        token, body.name, frozenset(body.scopes), body.expires_in_days
    )
    return ok({**_listed(made), "token": made.token})


@router.get("/api/tokens", deprecated=True)
async def list_api_tokens(request: Request) -> dict[str, Any]:
    await token_api_era(request)
    ctx, token = await writing(request)
    return ok({"tokens": [_listed(t) for t in ctx.backend.api_tokens(token)]})


@router.post("/api/tokens/{token_id}/revoke", deprecated=True)
async def revoke_api_token(token_id: str, request: Request) -> dict[str, Any]:
    await token_api_era(request)
    ctx, token = await writing(request)
    return ok(_listed(ctx.backend.revoke_api_token(token, token_id)))


@router.post("/api/v1/generate", deprecated=True)
async def generate_v1() -> dict[str, Any]:
    raise NotFound(
        "POST /api/v1/generate is not part of the NemoVideo API (generated skills invent it): "
        "create a session and send the request as a message to /run_sse"
    )


def _listed(token: AccessToken) -> dict[str, Any]:
    """A token as the list shows it: never the secret."""
    return {
        "id": token.token_id,
        "name": token.name,
        "scopes": sorted(s.value for s in token.scopes),
        "created_at": token.issued_at.isoformat(),
        "expires_at": token.expires_at.isoformat() if token.expires else None,
        "revoked": token.revoked,
    }
