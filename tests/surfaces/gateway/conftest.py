"""A registered user of the gateway (the CLI needs a minted ``nmv_usr_`` key)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.surfaces.gateway.asyncapi import problem

CLI_HEADERS = {
    "X-Skill-Source": "nemovideo-tools",
    "X-Skill-Version": "0.0.0",
    "X-Skill-Platform": "terminal",
}


class Gateway:
    """The gateway's calls as the CLI makes them, through a TestClient."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.token = token
        self.headers = {**CLI_HEADERS, "Authorization": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        response = self.client.get(path, headers=self.headers, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["code"] == 0, body
        return body["data"]

    def post(self, path: str, body: Any = None) -> Any:
        response = self.client.post(path, headers=self.headers, json=body)
        assert response.status_code == 200, response.text
        return response.json()["data"]

    def project(self) -> dict[str, Any]:
        return self.post("/projects", {"create_session": True})

    def chat(self, session_id: str, content: str) -> list[dict[str, Any]]:
        """Frames of one turn, up to and including ``done``."""
        url = f"/ws/chat?token={self.token}&session_id={session_id}"
        got: list[dict[str, Any]] = []
        with self.client.websocket_connect(url) as ws:
            while (frame := receive(ws))["type"] != "session_ready":
                got.append(frame)
            got.append(frame)
            ws.send_json({"type": "message", "content": content, "metadata": {}})
            while (frame := receive(ws))["type"] != "done":
                got.append(frame)
            got.append(frame)
        return got


def receive(ws: Any) -> dict[str, Any]:
    """The next frame, held to the contract (``ServerFrame`` of asyncapi.yaml)."""
    frame: dict[str, Any] = ws.receive_json()
    wrong = problem(frame, "ServerFrame")
    assert wrong is None, f"{frame} breaks the contract: {wrong}"
    return frame


def mint(client: TestClient, **body: Any) -> str:
    response = client.post("/_mock/tokens", json={"scopes": ["*"], "plan": "pro", **body})
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


@pytest.fixture
def gateway(client: TestClient) -> Gateway:
    return Gateway(client, mint(client, credits=500))
