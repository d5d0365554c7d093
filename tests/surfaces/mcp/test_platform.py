"""The nine platform:* tools through the SDK client: listed for creators only; create,
version, publish, catalogue across accounts, rollback, unpublish, attach and pin, preview."""

from __future__ import annotations

import base64

import anyio
import pytest

from nemo_mock.mock_server.domain.oauth import SCOPES
from tests.surfaces.mcp.conftest import error_of, signed_in

PLATFORM_TOOLS = {
    "search_resources",
    "get_platform_resource",
    "preview_platform_resource",
    "list_resource_publications",
    "create_platform_resources",
    "attach_platform_resource",
    "publish_platform_resource",
    "rollback_platform_resource",
    "unpublish_platform_resource",
}
TEMPLATE = """<draft fps="10" width="160" height="90" duration="1000">
  <track id="t" type="text">
    <styles>.big { font-size: 40px; }</styles>
    <clip id="c" in="0" out="1000"><div class="big">HELLO</div></clip>
  </track>
</draft>
"""


def creator(live_mcp, user: str) -> None:
    live_mcp.consent(user_id=user, creator=True, scopes=list(SCOPES))


async def ok(client, name: str, args: dict) -> dict:
    result = await client.call_tool(name, args)
    assert not result.is_error, result.content[0].text
    return result.structured_content


def test_platform_tools_are_listed_only_for_creators(live_mcp):
    async def names() -> set[str]:
        async with signed_in(live_mcp.url) as client:
            return {t.name for t in (await client.list_tools()).tools}

    plain = anyio.run(names)
    creator(live_mcp, "usr_creator")
    full = anyio.run(names)
    assert not plain & PLATFORM_TOOLS
    assert full >= PLATFORM_TOOLS and len(full) == 26


def test_publish_rollback_unpublish_across_accounts(live_mcp):
    creator(live_mcp, "usr_alice")

    async def alice() -> str:
        async with signed_in(live_mcp.url) as client:
            made = await ok(
                client,
                "create_platform_resources",
                {
                    "resources": [
                        {
                            "kind": "style",
                            "name": "Warm titles",
                            "tags": ["titles"],
                            "content": ".t { color: orange; }",
                        }
                    ]
                },
            )
            rid = made["resources"][0]["resource_id"]
            for colour in ("red", "gold"):
                await ok(
                    client,
                    "create_platform_resources",
                    {"resources": [{"resource_id": rid, "content": f".t {{ color: {colour}; }}"}]},
                )
            await ok(client, "publish_platform_resource", {"resource_id": rid, "version": 1})
            await ok(client, "publish_platform_resource", {"resource_id": rid})  # latest: 3
            return rid

    rid = anyio.run(alice)
    creator(live_mcp, "usr_bob")

    async def bob():
        async with signed_in(live_mcp.url) as client:
            found = await ok(client, "search_resources", {"query": "warm"})
            read = await ok(client, "get_platform_resource", {"resource_id": rid})
            hidden = await client.call_tool(
                "get_platform_resource", {"resource_id": rid, "version": 2}
            )
            refused = await client.call_tool("unpublish_platform_resource", {"resource_id": rid})
            return found, read, hidden, refused

    found, read, hidden, refused = anyio.run(bob)
    assert [r["resource_id"] for r in found["resources"]] == [rid]
    assert read["version"]["version"] == 3 and "gold" in read["version"]["content"]
    assert [v["version"] for v in read["versions"]] == [1, 3]
    assert error_of(hidden)["status"] == 404
    assert error_of(refused)["status"] == 404  # not bob's to unpublish
    creator(live_mcp, "usr_alice")

    async def alice_again():
        async with signed_in(live_mcp.url) as client:
            back = await ok(client, "rollback_platform_resource", {"resource_id": rid})
            gone = await ok(client, "unpublish_platform_resource", {"resource_id": rid})
            log = await ok(client, "list_resource_publications", {"resource_id": rid})
            return back, gone, log

    back, gone, log = anyio.run(alice_again)
    assert back["published_version"] == 1 and gone["published_version"] is None
    assert [(p["action"], p["version"]) for p in log["publications"]] == [
        ("publish", 1),
        ("publish", 3),
        ("rollback", 1),
        ("unpublish", None),
    ]
    creator(live_mcp, "usr_bob")

    async def bob_again():
        async with signed_in(live_mcp.url) as client:
            found = await ok(client, "search_resources", {"query": "warm"})
            still = await ok(client, "get_platform_resource", {"resource_id": rid, "version": 3})
            return found, still

    found, still = anyio.run(bob_again)
    assert found["resources"] == []  # out of the catalogue
    assert "gold" in still["version"]["content"]  # versions stay readable


