"""Reading the journal: order, errors, bodies, SSE events, drafts and render jobs.

Entries are numbered in order of completion; the rules reason in order of request start
(``at_ms``, then ``seq``). A request ends at ``at_ms + duration_ms``. An error is the
envelope's non-zero ``code`` if there is one (the mock's ``envelope`` style answers HTTP 200
with a non-zero code), else the HTTP status when it is 400 or more, else (an MCP tool call,
``mcp.<tool>``) the ``status`` of a tool error: MCP refusals arrive as HTTP 200, a JSON-RPC
result with ``isError`` whose one text block is ``{"error": {status, code, …}}``.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator, Sequence
from typing import Any

from nemo_mock.contracts.rules.adk_events import as_simple
from nemo_mock.mock_server.journal.entry import JournalEntry

#: The two paths of each render operation (current docs and oldest docs).
RENDER_STARTS = frozenset({"startRender", "startRenderLegacy"})
RENDER_POLLS = frozenset({"getRender", "getRenderLegacy"})
GENERATION_TOOL = "generate_video_with_seedance"
#: Paths of the mock's own surface (control plane, CDN): never judged as API calls.
MOCK_PREFIXES = ("/_mock/", "/cdn/")
#: The operations of MCP tool calls are ``mcp.<tool>``.
TOOL_PREFIX = "mcp."
#: The web front end's project links (§8): a browser's requests, not API calls.
WEB_LINKS = frozenset({"openWorkspaceClaim", "openWorkspaceTask"})
#: The disclaimer that may trail a normal reply; clients ignore it (§4.4).
TEMPORARY_ISSUE = "encountered a temporary issue"


def ordered(entries: Sequence[JournalEntry]) -> list[JournalEntry]:
    """The entries in order of request start."""
    return sorted(entries, key=lambda e: (e.at_ms, e.seq))


class Timeline:
    """The entries in start order, with positions, and each session's entries apart.

    Positions are looked up by identity (comparing pydantic models field by field is slow),
    so the entries passed in must be the ones asked about."""

    def __init__(self, entries: Sequence[JournalEntry]) -> None:
        self.entries = ordered(entries)
        self._position = {id(e): i for i, e in enumerate(self.entries)}
        self._sessions: dict[str | None, list[JournalEntry]] = {}
        for entry in self.entries:
            self._sessions.setdefault(entry.session_id, []).append(entry)

    def position(self, entry: JournalEntry) -> int:
        return self._position[id(entry)]

    def after(self, entry: JournalEntry) -> Iterator[JournalEntry]:
        """The entries that started after ``entry``, in order."""
        for index in range(self.position(entry) + 1, len(self.entries)):
            yield self.entries[index]

    def before(self, entry: JournalEntry) -> Iterator[JournalEntry]:
        """The entries that started before ``entry``, latest first."""
        for index in range(self.position(entry) - 1, -1, -1):
            yield self.entries[index]

    def session(self, session: str | None) -> list[JournalEntry]:
        """The entries naming ``session``, in start order."""
        return self._sessions.get(session, [])

    def session_after(self, session: str | None, entry: JournalEntry) -> Iterator[JournalEntry]:
        """The entries naming ``session`` that started after ``entry``, in order."""
        series = self.session(session)
        first = bisect.bisect_right(series, (entry.at_ms, entry.seq), key=_start_key)
        for index in range(first, len(series)):
            yield series[index]


def _start_key(entry: JournalEntry) -> tuple[int, int]:
    return entry.at_ms, entry.seq


def on_api(entries: Sequence[JournalEntry]) -> list[JournalEntry]:
    """The API calls: entries on the NemoVideo surface but not the mock's control plane or
    CDN, nor the browser's opening of a project link (``WEB_LINKS``)."""
    return [
        e
        for e in ordered(entries)
        if not e.path.startswith(MOCK_PREFIXES) and e.operation not in WEB_LINKS
    ]


def end_ms(entry: JournalEntry) -> float:
    return entry.at_ms + entry.duration_ms


#: ``at_ms`` is a whole millisecond, cut down from the arrival instant; ``duration_ms`` is
#: exact. So an answer that really ended before a later request arrived can seem to end up
#: to this much after that request's ``at_ms``.
AT_RESOLUTION_MS = 1.0


def ended_before(entry: JournalEntry, later_at_ms: float) -> bool:
    """Whether ``entry``'s answer ended before a request that arrived at ``later_at_ms``
    (to the journal's resolution: ``AT_RESOLUTION_MS``)."""
    return end_ms(entry) < later_at_ms + AT_RESOLUTION_MS


def error_of(entry: JournalEntry) -> int | None:
    """The error this entry was answered with, or ``None`` (success or no answer)."""
    if entry.code is not None and entry.code != 0:
        return entry.code
    if entry.status is not None and entry.status >= 400:
        return entry.status
    if (entry.operation or "").startswith(TOOL_PREFIX):
        _, error = tool_answer(entry)
        status = error.get("status") if error else None
        return status if isinstance(status, int) and not isinstance(status, bool) else None
    return None


def answered_ok(entry: JournalEntry) -> bool:
    """A status was sent, it was not an error, and the connection was not dropped."""
    return entry.status is not None and error_of(entry) is None and entry.outcome != "dropped"


