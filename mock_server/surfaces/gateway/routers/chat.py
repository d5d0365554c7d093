"""``GET /ws/chat?token=…&session_id=…``: the WebSocket chat (``gateway/asyncapi.yaml``)."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from nemo_mock.mock_server.runtime import Mock
from nemo_mock.mock_server.surfaces.gateway.chat import ChatSocket
from nemo_mock.mock_server.surfaces.gateway.feeds import ChatHub

router = APIRouter(tags=["chat"])


@router.websocket("/ws/chat")
async def chat_socket(
    websocket: WebSocket, token: str | None = None, session_id: str | None = None
) -> None:
    mock: Mock = websocket.app.state.mock
    hub = getattr(websocket.app.state, "gateway_chat", None)
    if hub is None:
        hub = websocket.app.state.gateway_chat = ChatHub()
    await ChatSocket(websocket, mock, hub).run(token, session_id)
