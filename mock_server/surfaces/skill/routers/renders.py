"""§4.8 render (export): start, poll, cancel, download; and the oldest docs' aliases."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from nemo_mock.mock_server.deps import exporting, mock_of, public_base, reading, request_era
from nemo_mock.mock_server.edge.bodies import parse_body
from nemo_mock.mock_server.edge.files import MediaFileResponse
from nemo_mock.mock_server.edge.scope import FAULT_ACTION, note
from nemo_mock.mock_server.faults.overrides import render_overrides
from nemo_mock.mock_server.surfaces.skill.models import RenderRequest
from nemo_mock.mock_server.surfaces.skill.render_shapes import render_body

router = APIRouter(tags=["renders"])


@router.post("/api/render/proxy/lambda")
async def start_render(request: Request) -> dict[str, Any]:
    ctx, token = await exporting(request)
    era = await request_era(request)
    body = parse_body(await request.body(), RenderRequest)
    overrides = render_overrides(request.scope.get(FAULT_ACTION))
    job = ctx.renders.submit(token, request.headers, body, overrides)
    note(request.scope, render_id=job.render_id)
    return render_body(job, era.render_shape_or(ctx.settings.render_shape), public_base(request))


@router.get("/api/render/proxy/lambda/{render_id}")
async def get_render(render_id: str, request: Request) -> dict[str, Any]:
    ctx, token = await reading(request)
    era = await request_era(request)
    job = ctx.backend.render_job(token, render_id)
    return render_body(job, era.render_shape_or(ctx.settings.render_shape), public_base(request))


@router.post("/api/render/proxy/lambda/{render_id}/cancel")
async def cancel_render(render_id: str, request: Request) -> dict[str, Any]:
    ctx, token = await exporting(request)
    era = await request_era(request)
    job = ctx.backend.cancel_render(token, render_id)
    return render_body(job, era.render_shape_or(ctx.settings.render_shape), public_base(request))


@router.get("/api/render/proxy/{render_id}/download")
async def download_render(render_id: str, request: Request) -> MediaFileResponse:
    ctx, token = await reading(request)
    job = ctx.backend.finished_render(token, render_id)
    return MediaFileResponse(ctx.renders.output_file(job), filename=f"{job.render_id}.mp4")


@router.post("/api/render/proxy/draft", deprecated=True)
async def start_render_legacy(request: Request) -> dict[str, Any]:
    return await start_render(request)


@router.get("/api/render/proxy/{render_id}", deprecated=True)
async def get_render_legacy(render_id: str, request: Request) -> dict[str, Any]:
    return await get_render(render_id, request)


@router.get("/cdn/renders/{output_key}/{filename}", tags=["media"])
async def get_render_output(output_key: str, filename: str, request: Request) -> MediaFileResponse:
    ctx = mock_of(request)
    job = ctx.backend.render_output(output_key, filename)
    return MediaFileResponse(ctx.renders.output_file(job), filename=filename)
