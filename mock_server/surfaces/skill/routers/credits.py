"""§4.6 credit balance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from nemo_mock.mock_server.deps import reading
from nemo_mock.mock_server.edge.envelope import ok

router = APIRouter(tags=["credits"])


@router.get("/api/credits/balance/simple")
async def get_credit_balance(request: Request) -> dict[str, Any]:
    ctx, token = await reading(request)
    return ok(ctx.backend.credit_balance(token).to_json())
