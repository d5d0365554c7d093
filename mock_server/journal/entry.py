"""One journal entry: what a client sent, what the mock answered, and what fired.

This model is the journal's wire format (``GET /_mock/journal``) and the input
of the client rules (``contracts/rules``). Every secret in it is a fingerprint
(``fp_`` + 16 hex digits of the token's sha-256; see ``domain/secrets.py``).
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

Outcome = Literal["completed", "dropped", "client_disconnected"]


class Message(BaseModel):
    """One side of the exchange: headers (lower-case names, secrets fingerprinted) and body."""

    model_config = ConfigDict(extra="forbid")

    headers: dict[str, str] = Field(default_factory=dict)
    content_type: str | None = None
    bytes: int = 0
    #: The JSON body, secrets fingerprinted; ``None`` when not JSON, too large or empty.
    body: Any = None
    #: Why ``body`` is missing although there were bytes: ``"multipart"``, ``"too large"``,
    #: ``"not json"``, ``"sse"``, ``"journal full"`` (the entry alone outgrew the journal's
    #: byte budget, ``--journal-max-mb``).
    body_omitted: str | None = None


class SseEventRecord(BaseModel):
    """One event as it went out on the wire."""

    model_config = ConfigDict(extra="forbid")

    #: Milliseconds after the request started (wall time).
    at_ms: float
    #: The text after ``data: ``: JSON for events, ``""`` for keep-alives, anything for a
    #: malformed event injected by a fault.
    data: str


class FaultRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: The rule's id (``f1``, …) or ``"header"`` for ``X-Mock-Fault``.
    rule: str
    #: The action as the rule states it, e.g. ``{"error": 1001}``.
    action: dict[str, Any]


class JournalEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Position in the journal, from 1; never reused after a clear, from 1 again after a reset.
    seq: int
    #: When the request arrived, on the mock's clock.
    at: str
    #: The same instant as ``at``, in milliseconds since the epoch.
    at_ms: int
    #: Wall time from the request's arrival to the response's end.
    duration_ms: float
    #: The HTTP method, as sent.
    method: str
    #: The path, with any token in it replaced by ``<fp_…>``.
    path: str
    #: The query string, with any token in it replaced by ``<fp_…>``.
    query: str = ""
    #: The contract's operationId, or ``None`` for a path outside the contract.
    operation: str | None = None
    #: Fingerprint of the bearer token, if one was sent.
    token: str | None = None
    #: The ``X-Client-Id`` header.
    client_id: str | None = None
    #: The session the request names (path, or body ``session_id``/``sessionId``).
    session_id: str | None = None
    #: Fingerprints of tokens found in the URL (path or query): a client must never do that.
    secrets_in_url: list[str] = Field(default_factory=list)
    #: What the client sent.
    request: Message = Field(default_factory=Message)
    #: ``None`` when the connection was dropped before a status was sent.
    status: int | None = None
    #: The envelope's ``code`` when the response body is JSON and has one.
    code: int | None = None
    #: What the mock answered; ``None`` when nothing was sent.
    response: Message | None = None
    #: For ``/run_sse`` streams: every event actually sent, in order.
    events: list[SseEventRecord] | None = None
    #: Events sent but not kept (the journal keeps ``--journal-max-events`` per stream: the
    #: first half and the last half); they were left out of ``events`` at ``events_omitted_at``.
    events_omitted: int = 0
    #: The index in ``events`` where the omitted events were.
    events_omitted_at: int | None = None
    #: Events whose data was cut to 16 KiB.
    events_cut: int = 0
    #: The fault rule that fired on this request.
    fault: FaultRecord | None = None
    #: Facts only the mock knows, e.g. ``{"turn": 2, "busy_with": "generation"}`` on runSse.
    notes: dict[str, Any] = Field(default_factory=dict)
    #: ``completed``; ``client_disconnected`` (the client left first: the events are those
    #: sent until then); ``dropped`` (the mock ended it unfinished: a fault, or a mock error).
    outcome: Outcome = "completed"


class EntrySummary(Protocol):
    """What the journal's listeners (the console access log) read of an entry: a
    ``JournalEntry``, or the summary of one stored pending (``Journal.append_pending``)."""

    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def operation(self) -> str | None: ...
    @property
    def token(self) -> str | None: ...
    @property
    def status(self) -> int | None: ...
    @property
    def code(self) -> int | None: ...
    @property
    def duration_ms(self) -> float: ...
    @property
    def events(self) -> list[SseEventRecord] | None: ...
    @property
    def events_omitted(self) -> int: ...
    @property
    def fault(self) -> FaultRecord | None: ...
    @property
    def outcome(self) -> Outcome: ...
