"""Exports on the gateway: the same render jobs and ffmpeg pipeline as the skill surface."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from nemo_mock.mock_server.deps import exporting, public_base, reading
from nemo_mock.mock_server.edge.bodies import parse_body
from nemo_mock.mock_server.edge.envelope import ok
from nemo_mock.mock_server.edge.scope import FAULT_ACTION, note
from nemo_mock.mock_server.faults.overrides import render_overrides
from nemo_mock.mock_server.surfaces.gateway.models import RenderRequest
from nemo_mock.mock_server.surfaces.gateway.shapes import download_json, render_json

router = APIRouter(tags=["renders"])


@router.post("/services/v1/render-proxy/lambda")
async def submit_lambda_render(request: Request) -> dict[str, Any]:
    ctx, token = await exporting(request)
    body = parse_body(await request.body(), RenderRequest)
    overrides = render_overrides(request.scope.get(FAULT_ACTION))
    job = ctx.renders.submit(token, request.headers, body, overrides)
    note(request.scope, render_id=job.render_id)
    return ok(render_json(job, public_base(request)))


@router.get("/services/v1/render-proxy/lambda/{render_id}")
async def get_lambda_render(render_id: str, request: Request) -> dict[str, Any]:
    ctx, token = await reading(request)
    return ok(render_json(ctx.backend.render_job(token, render_id), public_base(request)))


@router.get("/services/v1/render-proxy/{project_id}/download")
async def get_project_download(project_id: str, request: Request) -> dict[str, Any]:
    ctx, token = await reading(request)
    project = ctx.backend.project(token, project_id)
    job = ctx.backend.latest_render(token, project_id)
    return ok(download_json(project, job, public_base(request)))
