"""``JournalMiddleware``: pure ASGI, records every exchange on the NemoVideo surface.

It wraps ``receive`` and ``send`` and looks at each message as it passes; a
stream is never held back and a body is never read whole (at most
``BODY_LIMIT`` bytes of a body are kept). What passes is kept raw (header pairs,
status, the body's head: ``Exchange``) and decoded into the entry when the exchange
ends (also when the app raises; the exception goes on), or, for a plain exchange,
when the journal is first read after it (``journal/deferred.py``). The control plane
(``/_mock``), the CDN and the docs are not journaled.

A bug in journaling must never break a request: every recording step is
guarded, logged once per exchange, and the request goes on unrecorded.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nemo_mock.mock_server.domain.clock import Clock, epoch_ms
from nemo_mock.mock_server.domain.secrets import fingerprint, redact
from nemo_mock.mock_server.edge.deprecation import DEPRECATED, deprecating, with_deprecation
from nemo_mock.mock_server.edge.facts import RequestFacts, facts_of, with_body
from nemo_mock.mock_server.edge.headers import Credential, request_headers
from nemo_mock.mock_server.edge.layers import first_busy
from nemo_mock.mock_server.edge.read_ahead import read_ahead
from nemo_mock.mock_server.edge.scope import FAULT, NOTES
from nemo_mock.mock_server.edge.streams import is_event_stream
from nemo_mock.mock_server.edge.surfaces import surface_of
from nemo_mock.mock_server.journal import capture, deferred
from nemo_mock.mock_server.journal.book import Journal
from nemo_mock.mock_server.journal.capture import (
    BodyCapture,
    Redactor,
    SseParser,
    Unchanged,
    is_json,
    redaction_needed,
)
from nemo_mock.mock_server.journal.entry import FaultRecord, JournalEntry, Outcome, SseEventRecord
from nemo_mock.mock_server.journal.entry import Message as Side

log = logging.getLogger("nemo_mock.journal")

#: ASGI header pairs as they came (name, value), kept unread.
RawPairs = Sequence[tuple[bytes, bytes]]

#: The control token's header (``--control-token``): a secret whatever it looks like.
CONTROL_HEADER = "x-mock-control-token"


def is_journaled(path: str) -> bool:
    """Whether ``path`` is on a client surface (the mock's own paths are not journaled)."""
    return surface_of(path) is not None


class JournalMiddleware:
    """``deprecation``: also add the ``Deprecation`` header (``edge/deprecation.py``) to the
    answers of requests marked deprecated, in the journal's own send wrapper (the app then
    has no ``DeprecationHeader``: a wrapper less on every message, issue 18)."""

    def __init__(
        self, app: ASGIApp, journal: Journal, clock: Clock, *, deprecation: bool = False
    ) -> None:
        self.app = app
        self.journal = journal
        self.clock = clock
        self.deprecation = deprecation

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        journaled = scope["type"] in ("http", "websocket")
        marks = scope if self.deprecation and scope["type"] == "http" else None
        inner = first_busy(self.app, scope)  # the idle layers inside stepped over
        if not journaled or not is_journaled(scope.get("path", "")):
            await inner(scope, receive, deprecating(marks, send) if marks is not None else send)
            return
        exchange = self._begin(scope)
        if exchange is None:
            await inner(scope, receive, deprecating(marks, send) if marks is not None else send)
            return
        try:
            watched = exchange.wrap_receive(receive)
            if scope["type"] == "http" and _small_json(scope):
                _, watched = await read_ahead(watched, READ_AHEAD_LIMIT)
            await inner(scope, watched, exchange.wrap_send(send, marks))
        except BaseException as exc:
            exchange.failed(exc)
            raise
        finally:
            self._finish(exchange, scope)

    def _begin(self, scope: Scope) -> Exchange | None:
        try:
            if scope["type"] == "websocket":
                from nemo_mock.mock_server.journal.sockets import (
                    SocketExchange,
                )  # it builds on Exchange

                exchange: Exchange = SocketExchange(scope, self.clock, self.journal.max_events)
            else:
                exchange = Exchange(scope, self.clock, self.journal.max_events)
        except Exception:
            log.exception("journal: cannot record %s", redact(str(scope.get("path"))))
            return None
        scope[NOTES] = exchange.notes
        return exchange

    def _finish(self, exchange: Exchange, scope: Scope) -> None:
        try:
            fault = scope.get(FAULT)
            # built when read (journal/deferred.py), when it may be and can be
            if deferred.deferrable(exchange, fault):
                deferred.store(self.journal, exchange, scope)
                return
            self.journal.append(exchange.entry(fault, facts_of(scope)))
        except Exception:
            log.exception("journal: cannot record %s %s", exchange.method, redact(exchange.path))
            try:
                self.journal.append(exchange.bare_entry())
            except Exception:
                log.exception("journal: cannot record even a bare entry")


UNCHANGED = Unchanged()

#: A JSON request body up to this size is read before the app runs, so a request refused
#: before its body is read (1001 from the auth check, an injected fault) still names its
#: session in the journal. Larger bodies, uploads and streams are never read ahead.
READ_AHEAD_LIMIT = 64 * 1024


def _small_json(scope: Scope) -> bool:
    body = request_headers(scope)
    if not body.length:
        return False
    kind = body.media_type
    return (
        (kind == b"application/json" or kind.endswith(b"+json"))
        and body.length.isdigit()
        and 0 < int(body.length) <= READ_AHEAD_LIMIT
    )


class Exchange:
    """One request and its response as they pass, kept as raw atoms: the scope's header pairs,
    the response's status and header pairs, the head of its body. They are decoded (headers
    as a dict, the credential, the bodies, the time as text) only when the entry is built:
    at the end, or when first read for a plain exchange (``journal/deferred.py``)."""

    #: Whether its entry may be built when read (``journal/deferred.py``); not a socket's.
    deferrable = True

    # What an exchange starts with, until it changes: class attributes, not set on each
    # instance (a request's journaling is a fifth of its CPU; issue 18).
    ended: float | None = None
    #: The request body as it came (``None`` while no byte of it did).
    request_capture: BodyCapture | None = None
    status: int | None = None
    #: The response's header pairs (``None`` while no response started).
    raw_response_headers: RawPairs | None = None
    response_size = 0
    _keep_response = False
    sse: SseParser | None = None
    completed = disconnected = broken = False

    def __init__(self, scope: Scope, clock: Clock, max_events: int = capture.MAX_EVENTS) -> None:
        self.max_events = max_events
        self.started = time.monotonic()
        self.arrival = clock.now()
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        self.raw_query = bytes(scope.get("query_string", b""))
        self.raw_headers: RawPairs = tuple(scope.get("headers", ()))
        #: The first ``BODY_LIMIT + 1`` bytes of a JSON response body, in the pieces sent
        #: (nothing of any other body: nothing but JSON is parsed).
        self.response_parts: list[bytes] = []
        self.notes: dict[str, Any] = {}

    def elapsed_ms(self) -> float:
        return (time.monotonic() - self.started) * 1000

    # -- the raw atoms, decoded (when the entry is built) ------------------------------------
    @property
    def at(self) -> str:
        return self.arrival.isoformat()

    @property
    def at_ms(self) -> int:
        return epoch_ms(self.arrival)

    @property
    def query(self) -> str:
        return self.raw_query.decode("latin-1")

    @functools.cached_property
    def request_headers(self) -> dict[str, str]:
        return _headers(self.raw_headers)

    @functools.cached_property
    def credential(self) -> Credential:
        return Credential.of(self.raw_headers)

    @property
    def request_body(self) -> BodyCapture:
        """The request body's capture (an empty one when no body came)."""
        if self.request_capture is None:
            self.request_capture = BodyCapture(self.request_headers.get("content-type"))
        return self.request_capture

    @property
    def response_head(self) -> bytes:
        """The JSON response body's first ``BODY_LIMIT + 1`` bytes (nothing of another)."""
        return b"".join(self.response_parts)

    @functools.cached_property
    def response_headers(self) -> dict[str, str]:
        return _headers(self.raw_response_headers or ())

    @functools.cached_property
    def response_body(self) -> BodyCapture | None:
        """The response body's capture (``None`` when no response started); read it when
        the exchange is over."""
        if self.raw_response_headers is None:
            return None
        body = BodyCapture(self.response_headers.get("content-type"))
        body.feed(self.response_head)
        body.bytes = self.response_size
        return body

    # -- while it passes --------------------------------------------------------------------
    def wrap_receive(self, receive: Receive) -> Receive:
        async def journaled_receive() -> Message:
            message = await receive()
            self._guarded(self._on_receive, message)
            return message

        return journaled_receive

    def wrap_send(self, send: Send, marks: Scope | None = None) -> Send:
        """``send``, recording what it sends; with ``marks`` (the request's scope), adding
        the ``Deprecation`` header first when the request was marked deprecated. One closure
        with the common path inline: it runs for every message of every response (issue 18)."""

        async def journaled_send(message: Message) -> None:
            kind = message["type"]
            if kind == "http.response.body":
                if not self.broken:
                    try:
                        self._on_body(message)
                    except Exception:
                        self._stop()
            elif kind == "http.response.start":
                if marks is not None and marks.get(DEPRECATED):
                    message = with_deprecation(marks, message)
                if not self.broken:
                    try:
                        self._on_start(message)
                    except Exception:
                        self._stop()
            try:
                await send(message)
            except OSError:
                self.disconnected = not self.completed
                raise
            if kind == "http.response.body":
                if not message.get("more_body"):
                    self.completed = True
                    self.ended = time.monotonic()
            elif kind == "http.response.pathsend":
                self.completed = True
                self.ended = time.monotonic()

        return journaled_send

    def failed(self, exc: BaseException) -> None:
        self.notes.setdefault("exception", type(exc).__name__)

    def _guarded(self, step: Any, message: Message) -> None:
        if self.broken:
            return
        try:
            step(message)
        except Exception:
            self._stop()

    def _stop(self) -> None:
        self.broken = True
        log.exception("journal: stopped recording %s %s", self.method, redact(self.path))

    def _on_receive(self, message: Message) -> None:
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            if chunk:
                self.request_body.feed(chunk)
        elif message["type"] == "http.disconnect" and not self.completed:
            self.disconnected = True

    def _on_start(self, message: Message) -> None:
        self.status = int(message["status"])
        self.raw_response_headers = raw = tuple(message.get("headers", ()))
        types: tuple[bytes, ...] = ()
        for name, value in raw:  # a loop, not a comprehension: no frame of its own (3.11)
            if len(name) == 12 and name.lower() == b"content-type":
                types += (value,)
        self._keep_response, event_stream = _body_kind(types)
        if event_stream:
            self.sse = SseParser(self.max_events)

    def _on_body(self, message: Message) -> None:
        if self.raw_response_headers is None:
            return
        chunk = message.get("body", b"")
        kept = self.response_size
        self.response_size = kept + len(chunk)
        if self._keep_response and kept <= capture.BODY_LIMIT and chunk:
            self.response_parts.append(bytes(chunk[: capture.BODY_LIMIT + 1 - kept]))
        if self.sse is not None:
            self.sse.feed(chunk, self.elapsed_ms())

    # -- at the end -------------------------------------------------------------------------
    def outcome(self) -> Outcome:
        if self.disconnected:
            return "client_disconnected"
        return "completed" if self.completed else "dropped"

    def entry(self, fault: Any, facts: RequestFacts) -> JournalEntry:
        ended = self.ended or time.monotonic()
        if self.sse is not None:
            self.sse.close((ended - self.started) * 1000)
        request_json, _ = self.request_body.parsed()
        facts = with_body(facts, request_json)  # its session, or the MCP tool it calls
        control = self.request_headers.get(CONTROL_HEADER, "")
        known = [*self.credential.secrets, control, *capture.secret_values(request_json)]
        redactor = Redactor(known) if self._needs_redaction(fault, known) else UNCHANGED
        return JournalEntry(
            seq=0,
            at=self.at,
            at_ms=self.at_ms,
            duration_ms=round((ended - self.started) * 1000, 3),
            method=self.method,
            path=redactor.text(self.path),
            query=redactor.text(self.query),
            operation=facts.operation,
            token=facts.token,
            client_id=_maybe(redactor, facts.client_id),
            session_id=_maybe(redactor, facts.session),
            secrets_in_url=self._secrets_in_url(redactor),
            request=self._request(redactor),
            status=self.status,
            code=self._code(),
            response=self._response(redactor),
            events=self._events(redactor),
            events_omitted=self.sse.omitted if self.sse is not None else 0,
            events_omitted_at=self.sse.omitted_at if self.sse is not None else None,
            events_cut=self.sse.cut if self.sse is not None else 0,
            fault=_fault(fault, redactor),
            notes=redactor.json(_jsonable(self.notes)),
            outcome=self.outcome(),
        )

    def _needs_redaction(self, fault: Any, known: list[str]) -> bool:
        """Whether redacting could change anything (``capture.redaction_needed``): streams
        and faults always go the long way; ``Authorization`` and the control header are
        fingerprinted whatever the redactor."""
        if self.sse is not None or fault is not None:
            return True
        secret_headers = ("authorization", CONTROL_HEADER)
        pieces: list[str | bytes] = [self.path, self.query]
        pieces += [v for k, v in self.request_headers.items() if k not in secret_headers]
        pieces += self.response_headers.values()
        pieces.append(self.request_body.copy)
        if self.response_body is not None:
            pieces.append(self.response_body.copy)
        if self.notes:
            pieces.append(json.dumps(self.notes, default=str))
        return redaction_needed(pieces, known)

    def bare_entry(self) -> JournalEntry:
        """What is left when ``entry`` failed: the request line, status and outcome."""
        return JournalEntry(
            seq=0,
            at=self.at,
            at_ms=self.at_ms,
            duration_ms=round(self.elapsed_ms(), 3),
            method=self.method,
            path=Redactor(list(self.credential.secrets)).text(self.path),
            token=self.credential.fingerprint,
            status=self.status,
            notes={"journal_error": "this exchange could not be recorded in full"},
            outcome=self.outcome(),
        )

    def _secrets_in_url(self, redactor: Redactor) -> list[str]:
        found = [*redactor.found(self.path), *redactor.found(self.query)]
        return list(dict.fromkeys(found))

    def _events(self, redactor: Redactor) -> list[SseEventRecord] | None:
        """The stream's events, each one's data redacted (a token typed in a message comes
        back in ``tool_call`` args)."""
        if self.sse is None:
            return None
        return [e.model_copy(update={"data": redactor.text(e.data)}) for e in self.sse.events]

    def _request(self, redactor: Redactor) -> Side:
        headers = {k: redactor.text(v) for k, v in self.request_headers.items()}
        if "authorization" in headers:
            headers["authorization"] = ", ".join(map(_authorization, self.credential.values))
        if CONTROL_HEADER in headers:
            headers[CONTROL_HEADER] = f"<{fingerprint(self.request_headers[CONTROL_HEADER])}>"
        return _side(headers, self.request_body, redactor)

    def _response(self, redactor: Redactor) -> Side | None:
        if self.response_body is None:
            return None
        headers = {k: redactor.text(v) for k, v in self.response_headers.items()}
        side = _side(headers, self.response_body, redactor)
        if self.sse is not None and side.bytes:
            side.body_omitted = "sse"
        return side

    def _code(self) -> int | None:
        if self.response_body is None or self.sse is not None:
            return None
        body, _ = self.response_body.parsed()
        code = body.get("code") if isinstance(body, dict) else None
        return code if isinstance(code, int) and not isinstance(code, bool) else None


def _headers(raw: Any) -> dict[str, str]:
    """ASGI header pairs as a dict with lower-case names (repeated headers joined by ``, ``)."""
    headers: dict[str, str] = {}
    for name, value in raw:
        key, text = bytes(name).decode("latin-1").lower(), bytes(value).decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


@functools.lru_cache(maxsize=256)  # the same few content types, response after response
def _body_kind(content_types: tuple[bytes, ...]) -> tuple[bool, bool]:
    """(whether the body is JSON, kept; whether it is a stream of events) by the response's
    content types (the header's values as sent). A stream is split into events as the edge's
    framing says (``edge/streams.py``): by the first content type, as ``framing_for`` reads
    it; the body is JSON as ``BodyCapture`` reads the values joined by ``", "``."""
    types = [bytes(value).decode("latin-1") for value in content_types]
    return is_json(", ".join(types)), bool(types) and is_event_stream(types[0])


def _authorization(value: str) -> str:
    """``Bearer <fp_…>``: the scheme as sent, the credential as ``Credential`` names it."""
    fp = Credential((value,)).fingerprint
    scheme, _, raw = value.strip().partition(" ")
    return f"{scheme} <{fp}>" if raw.strip() else f"<{fp}>"


def _side(headers: dict[str, str], body: BodyCapture, redactor: Redactor) -> Side:
    parsed, omitted = body.parsed()
    return Side(
        headers=headers,
        content_type=_maybe(redactor, body.content_type),
        bytes=body.bytes,
        body=redactor.json(parsed),
        body_omitted=omitted,
    )


def _maybe(redactor: Redactor, value: str | None) -> str | None:
    return redactor.text(value) if value is not None else None


def _fault(raw: Any, redactor: Redactor) -> FaultRecord | None:
    if not isinstance(raw, dict):
        return None
    action = raw.get("action")
    action = _jsonable(action) if isinstance(action, dict) else {}
    return FaultRecord(rule=str(raw.get("rule")), action=redactor.json(action))


def _jsonable(value: Any) -> Any:
    """``value`` as plain JSON data: anything else becomes its ``str``, NaN ``"NaN"``."""
    return json.loads(json.dumps(value, default=str), parse_constant=str)
