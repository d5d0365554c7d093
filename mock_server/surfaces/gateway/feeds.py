"""A turn's frames, kept so any socket of the session can follow them.

The CLI reconnects once when its socket drops and never re-sends its prompt: the
server must go on with the turn and send ``done`` on the new socket. So a turn's frames
are not sent straight from the turn's queue: a pump reads the queue into a ``TurnFeed``,
and whichever socket is attached sends what has not been delivered yet. A dropped socket
cancels nothing: the turn's work (timeline edits, credits) goes on as on ``/run_sse``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from nemo_mock.mock_server.domain.sessions import Session
from nemo_mock.mock_server.sse.turns import Turn
from nemo_mock.mock_server.surfaces.gateway.frames import Frame, frames_of


class TurnFeed:
    """``question``: the ``ask_question`` frame that stands for the turn's text (the agent
    could not act on the message); a feed that asks ends without ``done``."""

    def __init__(
        self, session: Session, turn: Turn, message_id: str, question: Frame | None = None
    ) -> None:
        self.session = session
        self.turn = turn
        self.message_id = message_id
        self.question = question
        self.frames: list[Frame] = []
        self.finished = False
        #: How many frames some socket has sent; a new socket carries on from here.
        self.delivered = 0
        self.done_sent = False
        self._changed = asyncio.Condition()

    async def pump(self) -> None:
        try:
            async for event in self.turn.stream():
                framed = frames_of(event)
                if self.question is not None and event.kind == "text":
                    framed = [self.question]
                async with self._changed:
                    self.frames.extend(framed)
                    self._changed.notify_all()
        finally:
            async with self._changed:
                self.finished = True
                self._changed.notify_all()

    async def undelivered(self) -> AsyncIterator[Frame]:
        """Frames from ``delivered`` on, as they come, until the turn is finished; the
        caller bumps ``delivered`` after each frame it really sent."""
        while True:
            async with self._changed:
                await self._changed.wait_for(self._has_news)
                if self.delivered >= len(self.frames):
                    return
                frame = self.frames[self.delivered]
            yield frame

    def _has_news(self) -> bool:
        return self.finished or self.delivered < len(self.frames)


class ChatHub:
    """Per session: the feeds whose ``done`` no socket has delivered yet, oldest first."""

    def __init__(self) -> None:
        self._pending: dict[str, list[TurnFeed]] = {}
        self._pumps: set[asyncio.Task[None]] = set()

    def start(
        self, session: Session, turn: Turn, message_id: str, question: Frame | None = None
    ) -> TurnFeed:
        feed = TurnFeed(session, turn, message_id, question)
        self._pending.setdefault(turn.session_id, []).append(feed)
        task = asyncio.create_task(feed.pump())
        self._pumps.add(task)
        task.add_done_callback(self._pumps.discard)
        return feed

    def pending(self, session: Session) -> list[TurnFeed]:
        """Feeds of this very session (a reset may hand its id to a new one)."""
        feeds = self._pending.get(session.session_id, [])
        return [f for f in feeds if f.session is session and not f.done_sent]

    def delivered(self, feed: TurnFeed) -> None:
        feed.done_sent = True
        feeds = self._pending.get(feed.turn.session_id, [])
        if feed in feeds:
            feeds.remove(feed)
