"""SSE faults on the wire: cut a stream after N events, or slip in a malformed one.

``StreamTap`` sits between the app and the server. It splits the response body
into events with the edge's framing (``edge/streams.py``, the journal's too), passes
them through, and when the fault
says so, stops: the client sees the stream close (or break, with ``abort``), and
the app sees ``http.disconnect`` so it stops streaming, as if the client had
gone. Work already started by the app goes on, as it would on the real backend.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import Message, Receive, Send

from nemo_mock.mock_server.edge.streams import Framing, framing_for

MALFORMED_EVENT = b'data: {"type":"text","content":"this event is cut sho\n\n'


class StreamTap:
    def __init__(
        self, *, cut_after: int | None = None, abort: bool = False, malformed: bool = False
    ) -> None:
        self.cut_after = cut_after
        self.abort = abort
        self.malformed = malformed
        self.sent_events = 0
        self.cut = asyncio.Event()
        self._framing: Framing | None = None
        self._injected = False

    async def receive(self, receive: Receive) -> Message:
        """The client's messages, or ``http.disconnect`` once the stream has been cut."""
        if self.cut.is_set():
            return {"type": "http.disconnect"}
        incoming = asyncio.ensure_future(receive())
        cut = asyncio.ensure_future(self.cut.wait())
        done, _ = await asyncio.wait({incoming, cut}, return_when=asyncio.FIRST_COMPLETED)
        if incoming in done:
            cut.cancel()
            message: Message = incoming.result()
            return message
        incoming.cancel()
        return {"type": "http.disconnect"}

    async def send(self, message: Message, send: Send) -> None:
        if self.cut.is_set():
            return
        if message["type"] == "http.response.start":
            self._framing = framing_for(message)
            await send(message)
            if self._framing is not None and self.cut_after == 0:
                await self._stop(send)
            return
        if self._framing is None or message["type"] != "http.response.body":
            await send(message)
            return
        await self._forward(message, send)

    async def _forward(self, message: Message, send: Send) -> None:
        assert self._framing is not None
        for event in self._framing.feed(message.get("body", b"")):
            await send(_chunk(event))
            self.sent_events += 1
            if self.malformed and not self._injected:
                self._injected = True
                await send(_chunk(MALFORMED_EVENT))
            if self.cut_after is not None and self.sent_events >= self.cut_after:
                await self._stop(send)
                return
        if not message.get("more_body", False):
            rest = self._framing.rest()
            await send({"type": "http.response.body", "body": rest, "more_body": False})

    async def _stop(self, send: Send) -> None:
        self.cut.set()
        if not self.abort:
            await send({"type": "http.response.body", "body": b"", "more_body": False})


def _chunk(body: bytes) -> dict[str, Any]:
    return {"type": "http.response.body", "body": body, "more_body": True}
