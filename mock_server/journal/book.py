"""The journal's store: a ring buffer of entries, numbered in order of completion, bounded
twice: at most ``capacity`` entries and at most ``max_bytes`` of them (each entry measured as
its JSON, in bytes). The oldest go first, counted in ``evicted``; an entry that alone
outgrows the budget is kept without its bodies and says so (``body_omitted: "journal full"``).

Entries are kept as their JSON (bytes) beside the fields the filters read, in plain tuples:
nothing the garbage collector has to walk (10,000 models held ~190,000 tracked objects, and
each full collection paused every request for 100-170 ms; issue 18). An entry is decoded when
it is read (``query``); the listing is sent as the stored JSON itself (``query_json``).

An exchange with nothing but plain REST in it may be stored *pending* (``append_pending``): its
raw material (its atoms, serialised: ``journal/deferred.py``) and the function that turns it
into its entry, called when the journal is first read after it (each entry is built once,
then kept as JSON). Building and redacting an entry was a third of a request's CPU (issue
18), and most entries are never read before they are evicted. A pending entry's size is an
estimate until it is built, and its keys for the filters (token, session, operation) are read
from its material by the first read that filters (``UNSETTLED`` until then): working them
out was a fifth of the journal's cost per request.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from nemo_mock.mock_server.journal.capture import MAX_EVENTS
from nemo_mock.mock_server.journal.entry import EntrySummary, JournalEntry, Message

log = logging.getLogger("nemo_mock.journal")

#: The journal's default byte budget.
MAX_BYTES = 64 * 1024 * 1024
#: An entry larger than this share of the budget loses its bodies and events.
LARGEST_SHARE = 4


#: What turns a pending entry's material into its entry (given the material and its seq).
Builder = Callable[[tuple[Any, ...], int], JournalEntry]
#: What reads a pending entry's (token, session_id, operation) from its material.
KeyReader = Callable[[tuple[Any, ...]], tuple[str | None, str | None, str | None]]
#: A pending entry: its builder, its material (atoms: ``deferred.fields``) and its key reader.
Pending = tuple[Builder, tuple[Any, ...], KeyReader]
#: The token slot of a pending row whose keys are not read yet (``Journal._settle``).
UNSETTLED = "\x00unsettled"
#: One stored entry: (seq, token, session_id, operation, the entry's JSON or its pending
#: material, its size in bytes). The JSON rows are tuples of atoms, so the collector untracks
#: them.
Row = tuple[int, str | None, str | None, str | None, bytes | Pending, int]


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
        self._unsettled = 0
        #: Called with each entry (or a pending one's summary) as it is stored (e.g. the
        #: console access log).
        self.listeners: list[Callable[[EntrySummary], None]] = []

    def append(self, entry: JournalEntry) -> JournalEntry:
        """Store ``entry`` under the next sequence number (its own ``seq`` is replaced),
        evicting the oldest entries until it fits."""
        with self._lock:  # numbered and stored in one step: the deque stays in seq order
            stored, data = self._fitted(entry.model_copy(update={"seq": self._next_seq}))
            self._next_seq += 1
            keys = (stored.token, stored.session_id, stored.operation)
            self._store((stored.seq, *keys, data, len(data)))
        for listener in self.listeners:
            listener(stored)
        return stored

    def append_pending(
        self,
        material: tuple[Any, ...],
        build: Builder,
        keys: KeyReader,
        *,
        size: int,
        summary: EntrySummary | None,
    ) -> int:
        """Store an entry to be built when first read: ``build(material, seq)`` makes it;
        ``keys(material)`` gives its (token, session_id, operation) when a filter first
        needs them, ``size`` is its estimated JSON size; the listeners get ``summary``
        (``None`` only when there are no listeners: nothing reads it). Returns its seq."""
        with self._lock:
            seq = self._next_seq
            self._next_seq += 1
            self._store((seq, UNSETTLED, None, None, (build, material, keys), size))
            self._unsettled += 1
        if summary is not None:
            for listener in self.listeners:
                listener(summary)
        return seq

    def _store(self, row: Row) -> None:
        """Append ``row``, evicting the oldest until it fits (holding the lock)."""
        size = row[5]
        while self._entries and (
            len(self._entries) >= self.capacity or self._bytes + size > self.max_bytes
        ):
            gone = self._entries.popleft()
            self._bytes -= gone[5]
            self._unsettled -= gone[1] is UNSETTLED
            self._evicted += 1
        self._entries.append(row)
        self._bytes += size

    def _settle(self) -> None:
        """Read the keys of every pending row that has none yet (holding the lock)."""
        if self._unsettled:
            self._entries = deque(map(_settled, self._entries))
            self._unsettled = 0

    def _build_rows(self, rows: list[Row], wanted: list[int]) -> None:
        """Build the pending ones among ``rows[i] for i in wanted`` (in ``rows`` and in the
        journal; each is built once, then kept as JSON). Holding the lock."""
        pending = [i for i in wanted if not isinstance(rows[i][4], bytes)]
        if not pending:
            return
        for i in pending:
            built = self._build(rows[i])
            self._bytes += built[5] - rows[i][5]
            rows[i] = built
        self._entries = deque(rows)

    def _build(self, row: Row) -> Row:
        seq, token, session, operation, pending, _ = row
        assert not isinstance(pending, bytes)
        build, material, _ = pending
        try:
            entry = build(material, seq)
        except Exception:
            log.exception("journal: cannot build entry %d", seq)
            entry = JournalEntry(
                seq=seq, at="", at_ms=0, duration_ms=0, method="", path="", token=token,
                notes={"journal_error": "this exchange could not be recorded in full"},
            )  # fmt: skip
        _, data = self._fitted(entry)
        return (seq, token, session, operation, data, len(data))

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
            self._settle()
            rows = list(self._entries)
            wanted = [
                i
                for i, (seq, row_token, row_session, row_operation, _, _) in enumerate(rows)
                if (token is None or row_token == token)
                and (session is None or row_session == session)
                and (operation is None or row_operation == operation)
                and (since is None or seq > since)
            ][:limit]
            self._build_rows(rows, wanted)
        return [data for i in wanted if isinstance(data := rows[i][4], bytes)]

    def forget_tokens(self, fingerprints: set[str]) -> int:
        """Drop the entries made with these tokens (a one-user reset); how many went."""
        with self._lock:
            self._settle()
            kept = deque(row for row in self._entries if row[1] not in fingerprints)
            count = len(self._entries) - len(kept)
            self._entries = kept
            self._bytes = sum(row[5] for row in kept)
            return count

    def reset(self) -> None:
        """Empty, and numbering from 1 again (a full reset of the mock)."""
        with self._lock:
            self._entries.clear()
            self._bytes = self._unsettled = 0
            self._next_seq = 1
            self._evicted = 0

    def clear(self) -> int:
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            self._bytes = self._unsettled = 0
            return count

    @property
    def evicted(self) -> int:
        """How many entries were pushed out (count or byte budget) since the start."""
        return self._evicted

    @property
    def bytes(self) -> int:
        """The entries' size as JSON, in bytes (estimated for entries not yet read)."""
        return self._bytes

    @property
    def last_seq(self) -> int:
        return self._next_seq - 1


def _settled(row: Row) -> Row:
    """``row`` with its keys read from its material, if they were not yet."""
    seq, token, _, _, pending, size = row
    if token is not UNSETTLED or isinstance(pending, bytes):
        return row
    try:
        keys = pending[2](pending[1])
    except Exception:  # the entry's own build will say what is wrong with it
        log.exception("journal: cannot read the keys of entry %d", seq)
        keys = (None, None, None)
    return (seq, *keys, pending, size)


def _json(entry: JournalEntry) -> bytes:
    return entry.__pydantic_serializer__.to_json(entry)


def _without_body(side: Message) -> Message:
    if side.body is None:
        return side
    return side.model_copy(update={"body": None, "body_omitted": "journal full"})
