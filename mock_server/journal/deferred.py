"""Entries built when they are read, not when their exchange ends (issue 18).

Building and redacting an entry was a third of a plain REST request's CPU, and most entries
are evicted before anyone reads them. So an exchange with nothing unusual in it (no request
body, no stream, no fault, its recording intact) is stored as its raw material, a tuple of
atoms (``material``), and built by the very code that builds every other entry
(``Exchange.entry``) when the journal is first read after it (``Journal.append_pending``).
The listeners (the console access log) get a ``Summary`` at once.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nemo_mock.mock_server.domain.secrets import redact
from nemo_mock.mock_server.edge.facts import RequestFacts
from nemo_mock.mock_server.edge.headers import Credential
from nemo_mock.mock_server.journal.book import Journal
from nemo_mock.mock_server.journal.capture import BodyCapture, Redactor, redaction_needed
from nemo_mock.mock_server.journal.entry import (
    FaultRecord,
    JournalEntry,
    Outcome,
    SseEventRecord,
)

if TYPE_CHECKING:
    from nemo_mock.mock_server.journal.middleware import Exchange

log = logging.getLogger("nemo_mock.journal")

#: Bytes an entry's JSON holds beyond its headers, path and bodies (field names, numbers).
ENTRY_OVERHEAD = 700


@dataclass(frozen=True, slots=True)
class Summary:
    """What the listeners read of a pending entry (``entry.EntrySummary``)."""

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
        and exchange.request_body.bytes == 0
        and not exchange.broken
    )


def store(journal: Journal, exchange: Exchange, facts: RequestFacts) -> int:
    """Store ``exchange`` pending in ``journal``; its seq."""
    material = _material(exchange, facts)
    summary = Summary(
        method=exchange.method,
        path=_path(exchange),
        operation=facts.operation,
        token=facts.token,
        status=exchange.status,
        code=_code(exchange),
        duration_ms=material[2],
        outcome=exchange.outcome(),
    )
    keys = (facts.token, facts.session, facts.operation)
    return journal.append_pending(material, build, keys=keys, size=_size(exchange), summary=summary)


def build(material: tuple[Any, ...], seq: int) -> JournalEntry:
    """The entry ``Exchange.entry`` makes of the stored material, numbered ``seq``."""
    from nemo_mock.mock_server.journal.middleware import Exchange

    at, at_ms, duration, method, path, query, request_headers, values, status = material[:9]
    response, notes, (completed, disconnected), raw_facts = material[9:]
    exchange = Exchange.__new__(Exchange)
    exchange.__dict__.update(
        started=1.0,  # an ``ended`` of 0.0 would read as "not ended"
        ended=1.0 + duration / 1000,
        at=at,
        at_ms=at_ms,
        method=method,
        path=path,
        query=query,
        request_headers=dict(request_headers),
        credential=Credential(values),
        request_body=BodyCapture(dict(request_headers).get("content-type")),
        status=status,
        response_headers={},
        response_body=None,
        sse=None,
        notes=json.loads(notes) if notes else {},
        completed=completed,
        disconnected=disconnected,
        broken=False,
    )
    if response is not None:
        headers, content_type, size, copy = response
        exchange.response_headers = dict(headers)
        exchange.response_body = BodyCapture(content_type)
        exchange.response_body.feed(copy)
        exchange.response_body.bytes = size
    _, _, operation, token, client_id, session, surface, params = raw_facts
    facts = RequestFacts(
        method, path, operation, token, client_id, session, surface, params=dict(params)
    )
    try:
        entry = exchange.entry(None, facts)
    except Exception:  # as when it is built at once (JournalMiddleware._finish)
        log.exception("journal: cannot record %s %s", method, redact(path))
        entry = exchange.bare_entry()
    return entry.model_copy(update={"seq": seq})


def _path(exchange: Exchange) -> str:
    secrets = exchange.credential.secrets
    if redaction_needed([exchange.path], secrets):
        return Redactor(secrets).text(exchange.path)
    return exchange.path


#: The envelope's code where the mock writes it, first (the access line's; the entry's own
#: ``code`` is read from the parsed body when it is built).
LEADING_CODE = re.compile(rb'\{"code":(-?\d{1,9})[,}]')


def _code(exchange: Exchange) -> int | None:
    body = exchange.response_body
    found = LEADING_CODE.match(body.copy) if body is not None else None
    return int(found.group(1)) if found else exchange._code()


def _material(exchange: Exchange, facts: RequestFacts) -> tuple[Any, ...]:
    ended = exchange.ended if exchange.ended is not None else time.monotonic()
    body = exchange.response_body
    response = (
        None
        if body is None
        else (tuple(exchange.response_headers.items()), body.content_type, body.bytes, body.copy)
    )
    raw_facts = (
        facts.method,
        facts.path,
        facts.operation,
        facts.token,
        facts.client_id,
        facts.session,
        facts.surface,
        tuple(facts.params.items()),
    )
    return (
        exchange.at,
        exchange.at_ms,
        round((ended - exchange.started) * 1000, 3),
        exchange.method,
        exchange.path,
        exchange.query,
        tuple(exchange.request_headers.items()),
        exchange.credential.values,
        exchange.status,
        response,
        json.dumps(exchange.notes, default=str) if exchange.notes else "",
        (exchange.completed, exchange.disconnected),
        raw_facts,
    )


def _size(exchange: Exchange) -> int:
    """The entry's JSON size, estimated from what it will hold."""
    headers = [*exchange.request_headers.items(), *exchange.response_headers.items()]
    body = exchange.response_body.bytes if exchange.response_body is not None else 0
    return (
        ENTRY_OVERHEAD
        + len(exchange.path)
        + len(exchange.query)
        + sum(len(k) + len(v) + 6 for k, v in headers)
        + min(body, 64 * 1024)
    )
