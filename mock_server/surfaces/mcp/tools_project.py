"""Tools over accounts and projects: credits, create, read, save (optimistic locking),
preview and the resources a draft pins."""

from __future__ import annotations

from typing import Any

from nemo_mock.mock_server.domain.draft_v3 import empty_template, media_id, validate_template
from nemo_mock.mock_server.domain.draft_v3.projects import V3Project
from nemo_mock.mock_server.surfaces.mcp import faults
from nemo_mock.mock_server.surfaces.mcp.surface import McpSurface, Principal

Result = tuple[dict[str, Any], list[Any]]


async def get_credits(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    ledger = mcp.backend.ledger
    balance = ledger.balance(who.user_id)
    granted, consumed = ledger.history(who.user_id)
    return {
        "available": balance.available,
        "frozen": balance.frozen,
        "total": balance.total,
        "granted": granted,
        "consumed": consumed,
        "plan": who.plan,
    }, []


async def create_video_project(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    width, height = args.get("width", 1920), args.get("height", 1080)
    fps, duration = args.get("fps", 30), args.get("duration", 10_000)
    name = args.get("name", "project")
    session = mcp.backend.sessions.create(who.user_id, name, None)
    template = empty_template(width, height, fps, duration)
    parsed = validate_template(template, mcp.media_check(who))
    now = mcp.backend.clock.now()
    project = mcp.projects.add(
        V3Project(
            project_id=session.task_id,  # the gateway's project id: one project model
            user_id=who.user_id,
            session_id=session.session_id,
            name=name,
            template=template,
            draft=parsed,
            created_at=now,
            updated_at=now,
        )
    )
    mcp.apply(project, parsed)
    return project.to_json(), []


async def get_video_project(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    project = mcp.project(who, args["project_id"])
    session = mcp.session_of(project)
    uploads = [
        {
            "url": f"asset://{m.file_id}",
            "file_id": m.file_id,
            "kind": m.file_type,
            "filename": m.filename,
            "duration": m.duration,
            "width": m.width,
            "height": m.height,
        }
        for s in mcp.backend.sessions.of_user(who.user_id)
        for m in s.state.video_infos
    ]
    generated = mcp.generations.listing(who.user_id) if mcp.generations else []
    running = mcp.turns.running_in(project.session_id) if mcp.turns else False
    return {
        **project.to_json(),
        "turn_running": running,
        "resolver_context": {
            "assets": uploads,
            "generations": generated,
            "canvas": session.state.canvas.to_json(),
            "fps": project.draft.fps,
            "frame_count": project.draft.frame_count(),
        },
    }, []


async def save_v3_draft(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    project = mcp.project(who, args["project_id"])
    if args["session_id"] != project.session_id:
        from nemo_mock.mock_server.domain.errors import BadRequest

        raise BadRequest(
            f"session_id {args['session_id'][:64]!r} is not the session of project "
            f"{project.project_id!r} (its session is {project.session_id!r})"
        )
    pins = mcp.platform.pinned_for(project.project_id)
    parsed = validate_template(args["main_template"], mcp.media_check(who), pins)
    from nemo_mock.mock_server.domain.draft_v3 import to_render_draft

    fault = faults.active()
    if fault is not None and fault.version_conflict:
        mcp.projects.touch(project, "background write (fault injected)")

    to_render_draft(parsed)  # refuse what the engine cannot show before anything changes
    version = mcp.projects.save(project, args["main_template"], parsed, args["base_version"])
    mcp.apply(project, parsed)
    return {
        "project_id": project.project_id,
        "version": version,
        "saved": True,
        "duration": parsed.duration,
        "frame_count": parsed.frame_count(),
    }, []


async def preview_video(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    project = mcp.project(who, args["project_id"])
    draft = project.render_draft
    summary = draft.summary() if draft is not None and draft.tracks else "Timeline (empty)"
    return {
        "project_id": project.project_id,
        "version": project.version,
        "summary": summary,
        "duration": project.draft.duration,
        "fps": project.draft.fps,
    }, []


async def resolve_project_resource_versions(
    mcp: McpSurface, who: Principal, args: dict[str, Any]
) -> Result:
    project = mcp.project(who, args["project_id"])
    resources: list[dict[str, Any]] = []
    for url in project.draft.media_urls():
        ident = media_id(url)
        entry: dict[str, Any] = {"url": url, "id": ident, "version": 1}
        upload = mcp.upload_of(who.user_id, ident)
        if upload is not None:
            entry.update(kind=upload.file_type, hash=upload.hash, type="asset")
        else:
            entry.update(type="generation")
        resources.append(entry)
    for resource_id, pinned in project.draft.resources:
        found = mcp.platform.tables.resources.get(resource_id)
        resources.append(
            {
                "id": resource_id,
                "type": "platform",
                "version": int(pinned) if pinned and pinned.isdigit() else None,
                "kind": found.kind if found else None,
                "name": found.name if found else None,
                "published_version": found.published if found else None,
            }
        )
    return {
        "project_id": project.project_id,
        "version": project.version,
        "resources": resources,
    }, []
