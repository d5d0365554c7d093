"""Faults on the chat socket's handshake, as the CLI meets them (faults/sockets.py)."""

from __future__ import annotations

import itertools

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from tests.surfaces.gateway.conftest import Gateway, receive


def _arm(client: TestClient, action: dict, times: int = 1) -> None:
    rule = {"operation": "gateway.chatSocket", "action": action, "times": times}
    response = client.post("/_mock/faults", json=rule)
    assert response.status_code == 201, response.text


def _url(gateway: Gateway) -> str:
    session_id = gateway.project()["session"]["session_id"]
    return f"/ws/chat?token={gateway.token}&session_id={session_id}"


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_handshake_error_refuses_the_upgrade_then_the_next_one_works(gateway, status):
    url = _url(gateway)
    _arm(gateway.client, {"error": status})
    with pytest.raises(WebSocketDenialResponse) as refused:
        gateway.client.websocket_connect(url).__enter__()
    assert refused.value.status_code == status
    with gateway.client.websocket_connect(url) as ws:
        assert receive(ws)["type"] == "warming_up"


def test_a_403_carries_the_reason_the_cli_reads(gateway: Gateway):
    url = _url(gateway)
    _arm(gateway.client, {"error": 403, "message": "token has been revoked"})
    with pytest.raises(WebSocketDenialResponse) as refused:
        gateway.client.websocket_connect(url).__enter__()
    assert refused.value.status_code == 403
    assert "token has been revoked" in refused.value.json()["reason"]


@pytest.mark.parametrize(("code", "close"), [(1001, 4001), (1002, 4002)])
def test_auth_and_session_errors_close_with_the_cli_codes(gateway: Gateway, code, close):
    url = _url(gateway)
    _arm(gateway.client, {"error": code})
    with gateway.client.websocket_connect(url) as ws, pytest.raises(WebSocketDisconnect) as gone:
        ws.receive_json()
    assert gone.value.code == close and "nemo-mock fault" in gone.value.reason


def test_a_drop_closes_before_session_ready_and_is_journaled(gateway: Gateway):
    url = _url(gateway)
    _arm(gateway.client, {"drop": True})
    with gateway.client.websocket_connect(url) as ws, pytest.raises(WebSocketDisconnect) as gone:
        ws.receive_json()
    assert gone.value.code == 1011
    entries = gateway.client.get("/_mock/journal").json()["entries"]
    (entry,) = [e for e in entries if e["operation"] == "gateway.chatSocket"]
    assert entry["fault"]["action"] == {"drop": True} and entry["events"] == []


def test_an_injected_1001_on_the_gateways_rest_is_its_1010(gateway: Gateway):
    rule = {"operation": "gateway.getBillingBalance", "action": {"error": 1001}}
    assert gateway.client.post("/_mock/faults", json=rule).status_code == 201
    response = gateway.client.get("/billing/balance", headers=gateway.headers)
    assert (response.status_code, response.json()["code"]) == (401, 1010)


# --------------------------------------------------------------------------- mid-turn

BRIEF = "a 5 second coffee ad. Duration: 5 seconds. Aspect ratio: 9:16"


def _start_turn(ws, content: str = BRIEF) -> list[dict]:
    """The opening frames, then the message sent: what came before it."""
    got = [receive(ws)]
    while got[-1]["type"] != "session_ready":
        got.append(receive(ws))
    ws.send_json({"type": "message", "content": content, "metadata": {}})
    return got


def _until_done(ws) -> list[dict]:
    frames = [receive(ws)]
    while frames[-1]["type"] != "done":
        frames.append(receive(ws))
    return frames


