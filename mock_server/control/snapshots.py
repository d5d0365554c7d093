"""Control plane: snapshots of the whole mock (``contracts/control.yaml``, tag Snapshots).

Save, list, restore and delete by name; export (the snapshot's one portable file) and
import (such a file, from another machine)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from nemo_mock.mock_server.deps import Context
from nemo_mock.mock_server.domain.errors import BadRequest
from nemo_mock.mock_server.edge.bodies import parse_body

router = APIRouter(prefix="/_mock", tags=["control"])


class SaveSnapshot(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    name: str = Field(min_length=1, max_length=64)


@router.post("/snapshots", status_code=201)
async def save_snapshot(request: Request, ctx: Context) -> JSONResponse:
    body = parse_body(await request.body(), SaveSnapshot)
    return JSONResponse(await ctx.save_snapshot(body.name), status_code=201)


@router.get("/snapshots")
async def list_snapshots(ctx: Context) -> dict[str, Any]:
    return {"snapshots": ctx.snapshots.list()}


@router.post("/snapshots/import", status_code=201)
async def import_snapshot(request: Request, ctx: Context) -> JSONResponse:
    upload, name = await _read_import(request)
    summary = await ctx.import_snapshot(upload.file, name)
    return JSONResponse(summary, status_code=201)


@router.post("/snapshots/{name}/restore")
async def restore_snapshot(name: str, ctx: Context) -> dict[str, Any]:
    return {"restored": await ctx.restore_snapshot(name)}


@router.get("/snapshots/{name}/file")
async def export_snapshot(name: str, ctx: Context) -> FileResponse:
    path = ctx.snapshots.path(name)
    return FileResponse(path, media_type="application/x-tar", filename=path.name)


@router.delete("/snapshots/{name}")
async def delete_snapshot(name: str, ctx: Context) -> dict[str, Any]:
    return {"deleted": ctx.snapshots.delete(name)}


async def _read_import(request: Request) -> tuple[UploadFile, str | None]:
    """The multipart body: ``file`` (the snapshot file) and an optional ``name``."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "multipart/form-data":
        raise BadRequest(
            "send the snapshot file as multipart/form-data, in a part named 'file' "
            f"(and optionally 'name'); got content type {kind or 'none'!r}"
        )
    try:
        form = await request.form(max_files=1, max_fields=1, max_part_size=1024)
    except (MultiPartException, ValueError) as exc:
        raise BadRequest(f"unreadable multipart body: {exc}") from None
    upload, name = form.get("file"), form.get("name")
    if not isinstance(upload, UploadFile):
        raise BadRequest("a part named 'file' holding the snapshot file is required")
    if name is not None and not isinstance(name, str):
        raise BadRequest("the part 'name' is a text field, not a file")
    return upload, name or None
