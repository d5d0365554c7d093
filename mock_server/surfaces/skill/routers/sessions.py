"""§4.3 create a session, §4.7 read its state."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from nemo_mock.mock_server.deps import reading, writing
from nemo_mock.mock_server.edge.bodies import optional_body
from nemo_mock.mock_server.edge.envelope import ok
from nemo_mock.mock_server.surfaces.skill.models import CreateSessionRequest

router = APIRouter(tags=["sessions"])


@router.post("/api/tasks/{user_id}/with-session/nemo_agent")
async def create_session(user_id: str, request: Request) -> dict[str, Any]:
    ctx, token = await writing(request)
    body = optional_body(await request.body(), CreateSessionRequest)
    session = ctx.backend.create_session(token, user_id, body.task_name, body.language)
    return ok(
        {"task_id": session.task_id, "session_id": session.session_id, "user_id": session.user_id}
    )


@router.get("/api/state/nemo_agent/{user_id}/{session_id}/latest")
async def get_session_state(user_id: str, session_id: str, request: Request) -> dict[str, Any]:
    ctx, token = await reading(request)
    return ok(ctx.backend.session_for(token, user_id, session_id).to_state_json())
