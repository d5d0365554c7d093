"""Projects, their sessions and their state as the web editor reads it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from nemo_mock.mock_server.deps import reading, writing
from nemo_mock.mock_server.edge.bodies import optional_body
from nemo_mock.mock_server.edge.envelope import ok
from nemo_mock.mock_server.surfaces.gateway.models import CreateProjectRequest
from nemo_mock.mock_server.surfaces.gateway.shapes import frontend_state, project_json, session_json

router = APIRouter(tags=["projects"])


@router.post("/projects")
async def create_project(request: Request) -> dict[str, Any]:
    ctx, token = await writing(request)
    body = optional_body(await request.body(), CreateProjectRequest)
    project = ctx.backend.create_project(token, body.name)
    session = session_json(project.latest_session, running=False)
    return ok({**project_json(project), "session": session if body.create_session else None})


@router.get("/projects")
async def list_projects(request: Request) -> dict[str, Any]:
    ctx, token = await reading(request)
    projects = [project_json(p) for p in ctx.backend.user_projects(token)]
    return ok({"projects": projects, "total": len(projects)})


@router.get("/projects/{project_id}")
async def get_project(project_id: str, request: Request) -> dict[str, Any]:
    ctx, token = await reading(request)
    return ok(project_json(ctx.backend.project(token, project_id)))


@router.get("/projects/{project_id}/sessions")
async def list_project_sessions(project_id: str, request: Request) -> dict[str, Any]:
    ctx, token = await reading(request)
    project = ctx.backend.project(token, project_id)
    newest_first = reversed(project.sessions)
    sessions = [
        session_json(s, ctx.turns.busy_with(s.session_id) is not None) for s in newest_first
    ]
    return ok({"sessions": sessions})


@router.get("/api/v1/state/frontend/{project_id}")
async def get_frontend_state(project_id: str, request: Request) -> dict[str, Any]:
    ctx, token = await reading(request)
    return ok(frontend_state(ctx.backend.project(token, project_id)))
