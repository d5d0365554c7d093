"""What every request body must respect at the HTTP boundary, before any surface runs.

Two pure ASGI middlewares (``app.py`` installs them; the settings give the numbers):

* ``BodyPace`` (outermost): a body must keep coming. No wait for its next chunk may
  last longer than ``idle_timeout`` seconds, and once ``idle_timeout`` seconds have passed
  since the first wait it must average at least ``min_rate`` bytes/s (``0``: no minimum). A
  body that falls behind fails every later read with ``RequestTimeout`` (HTTP 408, connection
  closed), so the upload holding a socket and a staged file ends. Once the body is complete,
  reads (an SSE route waiting for the client to leave) are no longer timed.
* ``JsonCap``: a body that is not ``multipart/*`` (JSON, or anything posing as it) is at
  most ``max_bytes``: refused with ``BodyTooLarge`` (HTTP 413) from its ``Content-Length``
  before a byte is read, or, without one (chunked) or with a false one, as soon as the bytes
  counted while it streams pass the limit. It is never read whole first: the rest is
  discarded as it arrives (the connection stays to deliver the 413; ``edge/protocol.py``
  closes it if the rest trickles).

Request headers that never end are the server's business: ``edge/protocol.py``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nemo_mock.mock_server.domain.errors import BodyTooLarge, RequestTimeout
from nemo_mock.mock_server.edge.answer import refuse
from nemo_mock.mock_server.edge.headers import request_headers
from nemo_mock.mock_server.edge.layers import Layer, first_busy
from nemo_mock.mock_server.edge.read_ahead import read_ahead


class PacedReceive:
    """``receive`` with the pace rules above; ``expired`` once the body fell behind."""

    def __init__(
        self,
        receive: Receive,
        idle_timeout: float,
        min_rate: float,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._receive = receive
        self._idle = idle_timeout
        self._min_rate = min_rate
        self._now = now
        self._started: float | None = None
        self.received = 0
        self.complete = False
        self.expired: RequestTimeout | None = None

    async def __call__(self) -> Message:
        if self.expired is not None:
            raise self.expired
        if self.complete:
            return await self._receive()
        if self._started is None:
            self._started = self._now()
        try:
            message = await asyncio.wait_for(self._receive(), self._idle)
        except TimeoutError:
            raise self._expire(f"no byte of the request body for {self._idle:g} s") from None
        self._account(message)
        return message

    def _account(self, message: Message) -> None:
        if message["type"] != "http.request":
            self.complete = True
            return
        self.received += len(message.get("body", b""))
        if not message.get("more_body", False):
            self.complete = True
            return
        assert self._started is not None
        elapsed = self._now() - self._started
        if self._min_rate and elapsed > self._idle and self.received < self._min_rate * elapsed:
            rate = self.received / elapsed
            raise self._expire(
                f"the request body came at {rate:.0f} bytes/s over {elapsed:.0f} s; "
                f"at least {self._min_rate:g} bytes/s is needed"
            )

    def _expire(self, why: str) -> RequestTimeout:
        self.expired = RequestTimeout(
            f"request timeout: {why} (--body-idle-timeout {self._idle:g}, "
            f"--body-min-rate {self._min_rate:g}); the connection is closed"
        )
        return self.expired


class BodyPace(Layer):
    def __init__(self, app: ASGIApp, *, idle_timeout: float, min_rate: float) -> None:
        self.app = app
        self.idle_timeout = idle_timeout
        self.min_rate = min_rate

    def idle(self, scope: Scope) -> bool:
        """No body to pace: nothing to wrap (a layer less on most requests, issue 18)."""
        return scope["type"] != "http" or not request_headers(scope).present

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.idle(scope):
            await first_busy(self.app, scope)(scope, receive, send)
            return
        paced = PacedReceive(receive, self.idle_timeout, self.min_rate)
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, paced, watched)
        except RequestTimeout as exc:
            if started:
                raise
            await refuse(exc, scope, receive, send, close=True)


class JsonCap(Layer):
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def idle(self, scope: Scope) -> bool:
        """No body, or a multipart one (an upload: its own limits)."""
        if scope["type"] != "http":
            return True
        said = request_headers(scope)
        return not said.present or said.media_type.startswith(b"multipart/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.idle(scope):
            await first_busy(self.app, scope)(scope, receive, send)
            return
        said = request_headers(scope)
        declared = said.length or b""
        if declared.isdigit() and int(declared) > self.max_bytes:
            await refuse(
                self._too_large(f"{int(declared)} bytes"), scope, receive, send, close=True
            )
            return
        body, replay = await read_ahead(receive, self.max_bytes)
        if body is None:
            await refuse(self._too_large(f"over {self.max_bytes} bytes"), scope, receive, send)
            return
        await self.app(scope, replay, send)

    def _too_large(self, size: str) -> BodyTooLarge:
        kb = self.max_bytes // 1024
        return BodyTooLarge(
            f"request body too large: {size} sent; a body that is not multipart may be at "
            f"most {self.max_bytes} bytes (--max-json-kb {kb}); uploads go as multipart"
        )
