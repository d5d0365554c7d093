"""The connection itself: one of uvicorn's HTTP protocols with the limits it lacks.

uvicorn times out only an idle keep-alive connection. A client that sends part of its
request headers and then nothing (or a byte a second) held a socket forever, and so did a
client still trickling the body of a request that was already answered (refused before
its body was read: 429, 413, 1001). ``Guard`` adds, over uvicorn's h11 protocol
(``GuardedH11Protocol``) or its httptools one (``GuardedHttpToolsProtocol``) alike:

* a header deadline: the request line and headers must be complete within
  ``header_timeout`` seconds of the connection opening (or of the first byte of a next
  request on a kept-alive one); else 408 and the connection is closed;
* a bounded linger: after a response to a request whose body was not read to its end, the
  rest is discarded only while it keeps coming at the body pace (no gap over
  ``idle_timeout`` s; once ``idle_timeout`` s have passed, at least ``min_rate`` bytes/s);
  then the connection is closed;
* on httptools, the cap h11 puts on an unfinished request head (16 KiB, then 400), which
  llhttp lacks.

The body of a request being read is paced by ``edge/limits.BodyPace`` (a 408 naming what was
slow). ``guarded_protocol`` makes the class uvicorn is given (``Config(http=...)``), on the
parser ``serve --http`` chose: httptools (``auto``, when it is installed) or h11.

Once a request upgrades the connection to a WebSocket, no deadline of this class is armed:
the connection belongs to the WebSocket protocol (an HTTP 408 written into it would
corrupt the frames).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from importlib.util import find_spec
from typing import Any, ClassVar, Literal

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from nemo_mock.mock_server.edge.envelope import failure
from nemo_mock.mock_server.settings import HttpParser

#: Whether httptools (and so uvicorn's ``HttpToolsProtocol``) can be imported here.
HTTPTOOLS_INSTALLED = find_spec("httptools") is not None
#: h11's cap on an unfinished request head (``h11.Connection(max_incomplete_event_size=)``'s
#: default), which uvicorn keeps unless ``Config(h11_max_incomplete_event_size=)`` says.
H11_INCOMPLETE_LIMIT = 16 * 1024


class Guard(asyncio.Protocol):
    """The limits, mixed in before one of uvicorn's HTTP protocols (``class X(Guard,
    H11Protocol)``), which provides ``transport``, ``loop``, ``cycle`` (the request being
    answered, ``None`` before the first) and ``on_response_complete``. A subclass says by
    ``_answered_body_arriving`` whether the peer is still sending the body of a request
    that was already answered."""

    #: The parser beneath, as ``serve --http`` names it.
    parser_name: ClassVar[Literal["h11", "httptools"]]
    header_timeout: float = 10.0
    idle_timeout: float = 30.0
    min_rate: float = 1024.0

    # provided by uvicorn's protocol
    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    cycle: Any  # its own RequestResponseCycle: h11's or httptools'

    #: The one pending timer: the header deadline, or the linger's next gap.
    _deadline: asyncio.TimerHandle | None = None
    #: When the linger (discarding an answered request's unread body) began; None: no linger.
    _linger_started: float | None = None
    #: Bytes discarded since the linger began.
    _linger_bytes: int = 0

    def _answered_body_arriving(self) -> bool:
        """The peer is still sending the body of the request that was just answered."""
        raise NotImplementedError

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
        super().on_response_complete()  # type: ignore[misc]  # uvicorn's protocol, after us
        if self._answered_body_arriving() and not self.transport.is_closing():
            self._linger_started, self._linger_bytes = time.monotonic(), 0
            self._arm(self.idle_timeout, self._close)
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    # -- the limits ---------------------------------------------------------------------------
    def _awaiting_headers(self) -> bool:
        return self.cycle is None or bool(self.cycle.response_complete)

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
        if not self._answered_body_arriving():  # all of it came: a next request may
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

    def _arm(self, seconds: float, handler: Callable[[], None]) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, handler)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None


class GuardedH11Protocol(Guard, H11Protocol):
    """uvicorn's h11 protocol with the limits. h11's own state of the peer tells whether an
    answered request's body is still arriving (``SEND_BODY``)."""

    parser_name = "h11"

    def _answered_body_arriving(self) -> bool:
        return self.conn.their_state is h11.SEND_BODY


