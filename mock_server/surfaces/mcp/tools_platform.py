"""The nine ``platform:*`` tools (listed only for creator accounts): find, read, preview and
list publications (``platform:read``); create resources or versions and attach one to a
project (``platform:write``); publish, roll back and unpublish (``platform:publish``).

The state and its rules are ``mock_server/domain/platform.py``; a template's content is a
whole V3 draft, validated like a save, and its preview is a real rendered frame.
"""

from __future__ import annotations

import json
import re
from typing import Any

from nemo_mock.mock_server.domain.draft_v3 import to_render_draft, validate_template
from nemo_mock.mock_server.domain.draft_v3.projects import V3Project
from nemo_mock.mock_server.domain.errors import InvalidDraft
from nemo_mock.mock_server.domain.platform import Resource
from nemo_mock.mock_server.surfaces.mcp.surface import McpSurface, Principal

Result = tuple[dict[str, Any], list[Any]]
_CLASS = re.compile(r"\.([A-Za-z_][\w-]*)\s*\{")


async def search_resources(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    found = mcp.platform.search(
        who.user_id,
        args.get("query", ""),
        args.get("kind"),
        args.get("scope", "all"),
        args.get("limit", 20),
    )
    return {"resources": [r.summary() for r in found], "count": len(found)}, []


async def get_platform_resource(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    resource = mcp.platform.readable(who.user_id, args["resource_id"])
    version = mcp.platform.version_of(who.user_id, resource, args.get("version"))
    return {
        **resource.summary(),
        "version": version.to_json(content=True),
        "versions": [v.to_json() for v in _visible_versions(who, resource)],
    }, []


async def preview_platform_resource(
    mcp: McpSurface, who: Principal, args: dict[str, Any]
) -> Result:
    resource = mcp.platform.readable(who.user_id, args["resource_id"])
    version = mcp.platform.version_of(who.user_id, resource, args.get("version"))
    data: dict[str, Any] = {
        "resource_id": resource.resource_id,
        "version": version.version,
        "kind": resource.kind,
        "description": _describe(resource.kind, version.content),
        "frame": None,
    }
    if resource.kind != "template":
        return data, []
    from nemo_mock.mock_server.surfaces.mcp.tools_media import _image

    parsed = validate_template(version.content, lambda _: None)
    frame = parsed.frame_count() // 2
    png = await mcp.frames.png(_stand_in(mcp, resource, version.version, parsed), frame)
    data["frame"] = {"frame": frame, "time_ms": frame * 1000 // parsed.fps}
    return data, [_image(png)]


async def list_resource_publications(
    mcp: McpSurface, who: Principal, args: dict[str, Any]
) -> Result:
    resource = mcp.platform.readable(who.user_id, args["resource_id"])
    return {
        "resource_id": resource.resource_id,
        "published_version": resource.published,
        "publications": [p.to_json() for p in resource.publications],
    }, []


async def create_platform_resources(
    mcp: McpSurface, who: Principal, args: dict[str, Any]
) -> Result:
    for item in args["resources"]:  # all checked before any is made
        kind = item.get("kind") or _kind_of(mcp, who, item)
        if kind == "template":
            validate_template(item["content"], mcp.media_check(who))
        if "resource_id" not in item and not {"kind", "name"} <= item.keys():
            raise InvalidDraft("a new resource needs kind, name and content")
    made = []
    for item in args["resources"]:
        if "resource_id" in item:
            resource = mcp.platform.add_version(who.user_id, item)
        else:
            ident = f"res_{mcp.backend.rng.getrandbits(48):012x}"
            resource = mcp.platform.create(who.user_id, ident, item)
        made.append({**resource.summary(), "version": resource.latest})
    return {"resources": made}, []


async def attach_platform_resource(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    project = mcp.project(who, args["project_id"])
    attachment = mcp.platform.attach(
        who.user_id, project.project_id, args["resource_id"], args.get("version")
    )
    return {
        "project_id": project.project_id,
        "resource_id": attachment.resource_id,
        "version": attachment.version,
        "use_node": attachment.use_node,
        "project_version": project.version,
    }, []


async def publish_platform_resource(
    mcp: McpSurface, who: Principal, args: dict[str, Any]
) -> Result:
    resource = mcp.platform.publish(who.user_id, args["resource_id"], args.get("version"))
    return _publication(resource), []


async def rollback_platform_resource(
    mcp: McpSurface, who: Principal, args: dict[str, Any]
) -> Result:
    resource = mcp.platform.rollback(who.user_id, args["resource_id"], args.get("version"))
    return _publication(resource), []


async def unpublish_platform_resource(
    mcp: McpSurface, who: Principal, args: dict[str, Any]
) -> Result:
    return _publication(mcp.platform.unpublish(who.user_id, args["resource_id"])), []


def _publication(resource: Resource) -> dict[str, Any]:
    return {
        "resource_id": resource.resource_id,
        "published_version": resource.published,
        "publication": resource.publications[-1].to_json(),
    }


def _visible_versions(who: Principal, resource: Resource) -> list[Any]:
    if resource.owner == who.user_id:
        return resource.versions
    public = resource.ever_published()
    return [v for v in resource.versions if v.version in public]


def _kind_of(mcp: McpSurface, who: Principal, item: dict[str, Any]) -> str:
    return mcp.platform.owned(who.user_id, item["resource_id"]).kind


def _describe(kind: str, content: str) -> str:
    if kind == "style":
        names = _CLASS.findall(content)
        return f"styles for the classes {', '.join('.' + n for n in names)}"
    if kind == "data":
        value = json.loads(content)
        keys = ", ".join(map(str, value)) if isinstance(value, dict) else type(value).__name__
        return f"JSON data ({keys})"
    if kind == "template":
        parsed = validate_template(content, lambda _: None)
        clips = sum(len(t.clips) for t in parsed.tracks)
        return (
            f"a {parsed.width}x{parsed.height} draft of {parsed.duration} ms at {parsed.fps} fps: "
            f"{len(parsed.tracks)} track(s), {clips} clip(s)"
        )
    first = content.strip().splitlines()[0] if content.strip() else ""
    return f"a {kind}: {first[:160]}"


def _stand_in(mcp: McpSurface, resource: Resource, version: int, parsed: Any) -> V3Project:
    """A template as a project the frame maker can render, in the owner's preview session
    (one per owner, holding the owner's media, so the template's asset:// URLs resolve)."""
    sessions = mcp.backend.sessions
    known = mcp.preview_sessions.get(resource.owner)
    mine = {s.session_id: s for s in sessions.of_user(resource.owner)}
    session = mine.get(known or "") or sessions.create(resource.owner, "platform previews", None)
    mcp.preview_sessions[resource.owner] = session.session_id
    have = {m.file_id for m in session.state.video_infos}
    for other in sessions.of_user(resource.owner):
        for media in other.state.video_infos:
            if media.file_id not in have:
                session.state.video_infos.append(media)
                have.add(media.file_id)
    mcp.adopt_generations(session, parsed)
    now = mcp.backend.clock.now()
    return V3Project(
        project_id=f"{resource.resource_id}",
        user_id=resource.owner,
        session_id=session.session_id,
        name=resource.name,
        template="",
        draft=parsed,
        created_at=now,
        updated_at=now,
        version=version,
        render_draft=to_render_draft(parsed),
    )
