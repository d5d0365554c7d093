"""The journal's store: a ring buffer of entries, numbered in order of completion, bounded
twice: at most ``capacity`` entries and at most ``max_bytes`` of them (each entry measured as
its JSON). The oldest go first, counted in ``evicted``; an entry that alone outgrows the
budget is kept without its bodies and says so (``body_omitted: "journal full"``)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from mock_server.journal.capture import MAX_EVENTS
from mock_server.journal.entry import JournalEntry, Message

#: The journal's default byte budget.
MAX_BYTES = 64 * 1024 * 1024
#: An entry larger than this share of the budget loses its bodies and events.
LARGEST_SHARE = 4


class Journal:
    def __init__(
        self, capacity: int = 10_000, *, max_bytes: int = MAX_BYTES, max_events: int = MAX_EVENTS
    ) -> None:
        self.capacity = capacity
        self.max_bytes = max_bytes
        self.max_events = max_events
        self._entries: deque[tuple[JournalEntry, int]] = deque()
        self._bytes = 0
        self._next_seq = 1
        self._evicted = 0
        self._lock = threading.Lock()
        #: Called with each entry as it is stored (e.g. the console access log).
        self.listeners: list[Callable[[JournalEntry], None]] = []

    def append(self, entry: JournalEntry) -> JournalEntry:
        """Store ``entry`` under the next sequence number (its own ``seq`` is replaced),
        evicting the oldest entries until it fits."""
        stored, size = self._fitted(entry)
        with self._lock:
            stored = stored.model_copy(update={"seq": self._next_seq})
            self._next_seq += 1
            while self._entries and (
                len(self._entries) >= self.capacity or self._bytes + size > self.max_bytes
            ):
                _, gone = self._entries.popleft()
                self._bytes -= gone
                self._evicted += 1
            self._entries.append((stored, size))
            self._bytes += size
        for listener in self.listeners:
            listener(stored)
        return stored

    def _fitted(self, entry: JournalEntry) -> tuple[JournalEntry, int]:
        size = len(entry.model_dump_json())
        if size * LARGEST_SHARE <= self.max_bytes:
            return entry, size
        smaller = entry.model_copy(
            update={
                "request": _without_body(entry.request),
                "response": _without_body(entry.response) if entry.response else None,
                "events": [] if entry.events is not None else None,
                "events_omitted": entry.events_omitted + len(entry.events or []),
                "events_omitted_at": 0 if entry.events else entry.events_omitted_at,
            }
        )
        return smaller, len(smaller.model_dump_json())

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
        with self._lock:
            found = [e for e, _ in self._entries]
        found = [
            e
            for e in found
            if (token is None or e.token == token)
            and (session is None or e.session_id == session)
            and (operation is None or e.operation == operation)
            and (since is None or e.seq > since)
        ]
        return found[:limit] if limit is not None else found

    def forget_tokens(self, fingerprints: set[str]) -> int:
        """Drop the entries made with these tokens (a one-user reset); how many went."""
        with self._lock:
            kept = deque(item for item in self._entries if item[0].token not in fingerprints)
            count = len(self._entries) - len(kept)
            self._entries = kept
            self._bytes = sum(size for _, size in kept)
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


def _without_body(side: Message) -> Message:
    if side.body is None:
        return side
    return side.model_copy(update={"body": None, "body_omitted": "journal full"})
