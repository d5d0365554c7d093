"""The WebSocket chat: the same turns as /run_sse, framed as the CLI reads them."""

from __future__ import annotations

import json
import threading

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.surfaces.gateway.conftest import Gateway, mint, receive

BRIEF = "a 5 second coffee ad. Duration: 5 seconds. Aspect ratio: 9:16"


def _types(frames: list[dict]) -> list[str]:
    return [f["type"] for f in frames]


def test_a_create_brief_generates_in_the_asked_shape_and_pays_once(gateway: Gateway):
    made = gateway.project()
    session_id = made["session"]["session_id"]
    frames = gateway.chat(session_id, BRIEF)
    types = _types(frames)
    assert types[:3] == ["warming_up", "status", "session_ready"]
    assert frames[2]["session_id"] == session_id
    assert types[3] == "message_accepted" and types[-1] == "done"
    assert "generate_video" in next(f["tool"] for f in frames if f["type"] == "tool_start")
    assert types.index("tool_start") < types.index("tool_end") < types.index("text")
    draft = gateway.get(f"/api/v1/state/frontend/{made['project_id']}")["project"]
    assert draft["timeline_draft"]["d"] == 5000
    assert (draft["canvas_config"]["width"], draft["canvas_config"]["height"]) == (1080, 1920)
    balance = gateway.get("/billing/balance")
    assert (balance["available"], balance["total_consumed"]) == (400, 100)
    usage = gateway.get("/billing/usage/conversations")["items"][0]
    assert usage["amount_delta"] == -100 and usage["conversation"]["user_message"] == BRIEF


def test_chunks_join_to_the_full_text(gateway: Gateway):
    frames = gateway.chat(gateway.project()["session"]["session_id"], "hello, what can you do?")
    text = next(f["text"] for f in frames if f["type"] == "text")
    chunks = [f["text"] for f in frames if f["type"] == "chunk"]
    assert chunks and "".join(chunks) == text


def _closed(client: TestClient, url: str) -> WebSocketDisconnect:
    """How the server closed a socket before anything was sent on it."""
    with client.websocket_connect(url) as ws, pytest.raises(WebSocketDisconnect) as closed:
        ws.receive_json()
    return closed.value


def test_a_bad_token_closes_with_4001(client: TestClient, gateway: Gateway):
    session_id = gateway.project()["session"]["session_id"]
    client.post("/_mock/tokens/revoke", json={"token": gateway.token})
    closed = _closed(client, f"/ws/chat?token={gateway.token}&session_id={session_id}")
    assert closed.code == 4001 and "revoked" in closed.reason


@pytest.mark.parametrize("query", ["", "&session_id=123", "&session_id="])
def test_a_missing_or_unknown_session_closes_with_4002(client, gateway: Gateway, query):
    closed = _closed(client, f"/ws/chat?token={gateway.token}{query}")
    assert closed.code == 4002 and "session" in closed.reason


def test_another_users_session_closes_with_4002(client: TestClient, gateway: Gateway):
    session_id = gateway.project()["session"]["session_id"]
    other = mint(client)
    assert _closed(client, f"/ws/chat?token={other}&session_id={session_id}").code == 4002


def test_ping_is_answered_and_bad_messages_are_named(gateway: Gateway):
    session_id = gateway.project()["session"]["session_id"]
    url = f"/ws/chat?token={gateway.token}&session_id={session_id}"
    with gateway.client.websocket_connect(url) as ws:
        while receive(ws)["type"] != "session_ready":
            pass
        ws.send_json({"type": "ping"})
        assert receive(ws) == {"type": "pong"}
        ws.send_text("not json")
        assert "not JSON" in receive(ws)["error"]
        ws.send_json({"type": "message", "content": ""})
        assert "content: '' should be non-empty" in receive(ws)["error"]
        ws.send_json({"type": "shout"})
        refused = receive(ws)
        assert refused["code"] == 400 and "unknown type 'shout'" in refused["error"]


