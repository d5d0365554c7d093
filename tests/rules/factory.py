"""Hand-made journals: a builder that plays a client's calls on a clock.

    j = JournalBuilder()
    j.token()
    j.session()
    edit = j.run_sse("add a title 'Golden Hour'", events=[tool_call(), tool_result()])
    j.wait(1).state()
    entries = j.entries

Every call returns its ``JournalEntry`` (for ``.seq`` in assertions). Calls run one after
another: each starts when the previous one ended (plus any ``wait``); ``at_s=`` places a
call at that many seconds from the start (overlaps), and the next call starts after the
latest end. Seqs are given in the order calls are added. Defaults make a
well-behaved client: attribution headers, the bearer token, snake_case bodies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from nemo_mock.contracts.rules import RuleContext, RuleResult, rule_by_id
from nemo_mock.mock_server.journal.entry import (
    FaultRecord,
    JournalEntry,
    Message,
    Outcome,
    SseEventRecord,
)

CLIENT_ID = "3f2b9c1e-8d4a-4f7b-9a61-2c5e7d8f9a0b"
ATTRIBUTION = {
    "x-skill-source": "nemo-video",
    "x-skill-version": "1.9",
    "x-skill-platform": "unknown",
}
#: HTTP status of each code in the mock's default ``http`` error style.
HTTP_STATUS = {400: 400, 402: 402, 404: 404, 409: 409, 429: 429, 1001: 401, 1002: 404,
               2001: 402, 4001: 415, 4002: 413}  # fmt: skip
READY_DRAFT: dict[str, Any] = {
    "t": [{"tt": 0, "sg": [{"s": 0, "d": 5000, "src": "file_8cf26ff6"}]}],
    "d": 5000,
}
EMPTY_DRAFT: dict[str, Any] = {"t": [], "d": 0}
GENERATION = "generate_video_with_seedance"
EDIT = "edit_multitrack"


def verdict(rule_id: str, entries: list[JournalEntry], **ctx: Any) -> RuleResult:
    """One rule's verdict on ``entries`` (``ctx``: RuleContext fields)."""
    return rule_by_id(rule_id).check(entries, RuleContext(**ctx))


def text(content: str = "Done! Preview it in the timeline.") -> dict[str, Any]:
    return {"type": "text", "content": content}


def tool_call(name: str = EDIT) -> dict[str, Any]:
    return {"type": "tool_call", "name": name, "args": {}}


def tool_result(name: str = EDIT) -> dict[str, Any]:
    return {"type": "tool_result", "name": name, "result": {"status": "success"}}


def heartbeat() -> dict[str, Any]:
    return {"type": "heartbeat"}


def generation_events() -> list[dict[str, Any]]:
    return [text("Generating…"), tool_call(GENERATION), tool_result(GENERATION), text()]


@dataclass(frozen=True)
class Call:
    """What a call sends and what it is answered; ``error`` answers with that code (HTTP 4xx,
    or HTTP 200 with ``envelope=True``); ``at_s`` counts from the builder's start."""

    body: Any = None
    content_type: str | None = None
    headers: dict[str, str] | None = None
    drop_headers: tuple[str, ...] = ()
    #: ``"current"``: the builder's latest token; ``None``: no Authorization header.
    token: str | None = "current"
    client_id: str | None = None
    session: str | None = None
    error: int | None = None
    envelope: bool = False
    response: Any = None
    response_headers: dict[str, str] | None = None
    duration_s: float = 0.1
    at_s: float | None = None
    events: list[Any] | None = None
    notes: dict[str, Any] | None = None
    outcome: Outcome = "completed"
    fault: dict[str, Any] | None = None
    #: ``"auto"``: from ``error``; ``None``: dropped before a status.
    status: int | Literal["auto"] | None = "auto"
    secrets_in_url: tuple[str, ...] = ()
    query: str = ""

    def request_headers(self, bearer: str | None) -> dict[str, str]:
        sent = {**ATTRIBUTION, **(self.headers or {})}
        if bearer is not None:
            sent.setdefault("authorization", f"Bearer <{bearer}>")
        if self.client_id is not None:
            sent["x-client-id"] = self.client_id
        if self.content_type is not None:
            sent["content-type"] = self.content_type
        for name in self.drop_headers:
            sent.pop(name.lower(), None)
        return sent


