"""What each dashboard page shows, read from the runtime: plain values for the templates.
Tokens appear only as fingerprints; nothing here changes state."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from nemo_mock.mock_server.domain.usage import UsageEntry
from nemo_mock.mock_server.edge.surfaces import SURFACES, surface_of
from nemo_mock.mock_server.journal.entry import JournalEntry
from nemo_mock.mock_server.runtime import Mock
from nemo_mock.mock_server.ui.timeline import Layout, lay_out


@dataclass(frozen=True)
class UserRow:
    user_id: str
    plan: str
    tokens: tuple[str, ...]  # fingerprints
    available: int
    frozen: int
    total: int
    holds: tuple[str, ...]
    sessions: tuple[str, ...]
    history: tuple[LedgerLine, ...] = ()  # newest first, the last HISTORY_LINES


@dataclass(frozen=True)
class LedgerLine:
    """One line of a user's credit history: a grant, a paid turn, an expiry."""

    at: str
    kind: str
    delta: int
    what: str


HISTORY_LINES = 20


def _history(entries: list[UsageEntry], user_id: str) -> tuple[LedgerLine, ...]:
    mine = [e for e in entries if e.user_id == user_id][-HISTORY_LINES:]
    return tuple(
        LedgerLine(
            e.created_at.isoformat(timespec="seconds"), e.kind.value, e.amount_delta,
            (e.conversation.user_message if e.conversation and not
             e.conversation.user_message_hidden else e.grant_source or ""),
        )
        for e in reversed(mine)
    )  # fmt: skip


@dataclass(frozen=True)
class Overview:
    now: str
    clock_offset_s: float
    users: tuple[UserRow, ...]
    counters: dict[str, int]
    scenarios: tuple[str, ...]
    faults: tuple[dict[str, Any], ...]


def overview(mock: Mock) -> Overview:
    store = mock.backend.store
    tokens: dict[str, list[str]] = {}
    for fp, token in list(store.tokens.access.items()):
        tokens.setdefault(token.user_id, []).append(fp)
    sessions: dict[str, list[str]] = {}
    for session in list(store.sessions.values()):
        sessions.setdefault(session.user_id, []).append(session.session_id)
    rows = []
    usage = list(store.usage)
    for user in list(store.users.values()):
        balance = store.ledger.balance(user.user_id)
        holds = tuple(f"{h.amount} for {h.reason}" for h in store.ledger.open_holds(user.user_id))
        rows.append(
            UserRow(
                user.user_id, user.plan, tuple(tokens.get(user.user_id, ())),
                balance.available, balance.frozen, balance.total, holds,
                tuple(sessions.get(user.user_id, ())), _history(usage, user.user_id),
            )
        )  # fmt: skip
    entries = mock.journal.query()
    counters = {
        "requests": len(entries),
        "turns": sum(1 for e in entries if e.operation == "runSse"),
        "renders": len(store.renders),
        "faults fired": sum(1 for e in entries if e.fault is not None),
        "errors": sum(1 for e in entries if (e.status or 0) >= 400 or (e.code or 0) != 0),
    }
    clock = mock.backend.clock
    return Overview(
        now=clock.now().isoformat(timespec="seconds"),
        clock_offset_s=float(getattr(clock, "offset_seconds", 0.0)),
        users=tuple(rows),
        counters=counters,
        scenarios=tuple(mock.loaded_scenarios),
        faults=tuple(rule.to_json() for rule in mock.faults.rules()),
    )


@dataclass(frozen=True)
class TurnView:
    seq: int
    at: str
    message: str
    status: str
    events: tuple[tuple[str, str], ...]  # (kind, text)
    silent: bool
    outcome: str


@dataclass(frozen=True)
class SessionView:
    session_id: str
    user_id: str
    task_name: str
    revision: int
    layout: Layout
    files: tuple[dict[str, Any], ...]
    generated: tuple[dict[str, Any], ...]
    turns: tuple[TurnView, ...] = field(default=())

    @property
    def etag(self) -> str:
        """Changes whenever what the page shows changes (an edit, a turn)."""
        return f"{self.revision}.{len(self.turns)}"


def session_view(mock: Mock, session_id: str) -> SessionView | None:
    store = mock.backend.store
    session = store.sessions.get(session_id)
    if session is None:
        return None
    state = session.state.to_json()
    by_id = {f["file_id"]: f for f in state["video_infos"]}

    def resolve(src: str) -> tuple[str | None, str | None]:
        found = by_id.get(src) or next(
            (f for f in state["video_infos"] if f["cdn_url"] == src), None
        )
        kind = found["file_type"] if found else None
        if kind == "audio" or (found is None and src.startswith(("bgm_", "gen_"))):
            return "audio", f"/_mock/ui/waveform/{session_id}/{quote(src, safe='')}.svg"
        return (kind, found["cdn_url"]) if found else (None, None)

    turns = tuple(
        _turn(entry) for entry in mock.journal.query(session=session_id, operation="runSse")
    )
    return SessionView(
        session.session_id,
        session.user_id,
        session.task_name,
        session.revision,
        lay_out(state["draft"], resolve),
        tuple(state["video_infos"]),
        tuple({k: v for k, v in g.items() if k != "path"} for g in state["generated_media"]),
        turns,
    )


