"""§4.6 credit balance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from nemo_mock.mock_server.deps import Context, Reader
from nemo_mock.mock_server.edge.envelope import ok

router = APIRouter(tags=["credits"])


@router.get("/api/credits/balance/simple")
async def get_credit_balance(ctx: Context, token: Reader) -> dict[str, Any]:
    return ok(ctx.backend.credit_balance(token).to_json())
