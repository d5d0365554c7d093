"""Stream events at the edge: one idea of "an event" for the journal and the faults.

A streamed response is a sequence of events, whatever carries them. ``framing_for``
picks, from a response's start message, how its bytes split into events: SSE
today (``text/event-stream``: an event ends at a blank line; ``\\r\\n``, ``\\n``
and ``\\r`` all end a line). The journal records each event as it passes
(``journal.capture.SseParser``); the faults count, cut and corrupt them
(``faults.wire.StreamTap``). Both split through a ``Framing``, so they always
agree on what one event is. A surface with another transport adds its framing
here (a WebSocket surface: one event per ``websocket.send`` frame; an MCP
notification stream is SSE already) and is journaled and faulted event by event.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol

#: A blank line: two line ends in a row (a lone ``\r`` ends a line only when no ``\n``
#: follows it, so ``\r\n`` is one line end, not two).
_LINE_END = rb"(?:\r\n|\n|\r(?!\n))"
_EVENT_END = re.compile(_LINE_END + _LINE_END)


class Framing(Protocol):
    """Splits what a response sends into events, incrementally."""

    kind: str

    def feed(self, chunk: bytes) -> list[bytes]:
        """The events this chunk completes, each with the bytes that ended it."""
        ...

    def rest(self) -> bytes:
        """What was sent but is not (yet) a whole event; clears it."""
        ...


class SseFraming:
    """Server-sent events: an event ends at the first blank line.

    ``max_pending``: keep at most this many bytes of an unfinished event (a stream whose
    event never ends is not held whole); ``None`` keeps them all (to forward them)."""

    kind = "sse"

    def __init__(self, max_pending: int | None = None) -> None:
        self._pending = b""
        self._max_pending = max_pending

    def feed(self, chunk: bytes) -> list[bytes]:
        self._pending += chunk
        events: list[bytes] = []
        while found := _EVENT_END.search(self._searchable()):
            events.append(self._pending[: found.end()])
            self._pending = self._pending[found.end() :]
        if self._max_pending is not None and len(self._pending) > self._max_pending:
            held_cr = self._pending.endswith(b"\r")
            self._pending = self._pending[: self._max_pending] + (b"\r" if held_cr else b"")
        return events

    def rest(self) -> bytes:
        rest, self._pending = self._pending, b""
        return rest

    @property
    def held(self) -> int:
        """How many bytes of an unfinished event are held."""
        return len(self._pending)

    def _searchable(self) -> bytes:
        # a trailing "\r" may be the first half of "\r\n": it ends nothing until the next chunk
        return self._pending[:-1] if self._pending.endswith(b"\r") else self._pending


def content_type(headers: Any) -> str:
    """The media type of ASGI response headers, lower case (``""`` when there is none)."""
    for name, value in headers or ():
        if len(name) == 12 and bytes(name).lower() == b"content-type":
            return bytes(value).decode("latin-1").split(";", 1)[0].strip().lower()
    return ""


def is_event_stream(media_type: str | None) -> bool:
    return (media_type or "").split(";", 1)[0].strip().lower() == "text/event-stream"


def framing_for(start: Mapping[str, Any], max_pending: int | None = None) -> Framing | None:
    """How the response that ``start`` begins splits into events; ``None``: not a stream."""
    if is_event_stream(content_type(start.get("headers"))):
        return SseFraming(max_pending)
    return None
