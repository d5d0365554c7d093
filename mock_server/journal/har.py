"""The journal as an HTTP Archive (HAR 1.2), written with ``harfile``.

Secrets stay fingerprinted: the HAR is built from journal entries only. An SSE
response's content text is the events' ``data:`` lines as they were sent; a
body the journal did not keep (multipart, too large, not JSON) has no text and
a comment saying why. A dropped exchange has status 0, as browsers record it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from http import HTTPStatus
from urllib.parse import parse_qsl

import harfile

from nemo_mock.mock_server import __version__
from nemo_mock.mock_server.domain.secrets import redact
from nemo_mock.mock_server.journal.entry import JournalEntry, Message, SseEventRecord

HTTP_VERSION = "HTTP/1.1"


def har_text(entries: Iterable[JournalEntry]) -> str:
    """A HAR 1.2 document (JSON text) with one HAR entry per journal entry."""
    out = io.StringIO()
    creator = harfile.Creator(name="nemo-mock", version=__version__)
    with harfile.open(out, creator=creator) as har:
        for entry in entries:
            har.add_entry(
                startedDateTime=entry.at,
                time=entry.duration_ms,
                request=_request(entry),
                response=_response(entry),
                timings=harfile.Timings(send=0, wait=entry.duration_ms, receive=0),
                comment=_comment(entry),
            )
    return redact(out.getvalue())


def har_document(entries: Iterable[JournalEntry]) -> dict[str, object]:
    document: dict[str, object] = json.loads(har_text(entries))
    return document


def _request(entry: JournalEntry) -> harfile.Request:
    side = entry.request
    host = side.headers.get("host", "nemo-mock")
    url = f"http://{host}{entry.path}" + (f"?{entry.query}" if entry.query else "")
    post = None
    if side.bytes or side.content_type:
        post = harfile.PostData(
            mimeType=side.content_type or "", text=_text(side), comment=side.body_omitted
        )
    return harfile.Request(
        method=entry.method,
        url=url,
        httpVersion=HTTP_VERSION,
        headers=_records(side.headers),
        queryString=_query(entry.query),
        postData=post,
        bodySize=side.bytes,
    )


def _response(entry: JournalEntry) -> harfile.Response:
    side = entry.response or Message()
    text = _sse_text(entry.events) if entry.events is not None else _text(side)
    return harfile.Response(
        status=entry.status or 0,
        statusText=_reason(entry.status),
        httpVersion=HTTP_VERSION,
        headers=_records(side.headers),
        content=harfile.Content(
            size=side.bytes, mimeType=side.content_type or "", text=text, comment=side.body_omitted
        ),
        redirectURL=side.headers.get("location", ""),
        bodySize=side.bytes if entry.response is not None else -1,
    )


def _query(query: str) -> list[harfile.Record]:
    """The query's pairs, decoded as HAR wants them, and redacted again once decoded."""
    pairs = parse_qsl(query, keep_blank_values=True)
    return [harfile.Record(name=redact(name), value=redact(value)) for name, value in pairs]


def _records(headers: dict[str, str]) -> list[harfile.Record]:
    return [harfile.Record(name=name, value=value) for name, value in headers.items()]


def _text(side: Message) -> str | None:
    if side.body is None:
        return None
    return json.dumps(side.body, ensure_ascii=False)


def _sse_text(events: list[SseEventRecord]) -> str:
    """The events as ``data:`` lines, each event ended by a blank line."""
    blocks = (
        "".join(f"data: {line}\n" if line else "data:\n" for line in event.data.split("\n"))
        for event in events
    )
    return "\n".join(blocks) + ("\n" if events else "")


def _reason(status: int | None) -> str:
    try:
        return HTTPStatus(status).phrase if status else ""
    except ValueError:
        return ""


def _comment(entry: JournalEntry) -> str:
    parts = [f"seq {entry.seq}", f"operation {entry.operation or '-'}", entry.outcome]
    if entry.fault is not None:
        parts.append(f"fault {entry.fault.rule} {json.dumps(entry.fault.action)}")
    return "; ".join(parts)
