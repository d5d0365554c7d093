"""Uploads, real frames, renders, generations and delegated turns through the SDK client."""

from __future__ import annotations

import base64
import io
import time

import anyio
import av
import httpx
import pytest

from tests.helpers.frames import png_size, rgb_at
from tests.surfaces.mcp.conftest import error_of, signed_in

pytestmark = pytest.mark.ffmpeg


def draft(photo: str, clip: str) -> str:
    return f"""<draft fps="10" width="320" height="180" duration="4000">
  <track id="v" type="video">
    <clip id="a" in="0" out="2000"><video src="{clip}"/></clip>
    <clip id="b" in="2000" out="4000"><image src="{photo}"/></clip>
  </track>
  <track id="fx" type="effect"><render>lottie.play('sparkle')</render></track>
  <transitions>
    <transition type="glsl_cross_dissolve" from-clip="a" to-clip="b" in="1800" duration="400"/>
  </transitions>
</draft>
"""


async def call(client, name: str, args: dict):
    result = await client.call_tool(name, args)
    return result, ({"error": error_of(result)} if result.is_error else result.structured_content)


async def save_draft(client, project: dict, photo: dict, clip: dict) -> dict:
    """Read the project, then save the photo-and-clip draft against the version read."""
    _, read = await call(client, "get_video_project", {"project_id": project["project_id"]})
    _, saved = await call(
        client,
        "save_v3_draft",
        {
            "project_id": project["project_id"],
            "session_id": project["session_id"],
            "main_template": draft(photo["url"], clip["url"]),
            "base_version": read["version"],
        },
    )
    return saved


async def uploaded_project(client, files_url: str) -> tuple[dict, dict, dict]:
    _, project = await call(client, "create_video_project", {"width": 320, "height": 180})
    pid = project["project_id"]
    _, photo = await call(
        client, "upload_asset", {"download_url": f"{files_url}/photo.png", "project_id": pid}
    )
    _, clip = await call(
        client, "upload_asset", {"download_url": f"{files_url}/venue_clip.mp4", "project_id": pid}
    )
    return project, photo, clip


def test_upload_save_frame_review_and_render(live_mcp, file_server):
    async def flow():
        async with signed_in(live_mcp.url) as client:
            project, photo, clip = await uploaded_project(client, file_server)
            pid = project["project_id"]
            assert (
                photo["url"] == f"asset://{photo['file_id']}" and photo["mime_type"] == "image/png"
            )
            assert clip["kind"] == "video" and clip["project_version"] == 3  # uploads move it
            saved = await save_draft(client, project, photo, clip)
            frame, meta = await call(client, "get_project_frame", {"project_id": pid, "frame": 30})
            review, listing = await call(
                client, "review_v3_draft", {"project_id": pid, "max_frames": 3}
            )
            _, pins = await call(client, "resolve_project_resource_versions", {"project_id": pid})
            _, started = await call(client, "render_video", {"project_id": pid, "quality": "low"})
            status = started
            for _ in range(240):
                _, status = await call(
                    client, "get_render_status", {"render_id": started["render_id"]}
                )
                if status["status"] in ("completed", "failed"):
                    break
                assert status["download_url"] is None  # no URL before it is completed
                await anyio.sleep(0.5)
            return saved, frame, meta, review, listing, pins, status

    saved, frame, meta, review, listing, pins, status = anyio.run(flow)
    assert saved["frame_count"] == 40
    png = base64.b64decode(frame.content[-1].data)
    assert png_size(png) == (320, 180) and meta["time_ms"] == 3000
    r, g, b = rgb_at(png, 0.5, 0.3)  # photo.png is #16a085 (22, 160, 133) with a pattern
    assert g > r + 60 and g > 100, (r, g, b)
    assert [f["frame"] for f in listing["frames"]] == [6, 20, 33]
    assert len([c for c in review.content if c.type == "image"]) == 3
    assert {p["type"] for p in pins["resources"]} == {"asset"}
    assert status["status"] == "completed", status
    video = httpx.get(status["download_url"], timeout=30)
    assert video.status_code == 200
    with av.open(io.BytesIO(video.content)) as container:
        assert abs(float(container.duration / av.time_base) - 4.0) < 0.2