class JournalBuilder:
    def __init__(self, *, client_id: str | None = CLIENT_ID, start_ms: int = 1_790_000_000_000):
        self.entries: list[JournalEntry] = []
        self.start_ms = start_ms
        self.now_ms: float = start_ms
        self.client_id = client_id
        self.token_fp: str | None = None
        self.session_id: str | None = None
        self._issued = 0

    # ------------------------------------------------------------------ time and raw calls

    def wait(self, seconds: float) -> JournalBuilder:
        self.now_ms += seconds * 1000
        return self

    def call(self, operation: str | None, method: str, path: str, **kw: Any) -> JournalEntry:
        """One request, as the journal would record it (``kw``: the fields of ``Call``)."""
        spec = Call(**kw)
        bearer = self.token_fp if spec.token == "current" else spec.token
        http, code, answer = self._answer(spec.error, spec.envelope, spec.response)
        start = self._place(spec)
        entry = JournalEntry(
            seq=len(self.entries) + 1,
            at="2026-09-21T12:00:00Z",
            at_ms=int(start),
            duration_ms=spec.duration_s * 1000,
            method=method,
            path=path,
            query=spec.query,
            operation=operation,
            token=bearer,
            client_id=spec.client_id,
            session_id=spec.session,
            secrets_in_url=list(spec.secrets_in_url),
            request=_message(spec.request_headers(bearer), spec.content_type, spec.body),
            status=http if spec.status == "auto" else spec.status,
            code=code,
            response=Message(headers=spec.response_headers or {}, body=answer),
            events=_records(spec.events, spec.duration_s) if spec.events is not None else None,
            fault=FaultRecord(rule="f1", action=spec.fault) if spec.fault is not None else None,
            notes=spec.notes or {},
            outcome=spec.outcome,
        )
        self.entries.append(entry)
        return entry

    def _place(self, spec: Call) -> float:
        """When the call starts; the clock moves on to the latest end."""
        start = self.now_ms if spec.at_s is None else self.start_ms + spec.at_s * 1000
        self.now_ms = max(self.now_ms, start + spec.duration_s * 1000)
        return start

    def _answer(
        self, error: int | None, envelope: bool, response: Any
    ) -> tuple[int, int | None, Any]:
        if error is None:
            code = response.get("code") if isinstance(response, dict) else None
            return 200, code, response
        body = {"code": error, "message": f"error {error}", "data": None}
        return (200 if envelope else HTTP_STATUS.get(error, error)), error, body

    # ------------------------------------------------------------------ auth and sessions

    def token(
        self,
        *,
        client_id: str | None = "default",
        error: int | None = None,
        retry_after: str | None = "30",
        **kw: Any,
    ) -> JournalEntry:
        """createAnonymousToken; on success the builder uses the new token from then on."""
        cid = self.client_id if client_id == "default" else client_id
        fresh = f"fp_{self._issued + 1:016x}"
        ok = {"code": 0, "data": {"token": f"<{fresh}>", "user_id": "anon_1", "credits": 100}}
        headers = {"retry-after": retry_after} if error == 429 and retry_after else None
        entry = self.call(
            "createAnonymousToken", "POST", "/api/auth/anonymous-token",
            token=None, client_id=cid, error=error, response=ok, response_headers=headers, **kw,
        )  # fmt: skip
        if error is None:
            self._issued += 1
            self.token_fp = fresh
        return entry

    def session(self, *, error: int | None = None, **kw: Any) -> JournalEntry:
        """createSession; on success the builder's calls go to the new session."""
        sid = f"55297987060244152{len(self.entries):02d}"
        ok = {"code": 0, "data": {"task_id": "task_1", "session_id": sid, "user_id": "anon_1"}}
        entry = self.call(
            "createSession", "POST", "/api/tasks/me/with-session/nemo_agent",
            body={"task_name": "project", "language": "en"}, content_type="application/json",
            error=error, response=ok, **kw,
        )  # fmt: skip
        if error is None:
            self.session_id = sid
        return entry

    def claim(self, claim_fp: str = "fp_c1a1c1a1c1a1c1a1", **kw: Any) -> JournalEntry:
        ok = {"code": 0, "data": {"claim_token": f"<{claim_fp}>", "expires_in": 604800}}
        body = {"task_id": "task_1", "session_id": self.session_id}
        return self.call(
            "createClaimToken", "POST", "/api/auth/claim-token", body=body,
            content_type="application/json", session=self.session_id, response=ok, **kw,
        )  # fmt: skip

    # ------------------------------------------------------------------ chat, state, uploads

    def run_sse(
        self,
        message: str = "add a title 'Golden Hour'",
        *,
        events: list[Any] | None = None,
        session: str | None = None,
        duration_s: float = 5.0,
        **kw: Any,
    ) -> JournalEntry:
        sid = session or self.session_id
        body = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
                "new_message": {"parts": [{"text": message}]}}  # fmt: skip
        stream = events if events is not None else [tool_call(), tool_result(), text()]
        return self.call(
            "runSse", "POST", "/run_sse", body=body, content_type="application/json",
            headers={"accept": "text/event-stream"}, session=sid, events=stream,
            duration_s=duration_s, **kw,
        )  # fmt: skip

    def state(
        self, draft: dict[str, Any] | None = None, *, session: str | None = None, **kw: Any
    ) -> JournalEntry:
        sid = session or self.session_id
        state = {"draft": draft if draft is not None else READY_DRAFT, "video_infos": []}
        ok = {"code": 0, "data": {"session_id": sid, "task_id": "task_1", "state": state}}
        path = f"/api/state/nemo_agent/me/{sid}/latest"
        return self.call("getSessionState", "GET", path, session=sid, response=ok, **kw)

    def upload(
        self, *, content_type: str = "multipart/form-data; boundary=x", **kw: Any
    ) -> JournalEntry:
        path = f"/api/upload-video/nemo_agent/me/{self.session_id}"
        return self.call(
            "uploadFiles", "POST", path, content_type=content_type, session=self.session_id,
            **kw,
        )  # fmt: skip

    def credits(self, **kw: Any) -> JournalEntry:
        return self.call("getCreditBalance", "GET", "/api/credits/balance/simple", **kw)

    # ------------------------------------------------------------------ renders

    def render(
        self,
        render_id: str = "render_1",
        *,
        session: str | None = None,
        draft: dict[str, Any] | None = None,
        **kw: Any,
    ) -> JournalEntry:
        sid = session or self.session_id
        body = {"id": render_id, "sessionId": sid, "draft": draft or READY_DRAFT,
                "output": {"format": "mp4", "quality": "high"}}  # fmt: skip
        job = {"success": True, "data": {"id": render_id, "status": "pending", "progress": 5}}
        return self.call(
            "startRender", "POST", "/api/render/proxy/lambda", body=body,
            content_type="application/json", session=sid, response=job, **kw,
        )  # fmt: skip

    def poll(
        self, render_id: str = "render_1", status: str = "processing", *, shape: str = "data",
        **kw: Any,
    ) -> JournalEntry:  # fmt: skip
        """getRender; ``shape`` "data" puts the status at data.status, "top" at top level."""
        job: dict[str, Any] = {"id": render_id, "status": status, "progress": 50}
        answer = {"success": True, "data": job} if shape == "data" else job
        path = f"/api/render/proxy/lambda/{render_id}"
        return self.call("getRender", "GET", path, response=answer, **kw)


def _message(headers: dict[str, str], content_type: str | None, body: Any) -> Message:
    size = len(json.dumps(body)) if body is not None else 0
    omitted = "multipart" if content_type and content_type.startswith("multipart/") else None
    return Message(
        headers=headers, content_type=content_type, bytes=size or (1000 if omitted else 0),
        body=body, body_omitted=omitted,
    )  # fmt: skip


def _records(events: list[Any], duration_s: float) -> list[SseEventRecord]:
    step = duration_s * 1000 / (len(events) + 1)
    return [
        SseEventRecord(at_ms=step * (i + 1), data=e if isinstance(e, str) else json.dumps(e))
        for i, e in enumerate(events)
    ]
