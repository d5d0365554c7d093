"""Delegated agent turns: the skill surface's agent engine (``TurnRunner``), read as
``turn_state`` ``running -> awaiting_input | stopped``.

What a poll shows (state, statuses, events) is ``turn_view.view_of``. A repeated
``turn_id`` drops the new request and answers the earlier turn; a session with a
turn running refuses another (nothing accepted). Cancelling marks the turn stopped with
``user_abort`` at once; the work already under way carries on, so a paid generation is not
refunded and the turn's last write can land after it reports terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nemo_mock.mock_server.domain.errors import BadRequest, NotFound
from nemo_mock.mock_server.domain.mcp_errors import TurnRunning
from nemo_mock.mock_server.sse.turns import FAILURE
from nemo_mock.mock_server.surfaces.mcp import faults
from nemo_mock.mock_server.surfaces.mcp.turn_view import view_of


@dataclass
class DelegatedTurn:
    turn_id: str
    session_id: str
    user_id: str
    turn: Any  # nemo_mock.mock_server.sse.turns.Turn
    cancelled: bool = False
    stuck: bool = False  # a turn_stuck fault: reports running until cancelled

    @property
    def running(self) -> bool:
        return not self.cancelled and (self.stuck or not self.turn.done.is_set())


class DelegatedTurns:
    def __init__(self, mcp: Any) -> None:
        self._mcp = mcp

    @property
    def _table(self) -> dict[str, DelegatedTurn]:
        table: dict[str, DelegatedTurn] = self._mcp.tables.turns
        return table

    def running_in(self, session_id: str) -> bool:
        runner = self._mcp.mock.turns
        mine = any(t.session_id == session_id and t.running for t in self._table.values())
        return mine or runner.busy_with(session_id) is not None

    async def delegate(self, who: Any, args: dict[str, Any]) -> dict[str, Any]:
        turn_id = args.get("turn_id")
        if turn_id is not None and turn_id in self._table:
            earlier = self._table[turn_id]
            if earlier.user_id == who.user_id:
                return {**self.to_json(earlier), "repeated": True}
            raise BadRequest(f"turn_id {turn_id[:64]!r} is taken: choose another")
        backend = self._mcp.backend
        session = backend.sessions.get(args["session_id"], who.user_id)
        if self.running_in(session.session_id):
            raise TurnRunning(
                f"the session {session.session_id} already has a turn running: nothing was "
                "accepted; poll get_nemo_agent_turn until it stops, then delegate again"
            )
        self._attach(who, session, args.get("attachments", []))
        turn = await self._mcp.mock.turns.open(
            who.token(), "me", session.session_id, args["message"]
        )
        turn_id = turn_id or f"turn_{backend.rng.getrandbits(64):016x}"
        fault = faults.active()
        stuck = fault is not None and bool(fault.turn_stuck)
        record = DelegatedTurn(turn_id, session.session_id, who.user_id, turn, stuck=stuck)
        self._table[turn_id] = record
        return {**self.to_json(record), "repeated": False}

    def _attach(self, who: Any, session: Any, attachments: list[dict[str, Any]]) -> None:
        have = {m.file_id for m in session.state.video_infos}
        for item in attachments:
            media = self._mcp.upload_of(who.user_id, item["file_id"])
            if media is None:
                raise BadRequest(
                    f"attachment {item['file_id'][:64]!r} is not a file of this account: "
                    "use the file_id upload_asset returned"
                )
            if media.file_id not in have:
                self._mcp.backend.record_uploads(session, [media])

    def get(self, who: Any, turn_id: str) -> dict[str, Any]:
        return {**self.to_json(self._find(who, turn_id)), "repeated": False}

    def cancel(self, who: Any, turn_id: str) -> dict[str, Any]:
        record = self._find(who, turn_id)
        if record.running:
            record.cancelled = True
        return {**self.to_json(record), "repeated": False}

    def _find(self, who: Any, turn_id: str) -> DelegatedTurn:
        record = self._table.get(turn_id)
        if record is None or record.user_id != who.user_id:
            raise NotFound(f"no turn {turn_id[:64]!r} of this account")
        return record

    async def stop(self) -> None:
        """The turns themselves belong to the TurnRunner, which stops them."""

    def to_json(self, record: DelegatedTurn) -> dict[str, Any]:
        project = self._mcp.projects.of_session(record.session_id)
        if project is not None:
            self._mcp.sync(project)
        view = view_of(
            record.turn.events,
            running=record.running,
            cancelled=record.cancelled,
            failure_words=tuple(FAILURE.values()),
        )
        return {
            "turn_id": record.turn_id,
            "session_id": record.session_id,
            **view,
            "project_version": project.version if project else None,
        }
