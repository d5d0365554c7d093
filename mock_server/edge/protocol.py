"""The connection itself: uvicorn's h11 protocol with the time limits it lacks.

uvicorn times out only an idle keep-alive connection. A client that sends part of its
request headers and then nothing (or a byte a second) held a socket forever, and so did a
client still trickling the body of a request that was already answered (refused before
its body was read: 429, 413, 1001). ``GuardedH11Protocol`` adds:

* a header deadline: the request line and headers must be complete within
  ``header_timeout`` seconds of the connection opening (or of the first byte of a next
  request on a kept-alive one); else 408 and the connection is closed;
* a bounded linger: after a response to a request whose body was not read to its end, the
  rest is discarded only while it keeps coming at the body pace (no gap over
  ``idle_timeout`` s; once ``idle_timeout`` s have passed, at least ``min_rate`` bytes/s);
  then the connection is closed.

The body of a request being read is paced by ``edge/limits.BodyPace`` (a 408 naming what was
slow). ``guarded_protocol`` makes the class uvicorn is given (``Config(http=...)``).

Once a request upgrades the connection to a WebSocket, no deadline of this class is armed:
the connection belongs to the WebSocket protocol (an HTTP 408 written into it would
corrupt the frames).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from nemo_mock.mock_server.edge.envelope import failure


class GuardedH11Protocol(H11Protocol):
    header_timeout: float = 10.0
    idle_timeout: float = 30.0
    min_rate: float = 1024.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._linger_started: float | None = None
        self._linger_bytes = 0

    # -- uvicorn's hooks ----------------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_timeout, self._headers_too_slow)

    def data_received(self, data: bytes) -> None:
        lingering = self._linger_started is not None
        super().data_received(data)
        if self.transport.get_protocol() is not self:  # upgraded: a WebSocket's now, not HTTP
            self._disarm()
            return
        if lingering:
            self._linger_on(len(data))
        elif self._awaiting_headers():
            if self._deadline is None:
                self._arm(self.header_timeout, self._headers_too_slow)
        else:
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state is h11.SEND_BODY and not self.transport.is_closing():
            self._linger_started, self._linger_bytes = time.monotonic(), 0
            self._arm(self.idle_timeout, self._close)
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    # -- the limits ---------------------------------------------------------------------------
    def _awaiting_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _headers_too_slow(self) -> None:
        self._deadline = None
        if not self._awaiting_headers() or self.transport.is_closing():
            return
        message = (
            f"request timeout: the request line and headers were not complete within "
            f"{self.header_timeout:g} s (--header-timeout); the connection is closed"
        )
        body = json.dumps(failure(408, message)).encode()
        self.transport.write(
            b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
            b"connection: close\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body)
        )
        self._close()

    def _linger_on(self, size: int) -> None:
        """Discarded bytes of an answered request: close when they come too slowly."""
        if self.conn.their_state is not h11.SEND_BODY:  # all of it came: a next request may
            self._linger_started = None
            if self._awaiting_headers():
                self._arm(self.header_timeout, self._headers_too_slow)
            else:
                self._disarm()
            return
        assert self._linger_started is not None
        self._linger_bytes += size
        elapsed = time.monotonic() - self._linger_started
        too_slow = self._linger_bytes < self.min_rate * elapsed
        if self.min_rate and elapsed > self.idle_timeout and too_slow:
            self._close()
            return
        self._arm(self.idle_timeout, self._close)

    def _close(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def _arm(self, seconds: float, handler: Any) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, handler)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None


def guarded_protocol(
    *, header_timeout: float, idle_timeout: float, min_rate: float
) -> type[GuardedH11Protocol]:
    """The protocol class for ``uvicorn.Config(http=...)`` with these limits."""
    return type(
        "GuardedH11Protocol",
        (GuardedH11Protocol,),
        {"header_timeout": header_timeout, "idle_timeout": idle_timeout, "min_rate": min_rate},
    )
