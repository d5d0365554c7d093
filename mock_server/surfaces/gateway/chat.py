"""One chat socket: handshake, the client's messages, and the turns' frames.

``ChatSocket.run`` accepts, authenticates the token from the URL (close 4001), finds the
session (close 4002), sends the opening frames, resumes any turn of the session whose
``done`` was never delivered (the CLI's one reconnect), then serves the client's
messages: ``message`` opens a turn on the same ``TurnRunner`` as ``/run_sse`` (same plan,
pricing, timing and state edits), ``ping`` is answered ``pong``, ``abort`` stops
following the turn (its work goes on, as when a stream drops).

Questions (``questions.py``): a turn the agent cannot act on ends with ``ask_question``
instead of its text, and without ``done``; with the ``ask_question`` fault the first
message is answered with a question before any work. The client's next ``message`` is the
answer (joined to the held message for the fault's question); that turn's ``done`` ends
the exchange.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from nemo_mock.mock_server.domain.errors import AuthError, NemoError, SessionNotFound
from nemo_mock.mock_server.domain.sessions import Session
from nemo_mock.mock_server.domain.tokens import AccessToken, Scope
from nemo_mock.mock_server.edge.scope import FAULT_ACTION, note
from nemo_mock.mock_server.runtime import Mock
from nemo_mock.mock_server.sse.turns import Turn
from nemo_mock.mock_server.surfaces.gateway import asyncapi, frames, questions
from nemo_mock.mock_server.surfaces.gateway.feeds import ChatHub, TurnFeed

CLOSE_AUTH = 4001
CLOSE_SESSION = 4002


@dataclass(frozen=True)
class Asked:
    """A question waiting for the client's answer: the turn that asked, and the message the
    answer joins (the ``ask_question`` fault's question) or ``""`` (the answer stands alone)."""

    turn: int
    message: str = ""


class ChatSocket:
    def __init__(self, ws: WebSocket, mock: Mock, hub: ChatHub) -> None:
        self._ws, self._mock, self._hub = ws, mock, hub
        self._following: asyncio.Task[None] | None = None
        self._token: AccessToken | None = None
        self._session: Session | None = None
        self._send_lock = asyncio.Lock()
        self._turns: list[int] = []
        self._asked: Asked | None = None
        action = ws.scope.get(FAULT_ACTION)
        self._ask_first = bool(getattr(action, "ask_question", False))

    async def run(self, raw_token: str | None, session_id: str | None) -> None:
        await self._ws.accept()
        if not await self._handshake(raw_token, session_id):
            return
        assert self._session is not None
        for frame in frames.opening(self._session.session_id, f"sbx_{self._session.task_id}"):
            await self._send(frame)
        self._follow(self._hub.pending(self._session))
        try:
            while True:
                await self._on_client(await self._ws.receive_text())
        except WebSocketDisconnect:
            pass
        finally:
            if self._following is not None:
                self._following.cancel()

    async def _handshake(self, raw_token: str | None, session_id: str | None) -> bool:
        backend = self._mock.backend
        try:
            self._token = backend.authenticate(raw_token or "", Scope.WRITE)
        except AuthError as exc:
            await self._ws.close(CLOSE_AUTH, _reason(exc.message))
            return False
        try:
            if not session_id:
                raise SessionNotFound("missing session_id: connect with ?session_id=<session>")
            self._session = backend.session_for(self._token, "me", session_id)
        except SessionNotFound as exc:
            await self._ws.close(CLOSE_SESSION, _reason(exc.message))
            return False
        return True

    async def _on_client(self, raw: str) -> None:
        """A client frame, checked against the contract's ``ClientFrame`` first."""
        message = _parse(raw)
        wrong = "not JSON" if message is None else asyncapi.problem(message, "ClientFrame")
        if wrong is not None or message is None:
            await self._send(frames.error(f"client frame refused: {wrong}", 400))
        elif message["type"] == "ping":
            await self._send(frames.pong())
        elif message["type"] == "abort":
            await self._abort()
        else:
            await self._open_turn(message)

    async def _open_turn(self, message: dict[str, Any]) -> None:
        content = str(message["content"])
        assert self._token is not None and self._session is not None
        message_id = str(message.get("client_message_id") or f"msg_{self._session.turns + 1}")
        if self._asked is not None:  # the answer
            asked, self._asked = self._asked, None
            content = questions.joined(asked.message, content) if asked.message else content
        elif self._ask_first:
            await self._ask_first_question(message_id, content)
            return
        try:
            turn = await self._mock.turns.open(self._token, "me", self._session.session_id, content)
        except NemoError as exc:
            await self._send(frames.error(exc.message, exc.code))
            return
        self._turns.append(turn.number)
        note(self._ws.scope, turns=list(self._turns), kind=turn.kind, busy_with=turn.busy_with)
        # the feed first: if the socket goes while the frames below are sent, a reconnect
        # still finds the turn and follows it
        feed = self._hub.start(self._session, turn, message_id, self._question_for(turn))
        for frame in frames.accepted(message_id, turn.number):
            await self._send(frame)
        self._follow([feed])

    def _question_for(self, turn: Turn) -> frames.Frame | None:
        """The question that stands for the text of a turn the agent could not act on."""
        if turn.intent != "clarify":
            return None
        assert self._session is not None
        state = self._session.state
        return questions.clarify_question(
            turn.number,
            turn.language,
            has_timeline=state.draft.export_ready,
            has_uploads=bool(state.video_infos),
        )

    async def _ask_first_question(self, message_id: str, content: str) -> None:
        """The ``ask_question`` fault: a question before the first message's work."""
        assert self._session is not None
        self._ask_first = False
        number = self._session.turns + 1  # the turn the answer will open
        self._asked = Asked(number, content)
        for frame in frames.accepted(message_id, number):
            await self._send(frame)
        await self._send(questions.style_question(number))

    def _follow(self, feeds: list[TurnFeed]) -> None:
        """Send the feeds' frames after whatever this socket is already following."""
        if not feeds:
            return
        before = self._following

        async def follow() -> None:
            if before is not None:
                await asyncio.shield(before)
            try:
                for feed in feeds:
                    await self._deliver(feed)
            except WebSocketDisconnect:
                pass  # the client went (or a fault closed the socket): the work goes on

        self._following = asyncio.create_task(follow())

    async def _deliver(self, feed: TurnFeed) -> None:
        async for frame in feed.undelivered():
            await self._send(frame)
            feed.delivered += 1
        if feed.question is not None and feed.question in feed.frames:
            self._asked = Asked(feed.turn.number)  # no done until the answer's turn ends
        else:
            await self._send(frames.done(feed.turn.session_id, feed.turn.number))
        self._hub.delivered(feed)

    async def _abort(self) -> None:
        assert self._session is not None
        if self._asked is not None:
            asked, self._asked = self._asked, None
            await self._send(frames.done(self._session.session_id, asked.turn, "aborted"))
        if self._following is not None and not self._following.done():
            self._following.cancel()
            for feed in self._hub.pending(self._session):
                self._hub.delivered(feed)
                await self._send(frames.done(feed.turn.session_id, feed.turn.number, "aborted"))

    async def _send(self, frame: frames.Frame) -> None:
        async with self._send_lock:
            await self._ws.send_text(frames.encode(frame))


def _parse(raw: str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _reason(message: str) -> str:
    """A close reason fits in 123 bytes."""
    return message.encode()[:120].decode("utf-8", "ignore")
