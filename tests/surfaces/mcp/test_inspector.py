"""The MCP Inspector's CLI lists and calls tools against the mock, with a token from the
OAuth flow done by hand (register, authorise with PKCE S256, consent, token)."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.surfaces.mcp.conftest import token_by_hand
from tests.surfaces.mcp.inspector import inspector_cli

pytestmark = [pytest.mark.live, pytest.mark.slow]


@pytest.fixture(scope="module")
def inspector() -> list[str]:
    command, why = inspector_cli()
    if command is None:
        pytest.skip(why)
    return command


def run(inspector: list[str], url: str, token: str, *args: str, ok: bool = True) -> dict:
    done = subprocess.run(
        [
            *inspector,
            f"{url}/mcp",
            "--transport",
            "http",
            "--header",
            f"Authorization: Bearer {token}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert (done.returncode == 0) is ok, done.stdout + done.stderr
    answer, _ = json.JSONDecoder().raw_decode(done.stdout.lstrip())  # the result comes first
    return answer


def test_the_inspector_lists_the_tools_the_grant_allows(inspector, live_mcp):
    token = token_by_hand(live_mcp.url, scope="billing:read workspace:write video:read")
    listed = run(inspector, live_mcp.url, token, "--method", "tools/list")
    names = {tool["name"] for tool in listed["tools"]}
    assert {"get_credits", "create_video_project", "save_v3_draft"} <= names
    assert "delegate_to_nemo_agent" not in names  # agent:chat was not granted


def test_the_inspector_calls_tools(inspector, live_mcp):
    token = token_by_hand(live_mcp.url)
    credits = run(
        inspector, live_mcp.url, token, "--method", "tools/call", "--tool-name", "get_credits"
    )
    assert credits["structuredContent"]["available"] == 100
    made = run(
        inspector,
        live_mcp.url,
        token,
        "--method",
        "tools/call",
        "--tool-name",
        "create_video_project",
        "--tool-arg",
        "name=inspected",
    )
    project = made["structuredContent"]
    assert project["version"] == 1 and project["main_template"].startswith("<draft ")
    assert live_mcp.surface.tables.projects[project["project_id"]].name == "inspected"


def test_a_missing_scope_is_a_tool_error_for_the_inspector_too(inspector, live_mcp):
    token = token_by_hand(live_mcp.url, scope="video:read")
    answer = run(
        inspector,
        live_mcp.url,
        token,
        "--method",
        "tools/call",
        "--tool-name",
        "get_credits",
        ok=False,
    )
    assert answer["isError"] is True
    error = json.loads(answer["content"][0]["text"])["error"]
    assert error["status"] == 403 and error["code"] == "scope_missing"