@pytest.mark.parametrize("code", [4001, 4002, 1011])
def test_a_mid_turn_close_comes_after_n_frames_and_the_turn_goes_on(gateway: Gateway, code):
    url = _url(gateway)
    _arm(gateway.client, {"socket_close": code, "after": 5})
    with gateway.client.websocket_connect(url) as ws:
        got = _start_turn(ws)
        got.append(receive(ws))  # message_accepted
        got.append(receive(ws))  # thinking_start
        with pytest.raises(WebSocketDisconnect) as gone:
            receive(ws)
    assert [f["type"] for f in got][3:] == ["message_accepted", "thinking_start"]
    assert gone.value.code == code and "nemo-mock fault f1" in gone.value.reason
    with gateway.client.websocket_connect(url) as ws:  # the rest of the turn, and its done
        rest = _until_done(ws)
    assert {"tool_start", "tool_end", "text"} <= {f["type"] for f in rest}
    assert gateway.get("/billing/balance")["total_consumed"] == 100  # charged once
    entries = gateway.client.get("/_mock/journal").json()["entries"]
    first = next(e for e in entries if e["operation"] == "gateway.chatSocket")
    assert first["notes"]["close_code"] == code and len(first["events"]) == 5
    assert first["fault"]["action"] == {"socket_close": code, "after": 5}


def test_a_close_by_default_comes_right_after_message_accepted(gateway: Gateway):
    url = _url(gateway)
    _arm(gateway.client, {"socket_close": 1011})
    with gateway.client.websocket_connect(url) as ws:
        _start_turn(ws)
        assert receive(ws)["type"] == "message_accepted"
        with pytest.raises(WebSocketDisconnect) as gone:
            receive(ws)
    assert gone.value.code == 1011


def test_no_ready_holds_session_ready_back_and_the_socket_stays_open(gateway: Gateway):
    _arm(gateway.client, {"no_ready": True})
    with gateway.client.websocket_connect(_url(gateway)) as ws:
        ws.send_json({"type": "ping"})
        got = [receive(ws) for _ in range(3)]
    assert [f["type"] for f in got] == ["warming_up", "status", "pong"]


def test_no_done_sends_every_frame_of_the_turns_but_never_done(gateway: Gateway):
    _arm(gateway.client, {"no_done": True})
    with gateway.client.websocket_connect(_url(gateway)) as ws:
        _start_turn(ws, "hello, what can you do?")
        first = [receive(ws)]
        while first[-1]["type"] != "text":
            first.append(receive(ws))
        ws.send_json({"type": "message", "content": "add lo-fi background music"})
        second = [receive(ws)]
        # the second turn's frames follow the first turn's end: a done would be before them
        while second[-1]["type"] != "text":
            second.append(receive(ws))
    types = [f["type"] for f in first + second]
    assert "done" not in types and types.count("message_accepted") == 2
    assert "tool_end" in types


def test_slow_frames_space_every_frame_out(gateway: Gateway):
    _arm(gateway.client, {"slow_frames_ms": 150})
    with gateway.client.websocket_connect(_url(gateway)) as ws:
        _start_turn(ws, "hello, what can you do?")
        _until_done(ws)
    entries = gateway.client.get("/_mock/journal").json()["entries"]
    (entry,) = [e for e in entries if e["operation"] == "gateway.chatSocket"]
    times = [event["at_ms"] for event in entry["events"]]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert len(times) > 5 and min(gaps) >= 140  # a lower bound: never flaky on a slow machine


def test_a_socket_fault_on_another_operation_is_refused(gateway: Gateway):
    rule = {"operation": "gateway.getBillingBalance", "action": {"no_done": True}}
    response = gateway.client.post("/_mock/faults", json=rule)
    assert response.status_code == 400
    assert "no_done applies to gateway.chatSocket" in response.text


def test_expire_token_on_the_socket_expires_the_token_in_its_url(gateway: Gateway):
    _arm(gateway.client, {"expire_token": True})
    url = _url(gateway)
    with gateway.client.websocket_connect(url) as ws, pytest.raises(WebSocketDisconnect) as gone:
        ws.receive_json()
    assert gone.value.code == 4001 and "expired" in gone.value.reason