if HTTPTOOLS_INSTALLED:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class GuardedHttpToolsProtocol(Guard, HttpToolsProtocol):
        """uvicorn's httptools protocol with the limits, and with the cap on a request's
        head that h11 has and llhttp lacks.

        The parser only calls back, so the message being parsed is followed here:
        ``_in_body`` from its headers' end to its own end. uvicorn drops the body of an
        answered request as it is parsed (and resumes reading when it answers, should an
        unread body have paused it), so the linger only has to time it.

        The cap: h11 answers 400 once an unfinished request line and headers (or a chunk
        header, or trailers) pass ``h11_max_incomplete_event_size`` (16 KiB); llhttp keeps
        whatever comes (a client sending headers at loopback speed grew the process by
        1.2 GB in 6 s, before any deadline). Here, the bytes that arrive while the parser
        completes nothing (no head's end, no piece of body, no message's end) are counted
        in whole reads, and past the same limit get the same 400. A read in which something
        completed starts the count again, so a head is cut at most one read (256 KiB) late,
        and a head within the limit is never cut."""

        parser_name = "httptools"
        #: Between the end of the headers of the message being parsed and its end.
        _in_body: bool = False
        #: Bytes received, in whole reads, since the parser last completed something.
        _unfinished: int = 0
        #: Whether the parser completed something during the read being fed.
        _progressed: bool = False

        def data_received(self, data: bytes) -> None:
            self._progressed = False
            super().data_received(data)
            if self.transport.is_closing() or self.transport.get_protocol() is not self:
                return
            self._unfinished = 0 if self._progressed else self._unfinished + len(data)
            if self._unfinished > self._unfinished_limit():
                msg = "Invalid HTTP request received."  # h11's answer, word for word
                self.logger.warning(msg)
                self.send_400_response(msg)

        def on_headers_complete(self) -> None:
            self._progressed = True
            super().on_headers_complete()
            self._in_body = True

        def on_body(self, body: bytes) -> None:
            self._progressed = True
            super().on_body(body)

        def on_message_complete(self) -> None:
            self._progressed, self._in_body = True, False
            super().on_message_complete()

        def _answered_body_arriving(self) -> bool:
            # the message parsed is the answered one only while its cycle is the current
            # one: a pipelined request's headers would have made a new cycle
            return self._in_body and self.cycle is not None and self.cycle.response_complete

        def _unfinished_limit(self) -> int:
            configured = self.config.h11_max_incomplete_event_size
            return H11_INCOMPLETE_LIMIT if configured is None else configured


def parser_for(http: HttpParser) -> Literal["h11", "httptools"]:
    """The parser ``--http`` names: ``auto`` is httptools when it is installed, else h11."""
    if http == "auto":
        return "httptools" if HTTPTOOLS_INSTALLED else "h11"
    if http == "httptools" and not HTTPTOOLS_INSTALLED:
        raise ValueError("httptools is not installed: pip install httptools, or use --http h11")
    return http


def guarded_protocol(
    *, header_timeout: float, idle_timeout: float, min_rate: float, http: HttpParser = "auto"
) -> type[Guard]:
    """The protocol class for ``uvicorn.Config(http=...)``: the parser ``http`` names
    (``parser_for``) with these limits."""
    base: type[Guard] = (
        GuardedHttpToolsProtocol if parser_for(http) == "httptools" else GuardedH11Protocol
    )
    return type(
        base.__name__,
        (base,),
        {"header_timeout": header_timeout, "idle_timeout": idle_timeout, "min_rate": min_rate},
    )
