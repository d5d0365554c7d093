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

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.errors import NotFound
from nemo_mock.mock_server.domain.oauth import OAuthBook
from nemo_mock.mock_server.edge.envelope import failure
from nemo_mock.mock_server.edge.errors import http_status
from nemo_mock.mock_server.edge.facts import RequestFacts, facts_of, note_body_session
from nemo_mock.mock_server.edge.headers import FAULT_HEADER, credential_of, request_headers
from nemo_mock.mock_server.edge.headers import header as _header
from nemo_mock.mock_server.edge.layers import Layer, first_busy
from nemo_mock.mock_server.edge.read_ahead import read_ahead
from nemo_mock.mock_server.edge.scope import FAULT, FAULT_ACTION
from nemo_mock.mock_server.edge.surfaces import surface_of
from nemo_mock.mock_server.faults.actions import FaultAction
from nemo_mock.mock_server.faults.errors import injected_error
from nemo_mock.mock_server.faults.kinds import kind_named
from nemo_mock.mock_server.faults.rules import FaultBook, Firing
from nemo_mock.mock_server.faults.sockets import SocketTap, drop_socket, refuse_socket, url_token
from nemo_mock.mock_server.faults.spec import SpecError, parse_action
from nemo_mock.mock_server.faults.wire import StreamTap
from nemo_mock.mock_server.settings import ErrorStyle

log = logging.getLogger("nemo_mock.faults")

HEADER = FAULT_HEADER
PEEK_LIMIT = 64 * 1024
BODY_SESSION_OPERATIONS = frozenset(
    {"runSse", "startRender", "startRenderLegacy", "createClaimToken"}
)
#: Operations whose body names the MCP tool called (the rule may name the tool).
BODY_TOOL_OPERATIONS = frozenset({"mcp.postMcpMessage"})
DROP_DECLARED_LENGTH = b"64"


class FaultMiddleware(Layer):
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

    def idle(self, scope: Scope) -> bool:
        """Off the surfaces, or no rule armed and no ``X-Mock-Fault`` honoured on it."""
        kind = scope["type"]
        if kind not in ("http", "websocket") or surface_of(scope["path"]) is None:
            return True
        if self.book.armed:
            return False
        return kind == "websocket" or not self.honour_header or not request_headers(scope).fault

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.idle(scope):
            await first_busy(self.app, scope)(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await self._socket(scope, receive, send)
            return
        header = _header(scope.get("headers", []), HEADER) if self.honour_header else None
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
            await first_busy(self.app, scope)(scope, receive, send)
            return
        scope[FAULT] = {"rule": firing.rule_id, "action": firing.action.summary()}
        scope[FAULT_ACTION] = firing.action
        if latency:
            await asyncio.sleep(latency / 1000)
        await self._act(firing, scope, receive, send)

    async def _decide(self, scope: Scope, receive: Receive) -> tuple[Firing | None, int, Receive]:
        if not self.book.rules():
            return None, 0, receive
        facts = facts_of(scope)
        if facts.operation in BODY_TOOL_OPERATIONS or (
            facts.session is None
            and facts.operation in BODY_SESSION_OPERATIONS
            and self._wants_session()
        ):
            facts, receive = await _with_body_session(scope, receive)
        decision = self.book.decide(facts)
        return decision.main, decision.latency_ms, receive

    async def _socket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A socket's handshake: the rules decide as for a request (faults/sockets.py)."""
        decision = self.book.decide(facts_of(scope)) if self.book.rules() else None
        firing = decision.main if decision is not None else None
        latency = decision.latency_ms if decision is not None else 0
        if firing is None:
            if latency:
                await asyncio.sleep(latency / 1000)
            await self.app(scope, receive, send)
            return
        scope[FAULT] = {"rule": firing.rule_id, "action": firing.action.summary()}
        scope[FAULT_ACTION] = action = firing.action
        if action.latency_ms:
            await asyncio.sleep(action.latency_ms / 1000)
        if action.kind == "error":
            code, message, _, _ = injected_error(firing, self.backend, None)
            await refuse_socket(code, message, self.error_style(), receive, send)
        elif action.kind == "drop":
            await drop_socket(receive, send)
        elif kind_named(action.kind).acts == "socket" and action.kind != "ask_question":
            tap = SocketTap(action, firing.rule_id, scope)
            await _tapped(self.app, tap, scope, receive, send)
        else:
            self._side_effects(action, scope, url_token(scope))
            await self.app(scope, receive, send)

    def _wants_session(self) -> bool:
        return any(active.rule.session is not None for active in self.book.rules())

    async def _act(self, firing: Firing, scope: Scope, receive: Receive, send: Send) -> None:
        action = firing.action
        kind = kind_named(action.kind)
        if kind.name == "error" and _is_tool(scope):
            await self.app(scope, receive, send)  # a tool error, answered by the MCP server
        elif kind.name == "error":
            receive = await _read_some(receive)  # as a server would: the journal sees it too
            await self._error(firing, scope)(scope, receive, send)
        elif kind.name == "drop":
            await _drop(send)
        elif kind.acts == "wire":
            tap = StreamTap(
                cut_after=action.cut_after,
                abort=bool(action.abort),
                malformed=bool(action.malformed),
            )
            await _tapped(self.app, tap, scope, receive, send)
        else:  # before the app, then the app; turn and render kinds act in the app
            self._side_effects(action, scope)
            await self.app(scope, receive, send)

    def _error(self, firing: Firing, scope: Scope) -> JSONResponse:
        token = credential_of(scope).token
        code, message, data, retry_after = injected_error(firing, self.backend, token)
        surface = surface_of(scope["path"])
        if code == 1001 and surface is not None and surface.auth_codes:
            code = surface.auth_codes[0]  # the gateway says 1010 where the skill says 1001
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return JSONResponse(
            failure(code, message, data),
            status_code=http_status(code, self.error_style()),
            headers=headers,
        )

    def _side_effects(self, action: FaultAction, scope: Scope, raw: str | None = None) -> None:
        """``raw``: the caller's token when it is not in a header (a socket's URL)."""
        if action.advance_clock:
            self.backend.clock.advance(action.advance_clock)
        raw = raw or credential_of(scope).token
        if action.expire_token and raw:
            try:
                self.backend.tokens.expire_now(raw)
            except NotFound:
                if not OAuthBook(self.backend.store.mcp.oauth, self.backend.clock).expire(raw):
                    log.info("expire_token fault: the request's token is unknown")


def _is_tool(scope: Scope) -> bool:
    """Whether this request is a call of an MCP tool (its errors are tool errors)."""
    operation = facts_of(scope).operation or ""
    surface = surface_of(scope["path"])
    return surface is not None and operation in surface.tool_operations


async def _tapped(
    app: ASGIApp, tap: StreamTap | SocketTap, scope: Scope, receive: Receive, send: Send
) -> None:
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
    _, replay = await read_ahead(receive, PEEK_LIMIT)
    return replay


async def _with_body_session(scope: Scope, receive: Receive) -> tuple[RequestFacts, Receive]:
    """Read a small JSON body for the session it names (added to the request's facts), and
    give the app a receive that replays it."""
    body, replay = await read_ahead(receive, PEEK_LIMIT)
    try:
        document = json.loads(body) if body is not None else None
    except (ValueError, RecursionError):  # the route names what is wrong with the body
        document = None
    return note_body_session(scope, document), replay


def _spec_error(exc: SpecError) -> JSONResponse:
    return JSONResponse(
        failure(422, f"X-Mock-Fault: {exc.message}", {"valid_forms": list(exc.forms)}),
        status_code=422,
    )
