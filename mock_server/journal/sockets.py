"""A WebSocket exchange as one journal entry: the handshake, then every frame.

The gateway's chat (``/ws/chat``) is journaled like a ``/run_sse`` turn: one entry whose
``events`` are the frames the mock sent (bounded and cut like SSE events, through the same
``SseParser``), with the client's frames in ``notes.client_frames`` (bounded too), the
close code in ``notes.close_code`` (and in ``code`` when it is a 4xxx; else ``code`` is the
code of the first ``error`` frame, e.g. 2001 for a turn refused for credits, so the rules and
``check-client`` see a refusal on the socket as on a REST call), and the token the URL carries
fingerprinted like every other secret. ``outcome``: ``completed`` once a ``done`` went out or
the mock closed; ``client_disconnected`` if the client left first; ``dropped`` otherwise.
"""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.types import Message, Scope, Send

from nemo_mock.mock_server.domain.clock import Clock
from nemo_mock.mock_server.journal import capture
from nemo_mock.mock_server.journal.capture import BodyCapture, SseParser
from nemo_mock.mock_server.journal.entry import JournalEntry
from nemo_mock.mock_server.journal.middleware import Exchange

#: Client frames kept per socket (the first ones), each cut to ``capture.MAX_EVENT_CHARS``.
MAX_CLIENT_FRAMES = 200
DONE_PREFIX = '{"type":"done"'
ERROR_PREFIX = '{"type":"error"'


class SocketExchange(Exchange):
    deferrable = False  # its frames and close are summed up when it ends

    def __init__(self, scope: Scope, clock: Clock, max_events: int = capture.MAX_EVENTS) -> None:
        super().__init__({**scope, "method": "GET"}, clock, max_events)
        self.sse = SseParser(max_events)
        self.client_frames: list[dict[str, Any]] = []
        self.client_frames_omitted = 0
        self.close_code: int | None = None
        self.saw_done = False
        #: The code of the first ``error`` frame the mock sent (2001: a turn refused).
        self.error_code: int | None = None
        self.mock_closed = False

    def wrap_send(self, send: Send, marks: Scope | None = None) -> Send:
        """``send``, recording each message before it goes (``_on_send``) and after
        (``_sent``)."""

        async def journaled_send(message: Message) -> None:
            self._guarded(self._on_send, message)
            try:
                await send(message)
            except OSError:  # the client is gone
                self.disconnected = not self.completed
                raise
            self._sent(message)

        return journaled_send

    def _on_receive(self, message: Message) -> None:
        kind = message["type"]
        if kind == "websocket.receive":
            text = message.get("text") or (message.get("bytes") or b"").decode("utf-8", "replace")
            if len(self.client_frames) < MAX_CLIENT_FRAMES:
                at = round(self.elapsed_ms(), 3)
                self.client_frames.append({"at_ms": at, "data": text[: capture.MAX_EVENT_CHARS]})
            else:
                self.client_frames_omitted += 1
        elif kind == "websocket.disconnect" and not self.completed:
            self.close_code = self.close_code or message.get("code")
            self.disconnected = not self.saw_done
            self.completed = self.saw_done
            self.ended = self.ended or _now(self)

    def _on_send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "websocket.accept":
            self.status = 101
            self.response_headers = {}
        elif kind == "websocket.send":
            text = message.get("text") or ""
            self.saw_done = self.saw_done or text.startswith(DONE_PREFIX)
            if self.error_code is None and text.startswith(ERROR_PREFIX):
                self.error_code = _frame_code(text)
            assert self.sse is not None
            self.sse.feed(b"data: " + text.encode() + b"\n\n", self.elapsed_ms())
        elif kind == "websocket.close":
            self.close_code, self.mock_closed = int(message.get("code", 1000)), True
        elif kind == "websocket.http.response.start":
            self.status = int(message["status"])
            self.response_body = BodyCapture(_content_type(message))
        elif kind == "websocket.http.response.body" and self.response_body is not None:
            self.response_body.feed(message.get("body", b""))

    def _sent(self, message: Message) -> None:
        kind = message["type"]
        last_body = kind == "websocket.http.response.body" and not message.get("more_body")
        if kind == "websocket.close" or last_body:
            self.completed = True
            self.ended = _now(self)

    def outcome(self) -> Any:
        if self.completed or self.mock_closed:
            return "completed"
        return "client_disconnected" if self.disconnected else "dropped"

    def entry(self, fault: Any, facts: Any) -> JournalEntry:
        # a fault that ended the connection without a close frame noted 1006 itself
        self.notes["close_code"] = self.close_code or self.notes.get("close_code")
        self.notes["client_frames"] = self.client_frames
        if self.client_frames_omitted:
            self.notes["client_frames_omitted"] = self.client_frames_omitted
        entry = super().entry(fault, facts)
        code = self.close_code if self.close_code and self.close_code >= 4000 else entry.code
        code = code if code is not None else self.error_code
        return entry.model_copy(update={"code": code})


def _frame_code(text: str) -> int | None:
    try:
        code = json.loads(text).get("code")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def _now(_: SocketExchange) -> float:
    return time.monotonic()


def _content_type(message: Message) -> str | None:
    for name, value in message.get("headers", []):
        if bytes(name).lower() == b"content-type":
            return bytes(value).decode("latin-1")
    return None
