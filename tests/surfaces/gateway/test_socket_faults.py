"""Faults on the chat socket's handshake, as the CLI meets them (faults/sockets.py)."""

from __future__ import annotations

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
