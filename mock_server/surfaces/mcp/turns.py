"""Delegated agent turns: the skill surface's agent engine (``TurnRunner``), read as
``turn_state`` ``running -> awaiting_input | stopped``.

A repeated ``turn_id`` drops the new request and answers the earlier turn; a session with a
turn running refuses another (nothing accepted). Cancelling marks the turn stopped with
``user_abort`` at once; the work already under way carries on, so a paid generation is not
refunded and the turn's last write can land after it reports terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mock_server.domain.errors import BadRequest, NotFound
from mock_server.domain.mcp_errors import TurnRunning

MAX_EVENTS = 50


@dataclass
class DelegatedTurn:
    turn_id: str
    session_id: str
    user_id: str
    turn: Any  # mock_server.sse.turns.Turn
    cancelled: bool = False


class DelegatedTurns:
    def __init__(self, mcp: Any) -> None:
        self._mcp = mcp

    @property
    def _table(self) -> dict[str, DelegatedTurn]:
        table: dict[str, DelegatedTurn] = self._mcp.tables.turns
        return table

    def running_in(self, session_id: str) -> bool:
        runner = self._mcp.mock.turns
        mine = any(
            t.session_id == session_id and not t.cancelled and not t.turn.done.is_set()
            for t in self._table.values()
        )
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
        record = DelegatedTurn(turn_id, session.session_id, who.user_id, turn)
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
        if not record.turn.done.is_set():
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
        events = [e for e in record.turn.events if e.kind in ("text", "tool_call", "tool_result")]
        statuses = _statuses(events, record)
        state = _state(record, events)
        project = self._mcp.projects.of_session(record.session_id)
        if project is not None:
            self._mcp.sync(project)
        return {
            "turn_id": record.turn_id,
            "session_id": record.session_id,
            "turn_state": state,
            "ok": state == "stopped" and not record.cancelled and "failed" not in statuses,
            "runtime_statuses": statuses,
            "events": [{"type": e.kind, **e.payload} for e in events[-MAX_EVENTS:]],
            "events_truncated": len(events) > MAX_EVENTS,
            "project_version": project.version if project else None,
        }


def _state(record: DelegatedTurn, events: list[Any]) -> str:
    if record.cancelled:
        return "stopped"
    if not record.turn.done.is_set():
        return "running"
    calls = [e for e in events if e.kind == "tool_call"]
    texts = [e.payload.get("content", "") for e in events if e.kind == "text"]
    if not calls and texts and texts[-1].rstrip().endswith(("?", "？")):
        return "awaiting_input"
    return "stopped"


def _statuses(events: list[Any], record: DelegatedTurn) -> list[str]:
    statuses: list[str] = []
    for event in events:
        if event.kind == "tool_call":
            statuses.append("running")
        elif event.kind == "tool_result" and "running" in statuses:
            statuses[statuses.index("running")] = "completed"
    done = record.turn.done.is_set()
    if record.cancelled:
        statuses = [s if s == "completed" else "user_abort" for s in statuses] or ["user_abort"]
    elif done and not statuses:
        statuses = ["completed"]
    texts = " ".join(e.payload.get("content", "") for e in events if e.kind == "text")
    if done and "something went wrong" in texts:
        statuses.append("failed")
    return statuses
