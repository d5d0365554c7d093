"""Projects and V3 drafts through the SDK client: save, conflict, validation, deny, refresh."""

from __future__ import annotations

import anyio
import httpx

from tests.surfaces.mcp.conftest import Storage, error_of, signed_in

TEXT_ONLY = """<draft fps="25" width="320" height="180" duration="2000">
  <track id="titles" type="text">
    <styles>.title { font-size: 40px; }</styles>
    <clip id="c1" in="0" out="2000"><div class="title">Golden Hour</div></clip>
  </track>
  <track id="fx" type="graphics">
    <data id="vals" type="json">{"glow": 0.5, "cmp": 1 < 2}</data>
    <render data="vals">gsap.to(el, {x: 10}); if (a && b < c) {}</render>
  </track>
</draft>
"""


async def _project(client) -> dict:
    made = await client.call_tool(
        "create_video_project", {"name": "demo", "width": 320, "height": 180, "fps": 25}
    )
    assert not made.is_error, made
    return made.structured_content


def test_save_keeps_the_template_verbatim_and_moves_the_version(live_mcp):
    async def flow() -> tuple[dict, dict]:
        async with signed_in(live_mcp.url) as client:
            project = await _project(client)
            saved = await client.call_tool(
                "save_v3_draft",
                {
                    "project_id": project["project_id"],
                    "session_id": project["session_id"],
                    "main_template": TEXT_ONLY,
                    "base_version": project["version"],
                },
            )
            read = await client.call_tool(
                "get_video_project", {"project_id": project["project_id"]}
            )
            return saved.structured_content, read.structured_content

    saved, read = anyio.run(flow)
    assert saved["version"] == 2 and saved["frame_count"] == 50
    assert read["main_template"] == TEXT_ONLY and read["version"] == 2


def test_a_stale_base_version_is_a_conflict_carrying_the_current_template(live_mcp):
    async def flow():
        async with signed_in(live_mcp.url) as client:
            project = await _project(client)
            args = {
                "project_id": project["project_id"],
                "session_id": project["session_id"],
                "main_template": TEXT_ONLY,
                "base_version": 1,
            }
            first = await client.call_tool("save_v3_draft", args)
            second = await client.call_tool("save_v3_draft", args)
            return first, second

    first, second = anyio.run(flow)
    assert not first.is_error
    assert second.is_error
    error = error_of(second)
    assert error["status"] == 409 and error["code"] == "version_conflict"
    assert error["current_version"] == 2 and error["main_template"] == TEXT_ONLY


def test_validation_names_the_element_and_attribute(live_mcp):
    bad = TEXT_ONLY.replace('in="0" out="2000"', 'in="1500" out="900"')

    async def flow():
        async with signed_in(live_mcp.url) as client:
            project = await _project(client)
            return await client.call_tool(
                "save_v3_draft",
                {
                    "project_id": project["project_id"],
                    "session_id": project["session_id"],
                    "main_template": bad,
                    "base_version": 1,
                },
            )

    result = anyio.run(flow)
    error = error_of(result)
    assert error["status"] == 400 and "<clip id='c1'>" in error["message"]
    assert "in=1500 must be before out=900" in error["message"]


def test_a_denied_consent_signs_nobody_in(live_mcp):
    live_mcp.consent(decision="deny")

    async def flow():
        async with signed_in(live_mcp.url) as client:
            await client.call_tool("get_credits", {})

    try:
        anyio.run(flow)
    except BaseException as exc:  # the SDK raises from its auth flow
        assert "access_denied" in repr(exc) or "authoris" in repr(exc), repr(exc)
    else:
        raise AssertionError("a denied consent still signed in")
    assert not live_mcp.surface.tables.oauth.access


def test_an_expired_access_token_is_refreshed_and_a_rotated_refresh_token_is_refused(live_mcp):
    storage = Storage()

    async def call(client):
        result = await client.call_tool("get_credits", {})
        assert not result.is_error
        return result

    async def flow():
        async with signed_in(live_mcp.url, storage) as client:
            await call(client)
            live_mcp.clock.advance(3601)  # the access token's hour is over, on the mock clock
            await call(client)

    anyio.run(flow)
    assert len(storage.history) == 2  # a new token after the old one expired on the mock clock
    assert storage.history[0].access_token != storage.history[1].access_token
    client_info = storage.client
    form = {
        "grant_type": "refresh_token",
        "refresh_token": storage.history[1].refresh_token,
        "client_id": client_info.client_id,
        "client_secret": client_info.client_secret or "",
    }
    rotated = httpx.post(f"{live_mcp.url}/oauth/token", data=form)
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["refresh_token"] != form["refresh_token"]
    assert rotated.json()["expires_in"] == 3600
    reused = httpx.post(f"{live_mcp.url}/oauth/token", data=form)
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    assert "already used" in reused.json()["error_description"]
