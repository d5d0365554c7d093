"""Faults by MCP tool name: each tool is an operation (``mcp.<tool>``) of the journal and
the fault rules; errors are tool errors, and the MCP kinds act in the surface."""

from __future__ import annotations

import anyio
import httpx
import pytest

from nemo_mock.mock_server.domain.secrets import fingerprint
from tests.surfaces.mcp.conftest import Storage, error_of, signed_in


def arm(url: str, **rule) -> dict:
    r = httpx.post(f"{url}/_mock/faults", json=rule, timeout=10)
    assert r.status_code in (200, 201), r.text
    return r.json()


def journal(url: str) -> list[dict]:
    r = httpx.get(f"{url}/_mock/journal", timeout=30)
    assert r.status_code == 200
    body = r.json()
    return body["entries"] if isinstance(body, dict) else body


async def _project(client) -> dict:
    made = await client.call_tool("create_video_project", {"width": 320, "height": 180})
    assert not made.is_error, made
    return made.structured_content


def test_each_tool_call_is_journaled_as_its_tool(live_mcp):
    async def flow():
        async with signed_in(live_mcp.url) as client:
            project = await _project(client)
            await client.call_tool("get_video_project", {"project_id": project["project_id"]})
            return project

    project = anyio.run(flow)
    entries = journal(live_mcp.url)
    operations = [e["operation"] for e in entries]
    assert "mcp.create_video_project" in operations and "mcp.get_video_project" in operations
    assert "mcp.postMcpMessage" in operations  # initialize, tools/list: not tool calls
    made = next(e for e in entries if e["operation"] == "mcp.create_video_project")
    assert made["request"]["body"]["params"]["name"] == "create_video_project"
    assert project["project_id"]


def test_an_unknown_operation_name_is_refused_and_a_tool_name_is_known(live_mcp):
    bad = httpx.post(
        f"{live_mcp.url}/_mock/faults",
        json={"operation": "mcp.no_such_tool", "action": {"error": 500}},
    )
    assert bad.status_code in (400, 422) and "mcp.no_such_tool" in bad.text
    arm(live_mcp.url, operation="mcp.get_credits", action={"latency_ms": 1})


def test_an_error_on_a_tool_is_a_tool_error_with_this_surfaces_meaning(live_mcp):
    arm(live_mcp.url, operation="mcp.generate_video", action={"error": 402})
    arm(live_mcp.url, operation="mcp.get_credits", action={"error": 429, "retry_after": 7})

    async def flow():
        async with signed_in(live_mcp.url) as client:
            generated = await client.call_tool(
                "generate_video", {"prompt": "sea", "idempotency_key": "k1"}
            )
            limited = await client.call_tool("get_credits", {})
            again = await client.call_tool("get_credits", {})  # times: 1 by default
            return generated, limited, again

    generated, limited, again = anyio.run(flow)
    refused = error_of(generated)
    assert refused["status"] == 402 and refused["code"] == "insufficient_credits"
    assert refused["retryable"] is False and "[nemo-mock fault f1]" in refused["message"]
    slow = error_of(limited)
    assert slow["status"] == 429 and slow["retry_after"] == 7 and slow["retryable"] is True
    assert not again.is_error
    # nothing was charged: the injected 402 came before the tool ran
    assert live_mcp.app.state.mock.backend.ledger.balance("usr_mcp_default").frozen == 0
    fired = [e for e in journal(live_mcp.url) if e.get("fault")]
    assert {e["operation"] for e in fired} == {"mcp.generate_video", "mcp.get_credits"}


def test_version_conflict_makes_the_save_meet_a_real_conflict(live_mcp):
    arm(live_mcp.url, spec="operation=mcp.save_v3_draft version_conflict")

    async def flow():
        async with signed_in(live_mcp.url) as client:
            project = await _project(client)
            args = {
                "project_id": project["project_id"],
                "session_id": project["session_id"],
                "main_template": project["main_template"],
                "base_version": project["version"],
            }
            first = await client.call_tool("save_v3_draft", args)
            conflict = error_of(first)
            second = await client.call_tool(
                "save_v3_draft", {**args, "base_version": conflict["current_version"]}
            )
            return project, conflict, second

    project, conflict, second = anyio.run(flow)
    assert conflict["status"] == 409 and conflict["code"] == "version_conflict"
    assert conflict["current_version"] == project["version"] + 1
    assert conflict["main_template"] == project["main_template"]
    assert second.structured_content["version"] == project["version"] + 2


