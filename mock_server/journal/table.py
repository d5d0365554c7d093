"""The journal as a fixed-width table for a terminal (``nemo-mock journal``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from nemo_mock.mock_server.domain.secrets import redact
from nemo_mock.mock_server.journal.entry import JournalEntry


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    cell: Callable[[JournalEntry], str]
    right: bool = False


def _time(entry: JournalEntry) -> str:
    try:
        return datetime.fromisoformat(entry.at).strftime("%H:%M:%S")
    except ValueError:
        return entry.at[:8]


def _what(entry: JournalEntry) -> str:
    return entry.operation or f"{entry.path}{'?' if entry.query else ''}{entry.query}"


def _status(entry: JournalEntry) -> str:
    if entry.outcome == "completed":
        return str(entry.status or "-")
    mark = "drop" if entry.outcome == "dropped" else "gone"
    return f"{entry.status or ''}{'/' if entry.status else ''}{mark}"


def _optional(value: object) -> str:
    return "-" if value is None else str(value)


def _token(entry: JournalEntry) -> str:
    return entry.token[:11] if entry.token else "-"


def _session(entry: JournalEntry) -> str:
    sid = entry.session_id
    if not sid:
        return "-"
    return sid if len(sid) <= 10 else f"…{sid[-9:]}"


def _events(entry: JournalEntry) -> str:
    return "-" if entry.events is None else str(len(entry.events))


def _fault(entry: JournalEntry) -> str:
    if entry.fault is None:
        return "-"
    action = (f"{k}={v}" if v is not True else k for k, v in entry.fault.action.items())
    return " ".join([entry.fault.rule, *action])


COLUMNS = (
    Column("SEQ", 6, lambda e: str(e.seq), right=True),
    Column("TIME", 8, _time),
    Column("METHOD", 6, lambda e: e.method),
    Column("OPERATION", 28, _what),
    Column("STATUS", 8, _status, right=True),
    Column("CODE", 5, lambda e: _optional(e.code), right=True),
    Column("TOKEN", 11, _token),
    Column("SESSION", 10, _session),
    Column("EVENTS", 6, _events, right=True),
    Column("FAULT", 16, _fault),
    Column("MS", 9, lambda e: f"{e.duration_ms:.0f}", right=True),
)


def _fit(text: str, column: Column) -> str:
    text = redact(text)
    text = text if len(text) <= column.width else text[: column.width - 1] + "…"
    return text.rjust(column.width) if column.right else text.ljust(column.width)


def header() -> str:
    return "  ".join(_fit(c.title, c) for c in COLUMNS).rstrip()


def render_row(entry: JournalEntry) -> str:
    return "  ".join(_fit(c.cell(entry), c) for c in COLUMNS).rstrip()


def render_table(entries: Iterable[JournalEntry], *, with_header: bool = True) -> str:
    """One line per entry, under a header line (unless ``with_header`` is false)."""
    lines = [header()] if with_header else []
    lines += [render_row(entry) for entry in entries]
    return "\n".join(lines)
