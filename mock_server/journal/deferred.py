"""Entries built when they are read, not when their exchange ends (issue 18).

Building and redacting an entry was a third of a plain REST request's CPU, and most entries
are evicted before anyone reads them. So an exchange with nothing unusual in it (no request
body, no stream, no fault, its recording intact) is stored as its raw material (``material``:
its atoms, in one tuple of immutable values: the header pairs as the server and the app
made them, nothing copied, nothing serialised; the collector stops tracking such tuples at
its first pass), and built by the very code that builds every other entry (``Exchange.entry``)
when the journal is first read after it (``Journal.append_pending``). Serialising the atoms
with ``marshal`` (one ``bytes`` an entry) cost more on every request (2.4 µs) than freeing
them at eviction does.
Its facts (operation, token, session: ``edge/facts.http_facts``) follow from its method,
path and headers alone, so they too are worked out when read. The listeners (the console
access log) get a ``Summary`` at once.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections.abc import MutableMapping
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from nemo_mock.mock_server.domain.secrets import redact
from nemo_mock.mock_server.edge.facts import http_facts
from nemo_mock.mock_server.edge.headers import credential_of
from nemo_mock.mock_server.edge.surfaces import resolve
from nemo_mock.mock_server.journal.book import Journal, PendingKind, pending_kind
from nemo_mock.mock_server.journal.capture import Redactor, redaction_needed
from nemo_mock.mock_server.journal.entry import (
    FaultRecord,
    JournalEntry,
    Outcome,
    SseEventRecord,
)

if TYPE_CHECKING:
    from nemo_mock.mock_server.journal.middleware import Exchange

log = logging.getLogger("nemo_mock.journal")

#: Bytes an entry's JSON holds beyond its headers, path and bodies (field names, numbers): a
#: pending entry's size is this and its texts' (``size``), an estimate corrected when built.
ENTRY_OVERHEAD = 700
#: Bytes a header pair takes in a pending entry's estimated size (``"name":"value",`` of a
#: typical request's headers; a larger one is counted as it is when the entry is built).
PAIR_ESTIMATE = 64


class Summary(NamedTuple):
    """What the listeners read of a pending entry (``entry.EntrySummary``); a named tuple:
    made for every request the access log writes, a frozen dataclass cost 3x as much."""

    method: str
    path: str
    operation: str | None
    token: str | None
    status: int | None
    code: int | None
    duration_ms: float
    outcome: Outcome
    events: list[SseEventRecord] | None = None
    events_omitted: int = 0
    fault: FaultRecord | None = None


def deferrable(exchange: Exchange, fault: Any) -> bool:
    """Whether this exchange's entry may wait until it is read."""
    return (
        exchange.deferrable
        and exchange.sse is None
        and fault is None
        and exchange.request_capture is None
        and not exchange.broken
    )


def store(journal: Journal, exchange: Exchange, scope: MutableMapping[str, Any]) -> None:
    """Store ``exchange`` (of the request ``scope``) pending in ``journal``. Nothing is
    decoded here but what the listeners read, when there are any."""
    head, elapsed = exchange.response_head, _elapsed(exchange)
    material = _material(exchange, head, elapsed)
    summary = None
    if journal.listeners:  # the facts it names, as ``http_facts`` has them
        credential, resolved = credential_of(scope), resolve(exchange.method, exchange.path)
        summary = Summary(
            method=exchange.method,
            path=_access_path(exchange.path, credential.secrets),
            operation=resolved.operation if resolved else None,
            token=credential.fingerprint,
            status=exchange.status,
            code=_code(exchange, head),
            duration_ms=round(elapsed * 1000, 3),
            outcome=exchange.outcome(),
        )
    journal.append_pending(material, summary)