def _turn(entry: JournalEntry) -> TurnView:
    body = entry.request.body if isinstance(entry.request.body, dict) else {}
    parts = (body.get("new_message") or {}).get("parts") or [{}]
    message = str(parts[0].get("text") or "") if isinstance(parts[0], dict) else ""
    events: list[tuple[str, str]] = []
    beats = 0
    for event in entry.events or []:
        kind, text = _event(event.data)
        if kind == "heartbeat":
            beats += 1
            continue
        if beats:
            events.append(("heartbeat", f"{beats} keep-alive(s)"))
            beats = 0
        events.append((kind, text))
    if beats:
        events.append(("heartbeat", f"{beats} keep-alive(s)"))
    silent = entry.outcome == "completed" and not any(k == "text" for k, _ in events)
    status = f"{entry.status}" + (f" code {entry.code}" if entry.code else "")
    return TurnView(
        entry.seq, entry.at[11:19], message, status, tuple(events), silent, entry.outcome
    )


def _event(data: str) -> tuple[str, str]:
    import json

    if not data.strip():
        return "heartbeat", ""
    try:
        event = json.loads(data)
    except ValueError:
        return "malformed", data[:200]
    if not isinstance(event, dict):
        return "malformed", data[:200]
    kind = str(event.get("type") or "?")
    if kind == "text":
        return kind, str(event.get("content") or "")
    if kind in ("tool_call", "tool_result"):
        detail = event.get("args") if kind == "tool_call" else event.get("result")
        summary = detail.get("summary") if isinstance(detail, dict) else None
        return kind, f"{event.get('name')}: {summary or json.dumps(detail)[:300]}"
    return kind, ""


@dataclass(frozen=True)
class RenderRow:
    render_id: str
    user_id: str
    session_id: str
    status: str
    progress: int
    error: str | None
    url: str | None
    duration: float | None
    size: int | None
    command: str | None = None  # the ffmpeg command line of a failed render


def renders(mock: Mock) -> tuple[RenderRow, ...]:
    jobs = sorted(mock.backend.store.renders.values(), key=lambda j: j.created_at, reverse=True)
    return tuple(
        RenderRow(
            job.render_id, job.user_id, job.session_id, job.status.value, job.progress,
            job.error,
            f"/cdn/renders/{job.output_key}/{job.render_id}.mp4" if job.output_path else None,
            job.output_duration, job.output_size, mock.renders.failed_command(job.render_id),
        )
        for job in jobs
    )  # fmt: skip


def renders_etag(rows: tuple[RenderRow, ...]) -> str:
    return "|".join(f"{r.render_id}:{r.status}:{r.progress}" for r in rows)


@dataclass(frozen=True)
class JournalFilter:
    operation: str | None = None
    status: str | None = None  # "ok" | "error"
    user: str | None = None  # token fingerprint prefix
    session: str | None = None
    fault: bool = False
    surface: str | None = None  # skill | gateway | mcp
    rule: str | None = None  # a client rule's id: only the entries it names as evidence


def journal_rows(
    mock: Mock, chosen: JournalFilter, broken: Mapping[int, list[str]], limit: int = 200
) -> list[JournalEntry]:
    """The entries ``chosen`` lets through, newest first; ``broken`` maps an entry's seq to
    the client rules that name it as evidence."""
    rows = [
        e
        for e in mock.journal.query(session=chosen.session or None)
        if (not chosen.operation or e.operation == chosen.operation)
        and (not chosen.surface or _surface(e.path) == chosen.surface)
        and (not chosen.rule or chosen.rule in broken.get(e.seq, ()))
        and (not chosen.user or (e.token or "").startswith(chosen.user))
        and (not chosen.fault or e.fault is not None)
        and (chosen.status != "error" or _failed(e))
        and (chosen.status != "ok" or not _failed(e))
    ]
    return rows[-limit:][::-1]


def _surface(path: str) -> str | None:
    surface = surface_of(path)
    return surface.name if surface else None


def surfaces() -> list[str]:
    return [s.name for s in SURFACES]


def _failed(entry: JournalEntry) -> bool:
    return (entry.status or 0) >= 400 or bool(entry.code) or entry.outcome != "completed"


def operations_seen(mock: Mock) -> list[str]:
    return sorted(Counter(e.operation for e in mock.journal.query() if e.operation))
