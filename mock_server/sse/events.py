"""The events of an agent turn and their exact wire form (§4.4).

Each event is one ``data:`` line and a blank line. ``keepalive`` is an empty
``data:`` line. There is no end event: closing the connection ends the turn.
Encoding is a pure function; the transport (sse-starlette) only sends bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from sse_starlette.event import ServerSentEvent

EventKind = Literal["text", "tool_call", "tool_result", "heartbeat", "keepalive"]
SEPARATOR = "\n"


@dataclass(frozen=True)
class AgentEvent:
    kind: EventKind
    payload: dict[str, Any] = field(default_factory=dict)

    def data(self) -> str:
        """The text after ``data: ``: compact JSON, or nothing for a keep-alive."""
        if self.kind == "keepalive":
            return ""
        return json.dumps(
            {"type": self.kind, **self.payload}, ensure_ascii=False, separators=(",", ":")
        )

    def encode(self) -> bytes:
        return ServerSentEvent(data=self.data(), sep=SEPARATOR).encode()


def text(content: str) -> AgentEvent:
    return AgentEvent("text", {"content": content})


def tool_call(name: str, args: dict[str, Any]) -> AgentEvent:
    return AgentEvent("tool_call", {"name": name, "args": args})


def tool_result(name: str, result: dict[str, Any]) -> AgentEvent:
    return AgentEvent("tool_result", {"name": name, "result": result})


def heartbeat() -> AgentEvent:
    return AgentEvent("heartbeat")


def keepalive() -> AgentEvent:
    return AgentEvent("keepalive")
