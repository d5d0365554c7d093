"""Control plane: the request journal (``contracts/control.yaml``, tag Journal).

``GET /_mock/journal`` lists entries (oldest first) with filters, ``DELETE``
clears it, ``GET /_mock/journal/har`` exports the same selection as HAR 1.2.
``token`` filters by fingerprint (``fp_…``, as the journal shows it) or by a
raw token, which is fingerprinted here and never kept.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from nemo_mock.mock_server.deps import Context
from nemo_mock.mock_server.journal.capture import as_fingerprint
from nemo_mock.mock_server.journal.har import har_text

router = APIRouter(prefix="/_mock", tags=["control"])

MAX_LIMIT = 10_000


@dataclass(frozen=True)
class JournalFilters:
    token: str | None
    session: str | None
    operation: str | None
    since: int | None
    limit: int | None


async def journal_filters(
    token: Annotated[
        str | None, Query(min_length=1, max_length=512, description="fp_… or a raw token")
    ] = None,
    session: Annotated[str | None, Query(min_length=1, max_length=128)] = None,
    operation: Annotated[str | None, Query(min_length=1, max_length=128)] = None,
    since: Annotated[int | None, Query(ge=0, description="only entries with a larger seq")] = None,
    limit: Annotated[int | None, Query(ge=1, le=MAX_LIMIT)] = None,
) -> JournalFilters:
    return JournalFilters(
        token=as_fingerprint(token) if token is not None else None,
        session=session,
        operation=operation,
        since=since,
        limit=limit,
    )


Filters = Annotated[JournalFilters, Depends(journal_filters)]


@router.get("/journal")
async def list_journal(ctx: Context, filters: Filters) -> Response:
    """The entries as they are stored (JSON, never decoded here), and the journal's bounds."""
    journal = ctx.journal
    last_seq = journal.last_seq  # read first: every entry up to it is in the query's snapshot
    entries = journal.query_json(**asdict(filters))
    bounds = {
        "last_seq": last_seq,
        "evicted": journal.evicted,
        "capacity": journal.capacity,
        "bytes": journal.bytes,
        "max_bytes": journal.max_bytes,
    }
    body = b'{"entries":[%b],%b' % (b",".join(entries), json.dumps(bounds).encode()[1:])
    return Response(body, media_type="application/json")


@router.delete("/journal")
async def clear_journal(ctx: Context) -> dict[str, int]:
    return {"cleared": ctx.journal.clear()}


@router.get("/journal/har")
async def export_journal_har(ctx: Context, filters: Filters) -> Response:
    return Response(har_text(ctx.journal.query(**asdict(filters))), media_type="application/json")
