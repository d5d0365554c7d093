"""§4.4 the agent: ``POST /run_sse``. Refusals are ordinary JSON; a turn is a stream."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse

from mock_server.deps import Context, Writer
from mock_server.edge.bodies import parse_body
from mock_server.edge.scope import FAULT_ACTION, note
from mock_server.sse.events import SEPARATOR, heartbeat, keepalive
from mock_server.sse.turns import Turn
from mock_server.surfaces.skill.models import RunSseRequest

router = APIRouter(tags=["agent"])
MIN_BEAT_SECONDS = 0.01


@router.post("/run_sse")
async def run_sse(request: Request, ctx: Context, token: Writer) -> EventSourceResponse:
    body = parse_body(await request.body(), RunSseRequest)
    fault = request.scope.get(FAULT_ACTION)
    turn = await ctx.turns.open(token, body.user_id, body.session_id, body.message, fault)
    note(request.scope, turn=turn.number, kind=turn.kind, busy_with=turn.busy_with)
    limit = ctx.settings.stream_limit_seconds
    if fault is not None and fault.heartbeats_only:
        timing = ctx.turns.settings.timing
        seconds = min(fault.heartbeats_only * timing.time_scale, limit)
        interval = max(timing.heartbeat_interval * timing.time_scale, MIN_BEAT_SECONDS)
        return EventSourceResponse(_heartbeats(seconds, interval), ping=0, sep=SEPARATOR)
    return EventSourceResponse(_wire(turn, limit), ping=0, sep=SEPARATOR)


async def _wire(turn: Turn, limit: float) -> AsyncIterator[bytes]:
    """The turn's events as bytes, until the work is done or the hard stream limit passes
    (also while waiting for the next event). The work itself goes on either way."""
    deadline = time.monotonic() + limit
    events = turn.stream()
    while (left := deadline - time.monotonic()) > 0:
        try:
            event = await asyncio.wait_for(anext(events), timeout=left)
        except (TimeoutError, StopAsyncIteration):
            return
        yield event.encode()


async def _heartbeats(seconds: float, interval: float) -> AsyncIterator[bytes]:
    """A fault: only keep-alives for ``seconds``, then the stream closes; the turn's work
    goes on unseen, and its result is in the state."""
    deadline = time.monotonic() + seconds
    beats = 0
    while (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(min(interval, left))
        beats += 1
        yield (heartbeat() if beats % 2 else keepalive()).encode()