def test_render_needs_starter_and_says_403(live_mcp):
    live_mcp.consent(plan="free", user_id="usr_free")

    async def flow():
        async with signed_in(live_mcp.url) as client:
            _, project = await call(client, "create_video_project", {})
            return await call(client, "render_video", {"project_id": project["project_id"]})

    result, body = anyio.run(flow)
    assert result.is_error
    assert body["error"]["status"] == 403 and body["error"]["code"] == "plan_required"
    assert body["error"]["retryable"] is False


def test_generation_is_charged_once_per_idempotency_key_and_402_when_broke(live_mcp):
    async def flow():
        async with signed_in(live_mcp.url) as client:
            _, project = await call(client, "create_video_project", {"width": 320, "height": 180})
            ask = {
                "prompt": "sunset over the sea",
                "duration_seconds": 2,
                "idempotency_key": "k1",
                "project_id": project["project_id"],
            }
            _, first = await call(client, "generate_video", ask)
            _, again = await call(client, "generate_video", ask)
            other, refused = await call(client, "generate_video", {**ask, "idempotency_key": "k2"})
            _, credits = await call(client, "get_credits", {})
            status = first
            for _ in range(120):
                _, status = await call(
                    client, "get_generation_status", {"generation_id": first["generation_id"]}
                )
                if status["status"] in ("completed", "failed"):
                    break
                await anyio.sleep(0.25)
            _, read = await call(client, "get_video_project", {"project_id": project["project_id"]})
            return first, again, other, refused, credits, status, read

    first, again, other, refused, credits, status, read = anyio.run(flow)
    assert again["generation_id"] == first["generation_id"]
    assert other.is_error and refused["error"]["status"] == 402
    assert refused["error"]["code"] == "insufficient_credits"
    assert credits["available"] == 0 and credits["frozen"] + credits["consumed"] == 100
    assert status["status"] == "completed" and status["url"].startswith("asset://gen_")
    assert read["version"] == 2  # the finished generation moved the project's version


def test_a_delegated_turn_runs_the_agent_and_moves_the_version(live_mcp):
    async def flow():
        async with signed_in(live_mcp.url) as client:
            _, project = await call(client, "create_video_project", {"width": 320, "height": 180})
            sid = project["session_id"]
            ask = {
                "session_id": sid,
                "message": "put a title 'Golden Hour' at the beginning",
                "turn_id": "t-1",
            }
            _, turn = await call(client, "delegate_to_nemo_agent", ask)
            _, repeat = await call(client, "delegate_to_nemo_agent", ask)
            busy, refused = await call(client, "delegate_to_nemo_agent", {**ask, "turn_id": "t-2"})
            deadline = time.monotonic() + 60
            while turn["turn_state"] == "running" and time.monotonic() < deadline:
                await anyio.sleep(0.2)
                _, turn = await call(client, "get_nemo_agent_turn", {"turn_id": "t-1"})
            _, read = await call(client, "get_video_project", {"project_id": project["project_id"]})
            return repeat, busy, refused, turn, read

    repeat, busy, refused, turn, read = anyio.run(flow)
    assert repeat["repeated"] is True and repeat["turn_id"] == "t-1"
    if busy.is_error:  # still running when asked: nothing accepted
        assert refused["error"]["code"] == "turn_running"
    assert turn["turn_state"] == "stopped" and turn["ok"] is True, turn
    assert "Golden Hour" in read["main_template"] and read["version"] > 1


def test_a_render_fault_on_render_video_fails_the_job_with_its_reason(live_mcp, file_server):
    """``render_fail`` acts on the MCP tool as on the skill's export (one job service)."""
    rule = {"spec": 'op=mcp.render_video render_fail="encoder crashed"'}
    assert httpx.post(f"{live_mcp.url}/_mock/faults", json=rule, timeout=10).status_code == 201

    async def flow():
        async with signed_in(live_mcp.url) as client:
            project, photo, clip = await uploaded_project(client, file_server)
            pid = project["project_id"]
            await save_draft(client, project, photo, clip)
            _, status = await call(client, "render_video", {"project_id": pid, "quality": "low"})
            for _ in range(240):
                if status["status"] in ("completed", "failed"):
                    break
                await anyio.sleep(0.25)
                _, status = await call(
                    client, "get_render_status", {"render_id": status["render_id"]}
                )
            return status

    status = anyio.run(flow)
    assert status["status"] == "failed", status
    assert status["error"] == "encoder crashed" and status["download_url"] is None
