"""The journal's store: a bounded ring buffer of entries, numbered in order of completion."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable

from mock_server.journal.entry import JournalEntry


class Journal:
    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._entries: deque[JournalEntry] = deque(maxlen=capacity)
        self._next_seq = 1
        self._evicted = 0
        self._lock = threading.Lock()

    def append(self, entry: JournalEntry) -> JournalEntry:
        """Store ``entry`` under the next sequence number (its own ``seq`` is replaced)."""
        with self._lock:
            stored = entry.model_copy(update={"seq": self._next_seq})
            self._next_seq += 1
            if len(self._entries) == self.capacity:
                self._evicted += 1
            self._entries.append(stored)
            return stored

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
            found: Iterable[JournalEntry] = list(self._entries)
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
            kept = [e for e in self._entries if e.token not in fingerprints]
            count = len(self._entries) - len(kept)
            self._entries = deque(kept, maxlen=self.capacity)
            return count

    def reset(self) -> None:
        """Empty, and numbering from 1 again (a full reset of the mock)."""
        with self._lock:
            self._entries.clear()
            self._next_seq = 1
            self._evicted = 0

    def clear(self) -> int:
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            return count

    @property
    def evicted(self) -> int:
        """How many entries the ring buffer has pushed out since the start."""
        return self._evicted

    @property
    def last_seq(self) -> int:
        return self._next_seq - 1
