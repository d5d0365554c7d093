"""The control plane (``contracts/control.yaml``): health and the movable clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, field_validator

from nemo_mock.mock_server import __version__
from nemo_mock.mock_server.deps import Context
from nemo_mock.mock_server.domain.clock import Clock, epoch_ms

router = APIRouter(prefix="/_mock", tags=["control"])
#: Health stays with ``--no-control``: deployments (and Docker's healthcheck) need it.
health_router = APIRouter(prefix="/_mock", tags=["control"])

MAX_ADVANCE_SECONDS = 365 * 86_400


class AdvanceClock(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seconds: float = Field(ge=0, le=MAX_ADVANCE_SECONDS, strict=True)


@health_router.get("/health")
async def get_health(ctx: Context) -> dict[str, Any]:
    return {"status": "ok", "version": __version__, "started_at": ctx.started_at.isoformat()}


@router.get("/clock")
async def get_clock(ctx: Context) -> dict[str, Any]:
    return _clock_json(ctx.backend.clock)


@router.post("/clock/advance")
async def advance_clock(body: AdvanceClock, ctx: Context) -> dict[str, Any]:
    ctx.backend.clock.advance(body.seconds)
    return _clock_json(ctx.backend.clock)


class SetClock(BaseModel):
    model_config = ConfigDict(extra="forbid")
    now: str = Field(strict=True, min_length=1, max_length=64)

    @field_validator("now")
    @classmethod
    def _instant(cls, value: str) -> str:
        try:
            instant = datetime.fromisoformat(value.upper())
        except ValueError:
            raise ValueError(f"not an ISO-8601 date-time: {value!r}") from None
        if instant.tzinfo is None:
            raise ValueError("give a time zone, e.g. 2026-12-01T00:00:00Z")
        return value


@router.post("/clock/set")
async def set_clock(body: SetClock, ctx: Context) -> dict[str, Any]:
    """Jump forward to ``now`` (the clock never runs back; reset puts it back to real time)."""
    ctx.backend.clock.set(datetime.fromisoformat(body.now.upper()))
    return _clock_json(ctx.backend.clock)


def _clock_json(clock: Clock) -> dict[str, Any]:
    now = clock.now()
    return {
        "now": now.isoformat(),
        "epoch_ms": epoch_ms(now),
        "offset_seconds": clock.offset_seconds,
    }
