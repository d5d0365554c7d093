"""The journal's store: a ring buffer of entries, numbered in order of completion, bounded
twice: at most ``capacity`` entries and at most ``max_bytes`` of them (each entry measured as
its JSON, in bytes). The oldest go first, counted in ``evicted``; an entry that alone
outgrows the budget is kept without its bodies and says so (``body_omitted: "journal full"``).

Entries are kept as their JSON (bytes) beside the fields the filters read, in plain tuples:
nothing the garbage collector has to walk (10,000 models held ~190,000 tracked objects, and
each full collection paused every request for 100-170 ms; issue 18). An entry is decoded when
it is read (``query``); the listing is sent as the stored JSON itself (``query_json``).

An exchange with nothing but plain REST in it may be stored *pending* (``append_pending``): its
raw material (a tuple of atoms whose first names its kind: ``journal/deferred.py``), turned
into its entry by its kind's ``PendingKind`` when the journal is first read after it (each
entry is built once, then kept as JSON). Building and redacting an entry was a third of a
request's CPU (issue 18), and most entries are never read before they are evicted. A pending
entry waits in an inbox (a list append, no lock) until ``ADMIT_EVERY`` are there or the
journal is next read or written at once; then the inbox's entries are numbered, in the order
they came, and stored in one go, their sizes estimated from their material (corrected when
built). Their keys for the filters (token, session, operation) are read from the material by
the first read that filters (``UNSETTLED`` until then): working them out was a fifth of the
journal's cost per request.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from itertools import repeat
from operator import countOf, itemgetter
from typing import Any, NamedTuple

from nemo_mock.mock_server.journal.capture import MAX_EVENTS
from nemo_mock.mock_server.journal.entry import EntrySummary, JournalEntry, Message

log = logging.getLogger("nemo_mock.journal")

#: The journal's default byte budget.
MAX_BYTES = 64 * 1024 * 1024
#: An entry larger than this share of the budget loses its bodies and events.
LARGEST_SHARE = 4


#: Pending entries waiting in the inbox are numbered and stored once this many are there.
ADMIT_EVERY = 64


class PendingKind(NamedTuple):
    """What the journal does with the material of a pending entry of one kind."""

    #: Its entry, numbered ``seq`` (given the material and the seq).
    build: Callable[[tuple[Any, ...], int], JournalEntry]
    #: Its (token, session_id, operation), what the filters read.
    keys: Callable[[tuple[Any, ...]], tuple[str | None, str | None, str | None]]
    #: The estimated size as JSON, in bytes, of a batch of its materials, all told.
    size: Callable[[list[tuple[Any, ...]]], int]


#: The kinds of pending entries, by the name their material starts with (``pending_kind``).
KINDS: dict[str, PendingKind] = {}


def pending_kind(name: str, kind: PendingKind) -> str:
    """Register ``kind`` under ``name``: a material whose first atom is ``name`` is its."""
    KINDS[name] = kind
    return name


#: A pending entry's material: its kind's name, then its atoms. Atoms only (no functions, no
#: lists), so the collector stops tracking it, and the row holding it, at its first pass.
Pending = tuple[Any, ...]
#: A material's kind's name.
KIND_OF = itemgetter(0)
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
        #: Pending entries not yet numbered, in the order they came (``append_pending``).
        self._inbox: list[Pending] = []
        #: Called with each entry (or a pending one's summary) as it is stored (e.g. the
        #: console access log).
        self.listeners: list[Callable[[EntrySummary], None]] = []

    def append(self, entry: JournalEntry) -> JournalEntry:
        """Store ``entry`` under the next sequence number (its own ``seq`` is replaced),
        evicting the oldest entries until it fits."""
        with self._lock:  # numbered and stored in one step: the deque stays in seq order
            self._admit()  # those that came before it first
            stored, data = self._fitted(entry.model_copy(update={"seq": self._next_seq}))
            self._next_seq += 1
            keys = (stored.token, stored.session_id, stored.operation)
            self._store((stored.seq, *keys, data, len(data)))
        for listener in self.listeners:
            listener(stored)
        return stored

    def append_pending(self, material: Pending, summary: EntrySummary | None) -> None:
        """Store an entry to be built when first read: ``material`` starts with the name of
        its ``PendingKind``, whose ``build(material, seq)`` makes it; the listeners get
        ``summary`` at once (``None`` only when there are no listeners: nothing reads it).
        It waits in the inbox, unnumbered, until ``ADMIT_EVERY`` are there or the journal
        is next used (``_admit``)."""
        inbox = self._inbox
        inbox.append(material)  # one list append: atomic, no lock taken
        if len(inbox) >= ADMIT_EVERY:
            with self._lock:
                self._admit()
        if summary is not None:
            for listener in self.listeners:
                listener(summary)

    def _admit(self) -> None:
        """Number and store the inbox's entries, in the order they came (holding the lock).
        Entries appended meanwhile (another thread) stay for the next time. The work per
        entry is done by C loops (``zip``, ``map``): it runs for every request (issue 18).
        Each entry of a batch is counted at the batch's mean size (the sum is the estimate's)."""
        inbox = self._inbox
        if not inbox:
            return
        batch = inbox[:]
        del inbox[: len(batch)]
        count, first = len(batch), self._next_seq
        kinds = set(map(KIND_OF, batch))
        each = sum(self._measure([m for m in batch if m[0] == kind]) for kind in kinds) // count
        rows = zip(range(first, first + count), repeat(UNSETTLED), repeat(None), repeat(None),
                   batch, repeat(each))  # fmt: skip
        self._entries.extend(rows)
        self._next_seq = first + count
        self._bytes += each * count
        self._unsettled += count
        self._evict()

    @staticmethod
    def _measure(materials: list[Pending]) -> int:
        """The estimated size of ``materials`` (of one kind), all told."""
        try:
            return KINDS[materials[0][0]].size(materials)
        except Exception:  # their build will say what is wrong with them
            log.exception("journal: cannot measure %d pending entries", len(materials))
            return 0

    def _store(self, row: Row) -> None:
        """Append ``row``, evicting the oldest until it fits (holding the lock)."""
        self._entries.append(row)
        self._bytes += row[5]
        self._evict()

    def _evict(self) -> None:
        """Drop the oldest rows while there are too many or they are too large, keeping the
        last one whatever its size (holding the lock): those over the count at once, then
        one by one while over the byte budget."""
        entries = self._entries
        over = len(entries) - max(self.capacity, 1)
        if over > 0:
            gone = [entries.popleft() for _ in range(over)]
            self._bytes -= sum(map(itemgetter(5), gone))
            self._unsettled -= countOf(map(itemgetter(1), gone), UNSETTLED)
            self._evicted += over
        while len(entries) > 1 and self._bytes > self.max_bytes:
            row = entries.popleft()
            self._bytes -= row[5]
            self._unsettled -= row[1] is UNSETTLED
            self._evicted += 1

    def _settle(self) -> None:
        """Admit the inbox, then read the keys of every pending row that has none yet
        (holding the lock)."""
        self._admit()
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
        try:
            entry = KINDS[pending[0]].build(pending, seq)
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
            self._inbox.clear()
            self._entries.clear()
            self._bytes = self._unsettled = 0
            self._next_seq = 1
            self._evicted = 0

    def clear(self) -> int:
        with self._lock:
            self._admit()  # numbered, so the numbering goes on after them
            count = len(self._entries)
            self._entries.clear()
            self._bytes = self._unsettled = 0
            return count

    @property
    def evicted(self) -> int:
        """How many entries were pushed out (count or byte budget) since the start."""
        with self._lock:
            self._admit()
            return self._evicted

    @property
    def bytes(self) -> int:
        """The entries' size as JSON, in bytes (estimated for entries not yet read)."""
        with self._lock:
            self._admit()
            return self._bytes

    @property
    def last_seq(self) -> int:
        with self._lock:
            self._admit()
            return self._next_seq - 1


def _settled(row: Row) -> Row:
    """``row`` with its keys read from its material, if they were not yet."""
    seq, token, _, _, pending, size = row
    if token is not UNSETTLED or isinstance(pending, bytes):
        return row
    try:
        keys = KINDS[pending[0]].keys(pending)
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
