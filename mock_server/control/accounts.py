"""Control plane: credits and tokens set up on purpose (``contracts/control.yaml``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from nemo_mock.mock_server.deps import Context
from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.tokens import AccessToken, Scope
from nemo_mock.mock_server.domain.validation import WholeNumber, reject_nulls
from nemo_mock.mock_server.edge.bodies import optional_body, parse_body

router = APIRouter(prefix="/_mock", tags=["control"])

MAX_CREDITS = 1_000_000_000


class _Strict(BaseModel):
    """Control bodies are strict: no coercion, no unknown fields, no explicit nulls."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, value: Any) -> Any:
        return reject_nulls(value)


class SetCredits(_Strict):
    token: str | None = Field(default=None, min_length=1, max_length=200)
    user_id: str | None = Field(default=None, min_length=1, max_length=64)
    available: WholeNumber = Field(ge=0, le=MAX_CREDITS)

    @model_validator(mode="after")
    def _one_subject(self) -> SetCredits:
        if (self.token is None) == (self.user_id is None):
            raise ValueError("name the user by exactly one of 'token' and 'user_id'")
        return self


class MintToken(_Strict):
    scopes: list[Scope] = Field(default_factory=lambda: [Scope.ALL], min_length=1)
    plan: str = Field(default="free", min_length=1, max_length=32)
    credits: WholeNumber | None = Field(default=None, ge=0, le=MAX_CREDITS)
    user_id: str | None = Field(default=None, min_length=1, max_length=64)
    ttl_seconds: float | None = Field(default=None, gt=0, le=365 * 86_400)

    @field_validator("scopes", mode="before")
    @classmethod
    def _distinct(cls, value: Any) -> Any:
        if isinstance(value, list) and len(value) != len(set(map(str, value))):
            raise ValueError("scopes must not repeat")
        return (
            [Scope(v) if isinstance(v, str) and v in Scope._value2member_map_ else v for v in value]
            if isinstance(value, list)
            else value
        )


class TokenRequest(_Strict):
    token: str = Field(min_length=1, max_length=200)


@router.post("/credits")
async def set_credits(request: Request, ctx: Context) -> dict[str, Any]:
    body = parse_body(await request.body(), SetCredits)
    user = ctx.backend.set_credits(token=body.token, user_id=body.user_id, available=body.available)
    return {"user_id": user, **ctx.backend.ledger.balance(user).to_json()}


@router.post("/tokens")
async def mint_token(request: Request, ctx: Context) -> dict[str, Any]:
    body = optional_body(await request.body(), MintToken)
    ttl = timedelta(seconds=body.ttl_seconds) if body.ttl_seconds else None
    token = ctx.backend.mint_token(
        scopes=frozenset(body.scopes),
        plan=body.plan,
        credits=body.credits,
        user_id=body.user_id,
        ttl=ttl,
    )
    return token_info(ctx.backend, token)


@router.post("/tokens/revoke")
async def revoke_token(request: Request, ctx: Context) -> dict[str, Any]:
    body = parse_body(await request.body(), TokenRequest)
    return token_info(ctx.backend, ctx.backend.tokens.revoke(body.token))


@router.post("/tokens/expire")
async def expire_token(request: Request, ctx: Context) -> dict[str, Any]:
    body = parse_body(await request.body(), TokenRequest)
    return token_info(ctx.backend, ctx.backend.tokens.expire_now(body.token))


def token_info(backend: NemoBackend, token: AccessToken) -> dict[str, Any]:
    return {
        "token": token.token,
        "fingerprint": token.fingerprint,
        "user_id": token.user_id,
        "scopes": sorted(s.value for s in token.scopes),
        "plan": token.plan,
        "expires_at": token.expires_at.isoformat(),
        "revoked": token.revoked,
        "credits": backend.ledger.balance(token.user_id).available,
    }
