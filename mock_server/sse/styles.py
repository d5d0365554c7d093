"""Stream styles: how a turn's events are written on the wire.

One turn, two shapes, chosen per request (``/run_sse``'s ``X-Mock-Stream-Style`` header or
``stream_style`` query) or by the era the request is answered in (``Era.stream_style`` in
``nemo_mock.mock_server.domain.eras``, the one registry: the ``adk`` era speaks ADK):

* ``simple`` — the skill documents' events (§4.4): ``{"type":"text"|"tool_call"|
  "tool_result"|"heartbeat", …}``, keep-alives as ``heartbeat`` events and empty ``data:``
  lines alternately;
* ``adk`` — Google ADK's native ``Event`` objects (``nemo_mock.mock_server.sse.adk``); ADK has no
  heartbeat event, so keep-alives are SSE comment lines (``: keep-alive``), which every SSE
  parser skips and an ADK client never sees as an event.

An ``Encoder`` turns each of the turn's events into the bytes to send (none, one or
several) and is told when the stream ends (``finish``): the ADK encoder holds the latest
text until it knows whether the turn ends on it (then it carries ``turnComplete``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, get_args

from sse_starlette.event import ServerSentEvent

from nemo_mock.mock_server.domain.eras import StreamStyle
from nemo_mock.mock_server.sse import adk
from nemo_mock.mock_server.sse.events import SEPARATOR, AgentEvent

STREAM_STYLES: tuple[StreamStyle, ...] = get_args(StreamStyle)
_KEEPALIVES = frozenset({"heartbeat", "keepalive"})
COMMENT_KEEPALIVE = ServerSentEvent(comment="keep-alive", sep=SEPARATOR).encode()


class Encoder(Protocol):
    def encode(self, event: AgentEvent) -> list[bytes]:
        """The bytes to send for ``event`` now (possibly none: held for later)."""
        ...

    def finish(self, complete: bool) -> list[bytes]:
        """The stream ends: what is still held; ``complete``: the turn's work is done."""
        ...


class SimpleEncoder:
    """§4.4's events, one ``data:`` line each."""

    def encode(self, event: AgentEvent) -> list[bytes]:
        return [event.encode()]

    def finish(self, complete: bool) -> list[bytes]:
        return []


def _data(json_text: str) -> bytes:
    return ServerSentEvent(data=json_text, sep=SEPARATOR).encode()


class AdkEncoder:
    """ADK's native events. ``streaming`` (the request body's ``streaming``, as in ADK's
    ``RunAgentRequest``): texts arrive as ``partial`` chunks first."""

    def __init__(self, ids: adk.AdkIds, now: Callable[[], float], streaming: bool) -> None:
        self._ids = ids
        self._now = now
        self._streaming = streaming
        self._invocation = ids.invocation_id
        #: Call ids of tool calls whose result has not been sent yet, per tool name.
        self._open_calls: dict[str, list[str]] = {}
        #: The latest text, not sent yet: it carries turnComplete if the turn ends on it.
        self._held: tuple[adk.AdkHeader, str] | None = None

    def encode(self, event: AgentEvent) -> list[bytes]:
        sent = self._flush(complete=False)
        if event.kind in _KEEPALIVES:
            return [*sent, COMMENT_KEEPALIVE]
        header = self._header()
        payload = event.payload
        if event.kind == "text":
            content = str(payload.get("content", ""))
            if self._streaming:
                sent += [
                    _data(adk.text_event(header, c, partial=True)) for c in adk.chunks(content)
                ]
            self._held = (header, content)
            return sent
        name = str(payload.get("name", ""))
        if event.kind == "tool_call":
            call_id = "adk-" + self._ids.next()
            self._open_calls.setdefault(name, []).append(call_id)
            return [*sent, _data(adk.call_event(header, call_id, name, payload.get("args", {})))]
        waiting = self._open_calls.get(name)
        call_id = waiting.pop(0) if waiting else "adk-" + self._ids.next()
        result = payload.get("result", {})
        return [*sent, _data(adk.response_event(header, call_id, name, result))]

    def finish(self, complete: bool) -> list[bytes]:
        return self._flush(complete)

    def _header(self) -> adk.AdkHeader:
        return adk.AdkHeader(self._invocation, self._ids.next(), round(self._now(), 6))

    def _flush(self, complete: bool) -> list[bytes]:
        if self._held is None:
            return []
        header, content = self._held
        self._held = None
        partial = False if self._streaming else None
        return [_data(adk.text_event(header, content, partial=partial, complete=complete))]


def encoder_for(
    style: StreamStyle,
    *,
    seed: int,
    session_id: str,
    turn: int,
    now: Callable[[], float],
    streaming: bool = False,
) -> Encoder:
    """The encoder of ``style`` for one turn."""
    if style == "adk":
        return AdkEncoder(adk.AdkIds(seed, session_id, turn), now, streaming)
    return SimpleEncoder()
