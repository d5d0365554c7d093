"""Balance and usage history, from the shared ledger and its history."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from nemo_mock.mock_server.deps import Reader, mock_of, reading
from nemo_mock.mock_server.domain.usage import MAX_PAGE_SIZE
from nemo_mock.mock_server.edge.envelope import ok
from nemo_mock.mock_server.surfaces.gateway.shapes import balance_json, usage_json

router = APIRouter(tags=["billing"])


@router.get("/billing/balance")
async def get_billing_balance(request: Request) -> dict[str, Any]:
    ctx, token = await reading(request)
    consumed, granted = ctx.backend.usage_totals(token)
    return ok(balance_json(ctx.backend.credit_balance(token), consumed, granted))


@router.get("/billing/usage/conversations")
async def list_usage_conversations(
    request: Request,
    token: Reader,  # a dependency: checked before the query (deps.caller)
    page_no: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = MAX_PAGE_SIZE,
    start_date: date | None = None,
    end_date: date | None = None,
) -> dict[str, Any]:
    page = mock_of(request).backend.usage_page(token, page_no, page_size, start_date, end_date)
    return ok(usage_json(page))