def test_no_credits_is_an_error_frame_with_2001(client: TestClient):
    gateway = Gateway(client, mint(client, credits=0))
    session_id = gateway.project()["session"]["session_id"]
    url = f"/ws/chat?token={gateway.token}&session_id={session_id}"
    with client.websocket_connect(url) as ws:
        while receive(ws)["type"] != "session_ready":
            pass
        ws.send_json({"type": "message", "content": BRIEF, "metadata": {}})
        frame = receive(ws)
    assert frame["type"] == "error" and frame["code"] == 2001 and "credits" in frame["error"]
    entries = client.get("/_mock/journal").json()["entries"]
    (entry,) = [e for e in entries if e["operation"] == "gateway.chatSocket"]
    assert entry["code"] == 2001  # the refusal on the socket, for the rules and check-client


def test_a_reconnect_gets_the_rest_of_the_turn_and_done(gateway: Gateway, monkeypatch):
    made = gateway.project()
    session_id = made["session"]["session_id"]
    url = f"/ws/chat?token={gateway.token}&session_id={session_id}"
    # the turn's clip is held until the first socket is gone: else a turn whose clip is
    # cached may end, and its done go out on that socket, before the client leaves
    cache = gateway.client.app.state.mock.turns.synthesis_cache  # type: ignore[attr-defined]
    gone, obtain = threading.Event(), cache.obtain
    monkeypatch.setattr(cache, "obtain", lambda *a: gone.wait(30) and obtain(*a))
    with gateway.client.websocket_connect(url) as ws:
        while receive(ws)["type"] != "session_ready":
            pass
        ws.send_json({"type": "message", "content": BRIEF, "metadata": {}})
        assert receive(ws)["type"] == "message_accepted"
    gone.set()
    with gateway.client.websocket_connect(url) as ws:  # the prompt is not sent again
        frames = [receive(ws)]
        while frames[-1]["type"] != "done":
            frames.append(receive(ws))
    assert "tool_end" in _types(frames) and frames[-1]["turn"] == 1
    assert gateway.get("/billing/balance")["total_consumed"] == 100  # charged once


def test_a_chat_is_one_journal_entry_with_its_frames_and_no_raw_token(gateway: Gateway):
    session_id = gateway.project()["session"]["session_id"]
    gateway.chat(session_id, "hello, what can you do?")
    entries = gateway.client.get("/_mock/journal").json()["entries"]
    (entry,) = [e for e in entries if e["operation"] == "gateway.chatSocket"]
    assert (entry["status"], entry["session_id"], entry["outcome"]) == (
        101,
        session_id,
        "completed",
    )
    sent = [json.loads(e["data"])["type"] for e in entry["events"]]
    assert sent[:3] == ["warming_up", "status", "session_ready"] and sent[-1] == "done"
    (client_frame,) = entry["notes"]["client_frames"]
    assert json.loads(client_frame["data"])["content"] == "hello, what can you do?"
    assert entry["notes"]["turns"] == [1] and entry["token"].startswith("fp_")
    assert gateway.token not in json.dumps(entry)
    assert entry["secrets_in_url"] == [entry["token"]]


def test_a_refused_socket_is_journaled_with_its_close_code(client: TestClient, gateway):
    _closed(client, f"/ws/chat?token={gateway.token}&session_id=42")
    entries = client.get("/_mock/journal").json()["entries"]
    (entry,) = [e for e in entries if e["operation"] == "gateway.chatSocket"]
    assert entry["code"] == 4002 and entry["notes"]["close_code"] == 4002


def test_every_frame_of_a_generation_turn_is_in_the_contract(gateway: Gateway):
    frames = gateway.chat(gateway.project()["session"]["session_id"], BRIEF)  # receive() checks
    assert {"tool_start", "tool_end", "chunk", "text", "done"} <= set(_types(frames))
