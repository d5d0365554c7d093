"""Server-sent events of ``/run_sse`` (§4.4), parsed line by line. Pure: no I/O.

Each event is ``data:`` lines ended by a blank line. An empty ``data:`` and a
``{"type":"heartbeat"}`` are keep-alives; an event whose data is not JSON is kept as
``malformed`` so that it can be ignored; comments (``:``) and other fields are skipped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

KEEPALIVE = "keepalive"
HEARTBEAT = "heartbeat"
MALFORMED = "malformed"
#: §4.4: a disclaimer that may trail a normal reply; clients ignore it.
TEMPORARY_ISSUE = re.compile(r"encountered a temporary issue|遇到了一个临时问题", re.IGNORECASE)
#: §4.4: the backend's GUI wording, which a client must not forward.
GUI_WORDS = re.compile(
    r"\b(?:click|tap|press|open|drag|drop|preview|export|download|button|panel|timeline|"
    r"account|billing)\b|点击|打开|拖拽|拖放|导出|下载|按钮|面板",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*")


@dataclass(frozen=True)
class Event:
    type: str
    payload: dict[str, Any] = field(default_factory=dict)
    raw: str = ""

    @property
    def keeps_alive(self) -> bool:
        return self.type in (KEEPALIVE, HEARTBEAT)

    @property
    def is_text(self) -> bool:
        """A text for the user (the trailing "temporary issue" disclaimer is not one)."""
        return self.type == "text" and not TEMPORARY_ISSUE.search(self.content)

    @property
    def content(self) -> str:
        value = self.payload.get("content")
        return value if isinstance(value, str) else ""

    @property
    def name(self) -> str:
        value = self.payload.get("name")
        return value if isinstance(value, str) else ""


def parse_data(data: str) -> Event:
    """One event's data: a keep-alive, a JSON event, or ``malformed``."""
    if not data.strip():
        return Event(KEEPALIVE, raw=data)
    try:
        document = json.loads(data)
    except ValueError:
        return Event(MALFORMED, raw=data)
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        return Event(MALFORMED, raw=data)
    return Event(str(document["type"]), document, raw=data)


class EventParser:
    """Feed lines (without their line ending); a blank line completes an event."""

    def __init__(self) -> None:
        self._data: list[str] = []
        self._pending = False

    def feed(self, line: str) -> Event | None:
        line = line.rstrip("\r\n")
        if not line:
            if not self._pending:
                return None
            data = "\n".join(self._data)
            self._data, self._pending = [], False
            return parse_data(data)
        if line.startswith(":"):
            return None  # a comment
        name, _, value = line.partition(":")
        if name == "data":
            self._data.append(value[1:] if value.startswith(" ") else value)
            self._pending = True
        return None  # event:, id:, retry: and unknown fields are not needed


@dataclass
class Turn:
    """How a stream went: ``closed`` by the server, ``dropped`` (the connection broke), or
    ``timed_out`` (only keep-alives for too long: closed by the client)."""

    ending: str
    events: list[Event] = field(default_factory=list)
    detail: str = ""

    @property
    def real_events(self) -> list[Event]:
        return [e for e in self.events if not e.keeps_alive and e.type != MALFORMED]

    @property
    def texts(self) -> list[str]:
        return [e.content for e in self.events if e.is_text]

    @property
    def empty(self) -> bool:
        """Nothing but keep-alives (and unreadable events)."""
        return not self.real_events

    @property
    def silent(self) -> bool:
        """Closed with no text at all (§4.4: the edit happened; read the state)."""
        return not self.texts


def for_the_user(text: str) -> str:
    """The agent's text without its GUI instructions ("click the Export button"…)."""
    kept = [s for s in SENTENCE_END.split(text) if s.strip() and not GUI_WORDS.search(s)]
    return " ".join(s.strip() for s in kept)
