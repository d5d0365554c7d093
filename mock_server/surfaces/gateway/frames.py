"""The chat socket's messages (``contracts/gateway/asyncapi.yaml``): pure functions.

The agent's turn is the same turn ``/run_sse`` streams; this module only says how each
of its events looks on the gateway's socket: a text becomes streamed ``chunk`` fragments
and then the whole ``text``; a tool call ``tool_start``; its result ``tool_end``; the
backend's keep-alives ``ping``. The socket's own frames (``session_ready``, ``done``…)
are built here too, so every frame the mock sends has one source.
"""

from __future__ import annotations

import json
from typing import Any

from nemo_mock.mock_server.sse.events import AgentEvent

Frame = dict[str, Any]
#: Words per streamed ``chunk`` of a text.
CHUNK_WORDS = 6


def encode(frame: Frame) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def frames_of(event: AgentEvent) -> list[Frame]:
    """What the socket sends for one event of a turn."""
    payload = event.payload
    if event.kind == "text":
        content = str(payload.get("content", ""))
        return [*(chunk(part) for part in _fragments(content)), {"type": "text", "text": content}]
    if event.kind == "tool_call":
        name = str(payload.get("name", ""))
        args = payload.get("args", {})
        return [{"type": "tool_start", "tool": name, "tool_name": name, "args": args}]
    if event.kind == "tool_result":
        name = str(payload.get("name", ""))
        return [{"type": "tool_end", "tool": name, "result": payload.get("result", {})}]
    return [{"type": "ping"}]


def chunk(text: str) -> Frame:
    return {"type": "chunk", "text": text}


def _fragments(content: str) -> list[str]:
    """The text in pieces of a few words that join back to it exactly."""
    words = content.split(" ")
    return [
        " ".join(words[i : i + CHUNK_WORDS]) + (" " if i + CHUNK_WORDS < len(words) else "")
        for i in range(0, len(words), CHUNK_WORDS)
    ]


def opening(session_id: str, sandbox_id: str) -> list[Frame]:
    """What a socket sends once the handshake is accepted."""
    return [
        {"type": "warming_up"},
        {"type": "status", "status": "sandbox_startup", "sandbox_id": sandbox_id},
        {"type": "session_ready", "session_id": session_id},
    ]


def accepted(client_message_id: str, turn: int) -> list[Frame]:
    return [
        {"type": "message_accepted", "client_message_id": client_message_id, "turn": turn},
        {"type": "thinking_start"},
        {"type": "thinking_end"},
    ]


def done(session_id: str, turn: int, reason: str = "completed") -> Frame:
    return {"type": "done", "session_id": session_id, "turn": turn, "reason": reason}


def error(message: str, code: int | None = None) -> Frame:
    return {"type": "error", "error": message, "code": code}


def pong() -> Frame:
    return {"type": "pong"}
