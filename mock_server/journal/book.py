"""The journal's store: a ring buffer of entries, numbered in order of completion, bounded
twice: at most ``capacity`` entries and at most ``max_bytes`` of them (each entry measured as
its JSON, in bytes). The oldest go first, counted in ``evicted``; an entry that alone
outgrows the budget is kept without its bodies and says so (``body_omitted: "journal full"``).

Entries are kept as their JSON (bytes) beside the fields the filters read, in plain tuples:
nothing the garbage collector has to walk (10,000 models held ~190,000 tracked objects, and
each full collection paused every request for 100-170 ms; issue 18). An entry is decoded when
it is read (``query``); the listing is sent as the stored JSON itself (``query_json``).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from nemo_mock.mock_server.journal.capture import MAX_EVENTS
from nemo_mock.mock_server.journal.entry import JournalEntry, Message

#: The journal's default byte budget.
MAX_BYTES = 64 * 1024 * 1024
#: An entry larger than this share of the budget loses its bodies and events.
LARGEST_SHARE = 4


#: One stored entry: (seq, token, session_id, operation, the entry's JSON). A tuple of atoms,
#: so the collector untracks it.
Row = tuple[int, str | None, str | None, str | None, bytes]


class Journal:
    def __init__(
        self, capacity: int = 10_000, *, max_bytes: int = MAX_BYTES, max_events: int = MAX_EVENTS
    ) -> None:
        self.capacity = capacity
        self.max_bytes = max_bytes
        self.max_events = max_events
        self._entries: deque[Row] = deque()
        self._bytes = 0
        self._next_seq = 1
        self._evicted = 0
        self._lock = threading.Lock()
        #: Called with each entry as it is stored (e.g. the console access log).
        self.listeners: list[Callable[[JournalEntry], None]] = []

    def append(self, entry: JournalEntry) -> JournalEntry:
        """Store ``entry`` under the next sequence number (its own ``seq`` is replaced),
        evicting the oldest entries until it fits."""
        with self._lock:  # numbered and stored in one step: the deque stays in seq order
            stored, data = self._fitted(entry.model_copy(update={"seq": self._next_seq}))
            self._next_seq += 1
            size = len(data)
            while self._entries and (
                len(self._entries) >= self.capacity or self._bytes + size > self.max_bytes
            ):
                self._bytes -= len(self._entries.popleft()[4])
                self._evicted += 1
            row = (stored.seq, stored.token, stored.session_id, stored.operation, data)
            self._entries.append(row)
            self._bytes += size
        for listener in self.listeners:
            listener(stored)
        return stored

    def _fitted(self, entry: JournalEntry) -> tuple[JournalEntry, bytes]:
        data = _json(entry)
        if len(data) * LARGEST_SHARE <= self.max_bytes:
            return entry, data
        smaller = entry.model_copy(
            update={
                "request": _without_body(entry.request),
                "response": _without_body(entry.response) if entry.response else None,
                "events": [] if entry.events is not None else None,
                "events_omitted": entry.events_omitted + len(entry.events or []),
                "events_omitted_at": 0 if entry.events else entry.events_omitted_at,
            }
        )
        return smaller, _json(smaller)

    def query(
        self,
        *,
        token: str | None = None,
        session: str | None = None,
        operation: str | None = None,
        since: int | None = None,
        limit: int | None = None,
    ) -> list[JournalEntry]:
        """Entries matching every given filter, oldest first; ``since`` is exclusive."""
        found = self.query_json(
            token=token, session=session, operation=operation, since=since, limit=limit
        )
        return [JournalEntry.model_validate_json(data) for data in found]

    def query_json(
        self,
        *,
        token: str | None = None,
        session: str | None = None,
        operation: str | None = None,
        since: int | None = None,
        limit: int | None = None,
    ) -> list[bytes]:
        """As ``query``, each entry as the JSON it is stored as (not decoded)."""
        with self._lock:
            rows = list(self._entries)
        found = [
            data
            for seq, row_token, row_session, row_operation, data in rows
            if (token is None or row_token == token)
            and (session is None or row_session == session)
            and (operation is None or row_operation == operation)
            and (since is None or seq > since)
        ]
        return found[:limit] if limit is not None else found

    def forget_tokens(self, fingerprints: set[str]) -> int:
        """Drop the entries made with these tokens (a one-user reset); how many went."""
        with self._lock:
            kept = deque(row for row in self._entries if row[1] not in fingerprints)
            count = len(self._entries) - len(kept)
            self._entries = kept
            self._bytes = sum(len(row[4]) for row in kept)
            return count

    def reset(self) -> None:
        """Empty, and numbering from 1 again (a full reset of the mock)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._next_seq = 1
            self._evicted = 0

    def clear(self) -> int:
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            self._bytes = 0
            return count

    @property
    def evicted(self) -> int:
        """How many entries were pushed out (count or byte budget) since the start."""
        return self._evicted

    @property
    def bytes(self) -> int:
        """The entries' size as JSON, in bytes."""
        return self._bytes

    @property
    def last_seq(self) -> int:
        return self._next_seq - 1


def _json(entry: JournalEntry) -> bytes:
    return entry.__pydantic_serializer__.to_json(entry)


def _without_body(side: Message) -> Message:
    if side.body is None:
        return side
    return side.model_copy(update={"body": None, "body_omitted": "journal full"})
