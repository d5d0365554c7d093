"""Control plane: back to a fresh start, for everyone or for one user."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from nemo_mock.mock_server.deps import Context
from nemo_mock.mock_server.domain.validation import WholeNumber, reject_nulls
from nemo_mock.mock_server.edge.bodies import optional_body

router = APIRouter(prefix="/_mock", tags=["control"])


class ResetRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    user_id: str | None = Field(default=None, min_length=1, max_length=64)
    token: str | None = Field(default=None, min_length=1, max_length=200)
    #: With a reset of everything: re-seed as a start with ``--seed`` would (later resets keep it).
    seed: WholeNumber | None = Field(default=None, ge=-(2**63), le=2**63 - 1)

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, value: Any) -> Any:
        return reject_nulls(value)

    @model_validator(mode="after")
    def _at_most_one(self) -> ResetRequest:
        if self.user_id is not None and self.token is not None:
            raise ValueError("give user_id or token, not both")
        if self.seed is not None and (self.user_id is not None or self.token is not None):
            raise ValueError(
                "seed re-seeds a reset of everything: give it without user_id or token"
            )
        return self


@router.post("/reset")
async def reset_mock(request: Request, ctx: Context) -> dict[str, Any]:
    body = optional_body(await request.body(), ResetRequest)
    if body.user_id is None and body.token is None:
        await ctx.reset(body.seed)
        clock = ctx.backend.clock.now().isoformat()
        return {"reset": "all", "clock": clock, "seed": ctx.settings.seed}
    user_id = body.user_id or ctx.backend.user_of_raw_token(body.token or "")
    return {"reset": "user", "user_id": user_id, **ctx.forget_user(user_id)}