def build(material: tuple[Any, ...], seq: int) -> JournalEntry:
    """The entry ``Exchange.entry`` makes of the stored material, numbered ``seq``: the very
    atoms the exchange held, put back, decoded by the same code as an entry built at once."""
    from nemo_mock.mock_server.journal.middleware import Exchange

    _, arrival, elapsed, method, path, raw_query, raw_headers, status = material[:8]
    response_headers, response_size, response_head, notes, completed, disconnected = material[8:]
    exchange = Exchange.__new__(Exchange)
    exchange.__dict__.update(
        max_events=0,
        started=1.0,  # an ``ended`` of 0.0 would read as "not ended"
        ended=1.0 + elapsed,
        arrival=arrival,
        method=method,
        path=path,
        raw_query=raw_query,
        raw_headers=raw_headers,
        request_capture=None,
        status=status,
        raw_response_headers=response_headers,
        response_size=response_size,
        response_parts=[response_head],
        _keep_response=False,
        sse=None,
        notes=json.loads(notes) if notes else {},
        completed=completed,
        disconnected=disconnected,
        broken=False,
    )
    try:
        entry = exchange.entry(None, http_facts(method, path, raw_headers))
    except Exception:  # as when it is built at once (JournalMiddleware._finish)
        log.exception("journal: cannot record %s %s", method, redact(path))
        entry = exchange.bare_entry()
    return entry.model_copy(update={"seq": seq})


def keys(material: tuple[Any, ...]) -> tuple[str | None, str | None, str | None]:
    """The (token, session, operation) the journal's filters read of the stored material:
    the request's facts as ``facts_of`` made them of its scope (a plain exchange has no body,
    so none were added from one)."""
    method, path, _, raw_headers = material[3:7]
    facts = http_facts(method, path, raw_headers)
    return facts.token, facts.session, facts.operation


def size(materials: list[tuple[Any, ...]]) -> int:
    """The estimated size as JSON of these entries, all told: ``ENTRY_OVERHEAD`` each, their
    texts (path, query, response head, notes) and ``PAIR_ESTIMATE`` a header pair (corrected
    when built). C loops only: measuring each header (``marshal``, or summing their lengths)
    cost a microsecond a request."""
    texts = sum(map(len, chain.from_iterable(map(_TEXTS, materials))))
    pairs = sum(map(len, map(_REQUEST_HEADERS, materials)))
    pairs += sum(map(len, filter(None, map(_RESPONSE_HEADERS, materials))))
    return ENTRY_OVERHEAD * len(materials) + texts + PAIR_ESTIMATE * pairs


#: A plain material's texts, its request headers, its response headers (``_material``).
_TEXTS = itemgetter(4, 5, 10, 11)
_REQUEST_HEADERS = itemgetter(6)
_RESPONSE_HEADERS = itemgetter(8)


#: The name a plain exchange's material starts with: the journal builds it with these.
PLAIN = pending_kind("plain", PendingKind(build, keys, size))


@functools.lru_cache(maxsize=1024)  # the same few paths and tokens, request after request
def _access_path(path: str, secrets: tuple[str, ...]) -> str:
    """``path`` as the entry will hold it (redacted), for the access line."""
    if redaction_needed([path], secrets):
        return Redactor(secrets).text(path)
    return path


#: The envelope's code where the mock writes it, first (the access line's; the entry's own
#: ``code`` is read from the parsed body when it is built).
LEADING_CODE = re.compile(rb'\{"code":(-?\d{1,9})[,}]')


def _code(exchange: Exchange, head: bytes) -> int | None:
    found = LEADING_CODE.match(head)
    return int(found.group(1)) if found else exchange._code()


def _elapsed(exchange: Exchange) -> float:
    """Seconds from arrival to the last byte sent (rounded when the entry is built: a float's
    ``round`` to three places costs what the rest of storing an entry does)."""
    ended = exchange.ended if exchange.ended is not None else time.monotonic()
    return ended - exchange.started


def _material(exchange: Exchange, head: bytes, elapsed: float) -> tuple[Any, ...]:
    """The atoms, in the order ``build`` reads them: ``PLAIN``, arrival, seconds elapsed,
    method, path, query, request headers, status, response headers, response size, response
    head, notes (JSON), completed, disconnected."""
    return (
        PLAIN,
        exchange.arrival,
        elapsed,
        exchange.method,
        exchange.path,
        exchange.raw_query,
        exchange.raw_headers,
        exchange.status,
        exchange.raw_response_headers,
        exchange.response_size,
        head,
        json.dumps(exchange.notes, default=str) if exchange.notes else "",
        exchange.completed,
        exchange.disconnected,
    )
