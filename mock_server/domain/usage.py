"""The credit history: every grant and every paid conversation, as the ledger moved.

The ledger (``credits.py``) holds balances; this history says why they changed. A
*grant* adds credits (``welcome`` when an account opens, ``admin`` when the control
plane sets a balance); a *conversation* is a turn whose hold was settled (its
``amount_delta`` is minus what it spent); *expire* removes credits (no mock condition
expires credits today, the kind is part of the wire). The gateway's
``GET /billing/usage/conversations`` pages through it, newest first.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from nemo_mock.mock_server.domain.errors import BadRequest

MAX_PAGE_SIZE = 100


class UsageKind(StrEnum):
    CONVERSATION = "conversation"
    GRANT = "grant"
    EXPIRE = "expire"


@dataclass(frozen=True)
class Conversation:
    """A paid turn: where it ran, what the user asked, which tools it used."""

    conversation_id: str
    project_id: str
    session_id: str
    user_message: str
    tool_keys: tuple[str, ...] = ()
    user_message_hidden: bool = False


@dataclass(frozen=True)
class UsageEntry:
    entry_id: str
    user_id: str
    kind: UsageKind
    amount_delta: int
    created_at: datetime
    grant_source: str | None = None
    conversation: Conversation | None = None


@dataclass(frozen=True)
class UsagePage:
    items: tuple[UsageEntry, ...]
    total: int
    page_no: int
    page_size: int

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page_no < self.total_pages


class UsageHistory:
    """Append-only per store; read a page at a time."""

    def __init__(self, entries: list[UsageEntry]) -> None:
        self._entries = entries
        self._lock = threading.Lock()
        self._serial = 0

    @property
    def serial(self) -> int:
        """The number of the newest entry id ever given (``usage_<n>``): ids never repeat,
        even after a user's entries are forgotten."""
        with self._lock:
            return max([self._serial, *(_number(e.entry_id) for e in self._entries[-1:])])

    def continue_after(self, serial: int) -> None:
        """Entry ids go on after ``serial`` (a restored history)."""
        with self._lock:
            self._serial = serial

    def grant(self, user_id: str, amount: int, source: str, at: datetime) -> None:
        if amount:
            self._add(user_id, UsageKind.GRANT, amount, at, grant_source=source)

    def conversation(self, user_id: str, spent: int, at: datetime, conv: Conversation) -> None:
        if spent:
            self._add(user_id, UsageKind.CONVERSATION, -spent, at, conversation=conv)

    def totals(self, user_id: str) -> tuple[int, int]:
        """(consumed, granted): credits spent by conversations and added by grants."""
        with self._lock:
            mine = [e for e in self._entries if e.user_id == user_id]
        consumed = -sum(e.amount_delta for e in mine if e.kind is UsageKind.CONVERSATION)
        granted = sum(e.amount_delta for e in mine if e.kind is UsageKind.GRANT)
        return consumed, granted

    def page(
        self,
        user_id: str,
        page_no: int,
        page_size: int,
        start: date | None = None,
        end: date | None = None,
    ) -> UsagePage:
        """Newest first; ``start``/``end`` are UTC dates, both inclusive."""
        if page_no < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise BadRequest(
                f"page_no must be >= 1 and page_size 1 to {MAX_PAGE_SIZE}; "
                f"got page_no={page_no}, page_size={page_size}"
            )
        if start and end and start > end:
            raise BadRequest(f"start_date {start} is after end_date {end}")
        with self._lock:
            mine = [
                e
                for e in self._entries
                if e.user_id == user_id and _within(e.created_at.date(), start, end)
            ]
        mine.reverse()
        first = (page_no - 1) * page_size
        return UsagePage(tuple(mine[first : first + page_size]), len(mine), page_no, page_size)

    def _add(
        self,
        user_id: str,
        kind: UsageKind,
        delta: int,
        at: datetime,
        *,
        grant_source: str | None = None,
        conversation: Conversation | None = None,
    ) -> None:
        with self._lock:
            self._serial = (
                max([self._serial, *(_number(e.entry_id) for e in self._entries[-1:])]) + 1
            )
            entry_id = f"usage_{self._serial}"
            self._entries.append(
                UsageEntry(entry_id, user_id, kind, delta, at, grant_source, conversation)
            )


def _number(entry_id: str) -> int:
    tail = entry_id.rpartition("_")[2]
    return int(tail) if tail.isdigit() else 0


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)
