"""§4.4 the agent: ``POST /run_sse``. Refusals are ordinary JSON; a turn is a stream, in the
style the request asked for, else its era's (``stream_style.py``): §4.4's events or ADK's."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse

from nemo_mock.mock_server.deps import request_era, writing
from nemo_mock.mock_server.edge.bodies import parse_body
from nemo_mock.mock_server.edge.scope import FAULT_ACTION, note
from nemo_mock.mock_server.faults.overrides import turn_overrides
from nemo_mock.mock_server.sse.events import SEPARATOR
from nemo_mock.mock_server.sse.stream import turn_stream
from nemo_mock.mock_server.surfaces.skill.models import RunSseRequest
from nemo_mock.mock_server.surfaces.skill.stream_style import requested_style, turn_encoder

router = APIRouter(tags=["agent"])


@router.post("/run_sse")
async def run_sse(request: Request) -> EventSourceResponse:
    ctx, token = await writing(request)
    era = await request_era(request)
    body = parse_body(await request.body(), RunSseRequest)
    style = requested_style(request, era.stream_style)
    overrides = turn_overrides(request.scope.get(FAULT_ACTION))
    turn = await ctx.turns.open(token, body.user_id, body.session_id, body.message, overrides)
    note(request.scope, turn=turn.number, kind=turn.kind, busy_with=turn.busy_with, style=style)
    limit = era.stream_limit(ctx.settings.stream_limit_seconds)
    encoder = turn_encoder(ctx, turn, style, body.streaming)
    stream = turn_stream(turn, ctx.turns.settings.timing, limit, encoder)
    return EventSourceResponse(stream, ping=0, sep=SEPARATOR)
