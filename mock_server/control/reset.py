"""Control plane: back to a fresh start, for everyone or for one user."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from mock_server.api.context import MockContext
from mock_server.api.deps import Context
from mock_server.api.models import optional_body
from mock_server.domain.secrets import fingerprint
from mock_server.domain.validation import reject_nulls

router = APIRouter(prefix="/_mock", tags=["control"])

#: What a reset deletes under the data dir (the generated music library stays).
DATA_FOLDERS = ("uploads", "generated", "renders")


class ResetRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    user_id: str | None = Field(default=None, min_length=1, max_length=64)
    token: str | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, value: Any) -> Any:
        return reject_nulls(value)

    @model_validator(mode="after")
    def _at_most_one(self) -> ResetRequest:
        if self.user_id is not None and self.token is not None:
            raise ValueError("give user_id or token, not both")
        return self


@router.post("/reset")
async def reset_mock(request: Request, ctx: Context) -> dict[str, Any]:
    body = optional_body(await request.body(), ResetRequest)
    if body.user_id is None and body.token is None:
        await reset_everything(ctx)
        return {"reset": "all", "clock": ctx.backend.clock.now().isoformat()}
    user_id = body.user_id or ctx.backend.user_of_raw_token(body.token or "")
    return {"reset": "user", "user_id": user_id, **_reset_user(ctx, user_id)}


async def reset_everything(ctx: MockContext) -> None:
    """State, faults, scenarios, journal (numbered from 1 again), clock, rate limits and
    RNG, as at start-up."""
    await ctx.turns.forget_all()
    ctx.renders.forget_all()
    ctx.backend.reset(ctx.settings.seed)
    ctx.faults.reset(f"{ctx.settings.seed}:faults")
    ctx.journal.reset()
    ctx.loaded_scenarios.clear()
    for folder in DATA_FOLDERS:
        shutil.rmtree(ctx.data_dir / folder, ignore_errors=True)


def _reset_user(ctx: MockContext, user_id: str) -> dict[str, int]:
    tokens = {
        fingerprint(raw)
        for raw, t in ctx.backend.store.tokens.access.items()
        if t.user_id == user_id
    }
    paths = ctx.backend.forget_user(user_id)
    for path in paths:
        Path(path).unlink(missing_ok=True)
    return {
        "tokens": len(tokens),
        "files": len(paths),
        "journal_entries": ctx.journal.forget_tokens(tokens),
    }