@pytest.mark.ffmpeg
def test_turn_stuck_reports_running_until_cancelled(live_mcp):
    arm(live_mcp.url, operation="mcp.delegate_to_nemo_agent", action={"turn_stuck": True})

    async def flow():
        async with signed_in(live_mcp.url) as client:
            project = await _project(client)
            sid = project["session_id"]
            ask = {"session_id": sid, "message": "put a title 'Stuck' at the beginning"}
            turn = (await client.call_tool("delegate_to_nemo_agent", ask)).structured_content
            record = live_mcp.surface.tables.turns[turn["turn_id"]]
            with anyio.fail_after(60):
                while not record.turn.done.is_set():  # the work itself finishes
                    await anyio.sleep(0.1)
            polled = await client.call_tool("get_nemo_agent_turn", {"turn_id": turn["turn_id"]})
            busy = await client.call_tool("delegate_to_nemo_agent", {**ask, "message": "hi"})
            cancelled = await client.call_tool(
                "cancel_nemo_agent_turn", {"turn_id": turn["turn_id"]}
            )
            return polled.structured_content, busy, cancelled.structured_content

    polled, busy, cancelled = anyio.run(flow)
    assert polled["turn_state"] == "running" and polled["ok"] is False
    assert error_of(busy)["code"] == "turn_running"
    assert cancelled["turn_state"] == "stopped" and "user_abort" in cancelled["runtime_statuses"]


def test_refresh_refused_refuses_the_refresh_grant_and_revokes_it(live_mcp):
    storage = Storage()

    async def sign_in():
        async with signed_in(live_mcp.url, storage) as client:
            assert not (await client.call_tool("get_credits", {})).is_error

    anyio.run(sign_in)
    assert storage.tokens is not None and storage.client is not None
    arm(live_mcp.url, operation="mcp.issueToken", action={"refresh_refused": True})
    form = {
        "grant_type": "refresh_token",
        "refresh_token": storage.tokens.refresh_token,
        "client_id": storage.client.client_id,
    }
    if storage.client.client_secret:
        form["client_secret"] = storage.client.client_secret
    refused = httpx.post(f"{live_mcp.url}/oauth/token", data=form)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    assert "fault" in refused.json()["error_description"]
    again = httpx.post(f"{live_mcp.url}/oauth/token", data=form)  # the rule fired once
    assert again.status_code == 400 and "revoked" in again.json()["error_description"]


def test_expire_token_on_a_tool_expires_the_oauth_access_token(live_mcp):
    storage = Storage()
    arm(live_mcp.url, operation="mcp.get_credits", action={"expire_token": True})

    async def flow():
        async with signed_in(live_mcp.url, storage) as client:
            first_token = storage.tokens.access_token
            result = await client.call_tool("get_credits", {})
            return first_token, result

    first_token, result = anyio.run(flow)
    book = live_mcp.app.state.mock.backend.store.mcp.oauth
    assert book.access[fingerprint(first_token)].expires_at <= live_mcp.clock.now()
    # the SDK client met the 401 and signed in again: the call still got its answer
    assert not result.is_error and storage.tokens.access_token != first_token
    statuses = [e["status"] for e in journal(live_mcp.url) if e["path"] == "/mcp"]
    assert 401 in statuses


def test_a_turn_that_ends_asking_is_awaiting_input_and_an_answer_continues(live_mcp):
    async def flow():
        async with signed_in(live_mcp.url) as client:
            project = await _project(client)
            sid = project["session_id"]
            ask = {"session_id": sid, "message": "put a title at the beginning"}
            turn = (await client.call_tool("delegate_to_nemo_agent", ask)).structured_content
            with anyio.fail_after(60):
                while turn["turn_state"] == "running":
                    await anyio.sleep(0.1)
                    polled = await client.call_tool(
                        "get_nemo_agent_turn", {"turn_id": turn["turn_id"]}
                    )
                    turn = polled.structured_content
            answer = await client.call_tool(
                "delegate_to_nemo_agent", {"session_id": sid, "message": "hello"}
            )
            return turn, answer

    turn, answer = anyio.run(flow)
    assert turn["turn_state"] == "awaiting_input" and turn["ok"] is False
    asked = turn["events"][-1]
    assert (
        asked["name"] == "ask_question" and "What should the text say" in asked["args"]["question"]
    )
    assert not answer.is_error  # the session takes the answer: no turn is running
