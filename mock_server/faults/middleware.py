"""The faults middleware: decide which fault a request gets, then act it out.

Pure ASGI: nothing is buffered except, when a rule matches on the session, a
small JSON body (at most ``PEEK_LIMIT`` bytes) that is read to find
``session_id``/``sessionId`` and then replayed to the app untouched.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.domain.backend import NemoBackend
from mock_server.domain.errors import NotFound
from mock_server.domain.secrets import bearer_fingerprint
from mock_server.edge.envelope import failure
from mock_server.edge.errors import http_status
from mock_server.edge.read_ahead import read_ahead
from mock_server.edge.scope import FAULT, FAULT_ACTION
from mock_server.edge.surfaces import resolve, surface_of
from mock_server.faults.actions import FaultAction
from mock_server.faults.errors import injected_error
from mock_server.faults.rules import FaultBook, Firing, RequestFacts
from mock_server.faults.spec import SpecError, parse_action
from mock_server.faults.wire import StreamTap
from mock_server.settings import ErrorStyle

log = logging.getLogger("nemo_mock.faults")

HEADER = "x-mock-fault"
PEEK_LIMIT = 64 * 1024
BODY_SESSION_OPERATIONS = frozenset(
    {"runSse", "startRender", "startRenderLegacy", "createClaimToken"}
)
DROP_DECLARED_LENGTH = b"64"


class FaultMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        book: FaultBook,
        backend: NemoBackend,
        error_style: Callable[[], ErrorStyle],
        honour_header: bool = True,
    ) -> None:
        self.app = app
        self.book = book
        self.backend = backend
        self.error_style = error_style
        #: Whether ``X-Mock-Fault`` is honoured (not with ``--no-control``).
        self.honour_header = honour_header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or surface_of(scope["path"]) is None:
            await self.app(scope, receive, send)
            return
        header = _header(scope, HEADER) if self.honour_header else None
        firing: Firing | None
        if header is not None:
            try:
                action = parse_action(header)
            except SpecError as exc:
                await _spec_error(exc)(scope, receive, send)
                return
            firing, latency = Firing("header", action), action.latency_ms or 0
        else:
            firing, latency, receive = await self._decide(scope, receive)
        if firing is None:
            await self.app(scope, receive, send)
            return
        scope[FAULT] = {"rule": firing.rule_id, "action": firing.action.summary()}
        scope[FAULT_ACTION] = firing.action
        if latency:
            await asyncio.sleep(latency / 1000)
        await self._act(firing, scope, receive, send)

    async def _decide(self, scope: Scope, receive: Receive) -> tuple[Firing | None, int, Receive]:
        if not self.book.rules():
            return None, 0, receive
        resolved = resolve(scope["method"], scope["path"])
        operation = resolved.operation if resolved else None
        session = resolved.params.get("session_id") if resolved else None
        if session is None and operation in BODY_SESSION_OPERATIONS and self._wants_session():
            session, receive = await _peek_session(receive)
        facts = RequestFacts(
            method=scope["method"],
            path=scope["path"],
            operation=operation,
            token=bearer_fingerprint(_header(scope, "authorization")),
            client_id=_header(scope, "x-client-id"),
            session=session,
        )
        decision = self.book.decide(facts)
        return decision.main, decision.latency_ms, receive

    def _wants_session(self) -> bool:
        return any(active.rule.session is not None for active in self.book.rules())

    async def _act(self, firing: Firing, scope: Scope, receive: Receive, send: Send) -> None:
        action = firing.action
        kind = action.kind
        if kind == "error":
            receive = await _read_some(receive)  # as a server would: the journal sees it too
            await self._error(firing, scope)(scope, receive, send)
        elif kind == "drop":
            await _drop(send)
        elif kind in ("cut_after", "malformed"):
            tap = StreamTap(
                cut_after=action.cut_after,
                abort=bool(action.abort),
                malformed=bool(action.malformed),
            )
            await _tapped(self.app, tap, scope, receive, send)
        else:
            self._side_effects(action, scope)
            await self.app(scope, receive, send)

    def _error(self, firing: Firing, scope: Scope) -> JSONResponse:
        code, message, data, retry_after = injected_error(firing, self.backend, _bearer(scope))
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return JSONResponse(
            failure(code, message, data),
            status_code=http_status(code, self.error_style()),
            headers=headers,
        )

    def _side_effects(self, action: FaultAction, scope: Scope) -> None:
        if action.advance_clock:
            self.backend.clock.advance(action.advance_clock)
        if action.expire_token and (raw := _bearer(scope)):
            try:
                self.backend.tokens.expire_now(raw)
            except NotFound:
                log.info("expire_token fault: the request's token is unknown; nothing to expire")


async def _tapped(app: ASGIApp, tap: StreamTap, scope: Scope, receive: Receive, send: Send) -> None:
    async def tapped_receive() -> Message:
        return await tap.receive(receive)

    async def tapped_send(message: Message) -> None:
        await tap.send(message, send)

    await app(scope, tapped_receive, tapped_send)


async def _drop(send: Send) -> None:
    """A status line and headers promising a body that never comes: the connection closes."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", DROP_DECLARED_LENGTH),
            ],
        }
    )


async def _read_some(receive: Receive) -> Receive:
    """Read the request body up to ``PEEK_LIMIT`` before refusing it (outer layers, like the
    journal, then see the session it names); a receive that replays what was read."""
    _, replay = await _peek_session(receive)
    return replay


async def _peek_session(receive: Receive) -> tuple[str | None, Receive]:
    """Read a small JSON body for its session id, and give the app a receive that replays it."""
    body, replay = await read_ahead(receive, PEEK_LIMIT)
    return (_session_in(body) if body is not None else None), replay


def _session_in(body: bytes) -> str | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    value = document.get("session_id", document.get("sessionId"))
    return value if isinstance(value, str) else None


def _spec_error(exc: SpecError) -> JSONResponse:
    return JSONResponse(
        failure(422, f"X-Mock-Fault: {exc.message}", {"valid_forms": list(exc.forms)}),
        status_code=422,
    )


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.encode("latin-1")
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            return str(value.decode("latin-1"))
    return None


def _bearer(scope: Scope) -> str | None:
    authorization = _header(scope, "authorization") or ""
    scheme, _, raw = authorization.strip().partition(" ")
    return raw.strip() if scheme.lower() == "bearer" and raw.strip() else None