def header(entry: JournalEntry, name: str) -> str | None:
    return entry.request.headers.get(name.lower())


def key(entry: JournalEntry) -> tuple[str | None, str | None]:
    """What counts as "the same call": the operation on the same session."""
    return entry.operation, entry.session_id


def request_body(entry: JournalEntry) -> dict[str, Any]:
    body = entry.request.body
    return body if isinstance(body, dict) else {}


def response_body(entry: JournalEntry) -> dict[str, Any]:
    body = entry.response.body if entry.response is not None else None
    return body if isinstance(body, dict) else {}


def message_text(entry: JournalEntry) -> str:
    """The text of a runSse message (its parts joined by newlines)."""
    message = request_body(entry).get("new_message")
    parts = message.get("parts") if isinstance(message, dict) else None
    if not isinstance(parts, list):
        return ""
    texts = [p.get("text") for p in parts if isinstance(p, dict)]
    return "\n".join(t for t in texts if isinstance(t, str))


def sse_events(entry: JournalEntry) -> Iterator[dict[str, Any]]:
    """The JSON events of a stream, in §4.4's simple form whatever the stream style (ADK
    events are read as simple ones: ``adk_events.as_simple``); keep-alives and malformed
    data are skipped."""
    for record in entry.events or ():
        try:
            event = json.loads(record.data)
        except ValueError:
            continue
        if isinstance(event, dict):
            yield from as_simple(event)


def turn_kind(entry: JournalEntry) -> str | None:
    """What the mock took a runSse message for: ``generation``, ``edit`` or ``text`` (chat),
    from its ``kind`` note; ``None`` when it did not say."""
    kind = entry.notes.get("kind")
    return kind if isinstance(kind, str) else None


def is_generation(entry: JournalEntry) -> bool:
    """A runSse turn that generated video (the mock's ``kind`` note, else a seedance call)."""
    if turn_kind(entry) is not None:
        return turn_kind(entry) == "generation"
    return any(
        e.get("type") == "tool_call" and e.get("name") == GENERATION_TOOL for e in sse_events(entry)
    )


def session_state(entry: JournalEntry) -> dict[str, Any] | None:
    """``data.state`` of a getSessionState answer, if it has one."""
    data = response_body(entry).get("data")
    state = data.get("state") if isinstance(data, dict) else None
    return state if isinstance(state, dict) else None


def export_ready(state: dict[str, Any] | None) -> bool:
    """§4.7: ``draft.t`` has at least one track with a non-empty ``sg``."""
    draft = state.get("draft") if state else None
    tracks = draft.get("t") if isinstance(draft, dict) else None
    if not isinstance(tracks, list):
        return False
    return any(isinstance(t, dict) and isinstance(t.get("sg"), list) and t["sg"] for t in tracks)


def render_status(entry: JournalEntry) -> str | None:
    """A render job's status, at ``data.status`` or top-level ``status`` (§4.8)."""
    body = response_body(entry)
    data = body.get("data")
    if isinstance(data, dict) and isinstance(data.get("status"), str):
        return str(data["status"])
    status = body.get("status")
    return status if isinstance(status, str) else None


def render_id(entry: JournalEntry) -> str | None:
    """The render id a request is about: the body's ``id`` on a start, else the path's."""
    if entry.operation in RENDER_STARTS:
        value = request_body(entry).get("id")
        return value if isinstance(value, str) else None
    parts = [p for p in entry.path.split("/") if p]
    # /api/render/proxy/lambda/<id>[/cancel] · /api/render/proxy/<id>[/download]
    if entry.operation in ("getRender", "cancelRender"):
        return parts[4] if len(parts) > 4 else None
    if entry.operation in ("getRenderLegacy", "downloadRender"):
        return parts[3] if len(parts) > 3 else None
    return None


def render_session(entry: JournalEntry) -> str | None:
    """The session a render start names (``sessionId``, else what the journal recorded)."""
    value = request_body(entry).get("sessionId")
    return value if isinstance(value, str) else entry.session_id


def call_name(entry: JournalEntry) -> str:
    """``runSse on session 552…``: how a message names a call."""
    where = f" on session {entry.session_id}" if entry.session_id else ""
    return f"{entry.operation or f'{entry.method} {entry.path}'}{where}"


def tool_answer(entry: JournalEntry) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """An MCP tool call's answer, sent as the JSON body or as an SSE event (the Streamable
    HTTP transport does either): ``(structuredContent, None)`` for a result, ``(None, the
    tool error's error object)`` for an ``isError`` result, ``(None, None)`` for no answer."""
    for message in (response_body(entry), *sse_events(entry)):
        outcome = message.get("result")
        if not isinstance(outcome, dict):
            continue
        if outcome.get("isError"):
            return None, _tool_error(outcome)
        structured = outcome.get("structuredContent")
        return (structured if isinstance(structured, dict) else {}), None
    return None, None


def _tool_error(outcome: dict[str, Any]) -> dict[str, Any]:
    for block in outcome.get("content") or ():
        if isinstance(block, dict) and block.get("type") == "text":
            try:
                body = json.loads(block.get("text", ""))
            except ValueError:
                continue
            if isinstance(body, dict) and isinstance(body.get("error"), dict):
                return dict(body["error"])
    return {"status": None, "message": "a tool error without the documented body"}