def test_a_draft_pins_an_attached_version_and_resolve_lists_it(live_mcp):
    creator(live_mcp, "usr_alice")

    async def flow():
        async with signed_in(live_mcp.url) as client:
            made = await ok(
                client,
                "create_platform_resources",
                {"resources": [{"kind": "data", "name": "Palette", "content": '{"a": 1}'}]},
            )
            rid = made["resources"][0]["resource_id"]
            project = await ok(client, "create_video_project", {"width": 320, "height": 180})
            pin = f'<use resource="{rid}" version="1"/>'
            template = project["main_template"].replace("</draft>", f"  {pin}\n</draft>")
            template = template.replace(f"  {pin}\n</draft>", "</draft>")
            with_pin = TEMPLATE.replace("</clip>", f"{pin}</clip>")
            save = {
                "project_id": project["project_id"],
                "session_id": project["session_id"],
                "main_template": with_pin,
                "base_version": project["version"],
            }
            refused = await client.call_tool("save_v3_draft", save)
            attached = await ok(
                client,
                "attach_platform_resource",
                {"project_id": project["project_id"], "resource_id": rid},
            )
            saved = await ok(client, "save_v3_draft", save)
            pins = await ok(
                client, "resolve_project_resource_versions", {"project_id": project["project_id"]}
            )
            return rid, refused, attached, saved, pins

    rid, refused, attached, saved, pins = anyio.run(flow)
    problem = error_of(refused)
    assert problem["status"] == 400 and "not attached to this project" in problem["message"]
    assert attached["use_node"] == f'<use resource="{rid}" version="1"/>'
    assert saved["saved"] is True
    platform = [r for r in pins["resources"] if r["type"] == "platform"]
    assert platform == [
        {
            "id": rid,
            "type": "platform",
            "version": 1,
            "kind": "data",
            "name": "Palette",
            "published_version": None,
        }
    ]


def test_a_template_that_is_not_a_valid_draft_is_refused_whole(live_mcp):
    creator(live_mcp, "usr_alice")

    async def flow():
        async with signed_in(live_mcp.url) as client:
            bad = TEMPLATE.replace('out="1000"', 'out="5000"')
            refused = await client.call_tool(
                "create_platform_resources",
                {
                    "resources": [
                        {"kind": "style", "name": "ok", "content": ".a { color: red; }"},
                        {"kind": "template", "name": "bad", "content": bad},
                    ]
                },
            )
            listed = await ok(client, "search_resources", {"scope": "mine"})
            return refused, listed

    refused, listed = anyio.run(flow)
    assert error_of(refused)["status"] == 400 and "duration" in error_of(refused)["message"]
    assert listed["resources"] == []  # nothing was made


@pytest.mark.ffmpeg
def test_a_template_preview_is_a_real_frame(live_mcp):
    creator(live_mcp, "usr_alice")

    async def flow():
        async with signed_in(live_mcp.url) as client:
            made = await ok(
                client,
                "create_platform_resources",
                {"resources": [{"kind": "template", "name": "Hello card", "content": TEMPLATE}]},
            )
            rid = made["resources"][0]["resource_id"]
            return await client.call_tool("preview_platform_resource", {"resource_id": rid})

    result = anyio.run(flow)
    assert not result.is_error, result.content[0].text
    data = result.structured_content
    assert data["frame"] == {"frame": 5, "time_ms": 500}
    assert "160x90" in data["description"]
    png = base64.b64decode(result.content[-1].data)
    from tests.helpers.frames import png_size, rgb_at

    assert png_size(png) == (160, 90)
    brightest = max(sum(rgb_at(png, x / 40, 0.5)) for x in range(40))
    darkest = min(sum(rgb_at(png, x / 40, 0.05)) for x in range(40))
    assert brightest > 400 and darkest < brightest - 200  # the text stands out of the card
