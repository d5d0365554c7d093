"""Each kind of row of the store as JSON and back: plain dicts of strings, numbers, lists.

One pair of functions per domain record. Instants are ISO 8601 strings with their offset;
sets become sorted lists; a raw secret is never written (tokens are rows under their
fingerprints, their ``token`` field empty: ``domain/tokens.py`` and ``domain/oauth.py``
already keep them so).
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from nemo_mock.mock_server.domain.credits import AccountRecord, Hold
from nemo_mock.mock_server.domain.draft_v3.model import V3Clip, V3Draft, V3Track, V3Transition
from nemo_mock.mock_server.domain.draft_v3.projects import V3Project
from nemo_mock.mock_server.domain.drafts import Draft
from nemo_mock.mock_server.domain.generations import Generation
from nemo_mock.mock_server.domain.media import MediaFile
from nemo_mock.mock_server.domain.oauth import Consent, Grant, McpRefresh, McpToken
from nemo_mock.mock_server.domain.renders import RenderJob, RenderStatus
from nemo_mock.mock_server.domain.sessions import CanvasConfig, Session, SessionState
from nemo_mock.mock_server.domain.store import User
from nemo_mock.mock_server.domain.tokens import AccessToken, ClaimToken, Scope
from nemo_mock.mock_server.domain.usage import Conversation, UsageEntry, UsageKind

Row = dict[str, Any]


def when(instant: datetime | None) -> str | None:
    return None if instant is None else instant.isoformat()


def instant(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -- accounts and tokens ----------------------------------------------------------------------
def user_row(user: User) -> Row:
    return {"user_id": user.user_id, "plan": user.plan, "created_at": when(user.created_at)}


def user_of(row: Row) -> User:
    return User(row["user_id"], row["plan"], at(row["created_at"]))


def token_row(token: AccessToken) -> Row:
    return {
        "fingerprint": token.fingerprint,
        "user_id": token.user_id,
        "scopes": sorted(s.value for s in token.scopes),
        "plan": token.plan,
        "issued_at": when(token.issued_at),
        "expires_at": when(token.expires_at),
        "client_id": token.client_id,
        "revoked": token.revoked,
    }


def token_of(row: Row) -> AccessToken:
    return AccessToken(
        token="",
        user_id=row["user_id"],
        scopes=frozenset(Scope(s) for s in row["scopes"]),
        plan=row["plan"],
        issued_at=at(row["issued_at"]),
        expires_at=at(row["expires_at"]),
        client_id=row["client_id"],
        revoked=row["revoked"],
        fingerprint=row["fingerprint"],
    )


def claim_row(claim: ClaimToken) -> Row:
    return {
        "fingerprint": claim.fingerprint,
        "user_id": claim.user_id,
        "task_id": claim.task_id,
        "session_id": claim.session_id,
        "expires_at": when(claim.expires_at),
    }


def claim_of(row: Row) -> ClaimToken:
    return ClaimToken(
        "", row["user_id"], row["task_id"], row["session_id"], at(row["expires_at"]),
        row["fingerprint"],
    )  # fmt: skip


def window_row(events: deque[datetime]) -> Row:
    return {"at": [when(e) for e in events]}


def window_of(row: Row) -> deque[datetime]:
    return deque(at(e) for e in row["at"])


# -- sessions and media -----------------------------------------------------------------------
def media_row(media: MediaFile) -> Row:
    return {**asdict(media), "uploaded_at": when(media.uploaded_at)}


def media_of(row: Row) -> MediaFile:
    return MediaFile(**{**row, "uploaded_at": at(row["uploaded_at"])})


def session_row(session: Session) -> Row:
    state = session.state
    return {
        "session_id": session.session_id,
        "task_id": session.task_id,
        "user_id": session.user_id,
        "task_name": session.task_name,
        "language": session.language,
        "created_at": when(session.created_at),
        "updated_at": when(session.updated_at),
        "revision": session.revision,
        "turns": session.turns,
        "edits_paid": session.edits_paid,
        "state": {
            "draft": state.draft.to_wire(),
            "video_infos": [media_row(m) for m in state.video_infos],
            "canvas": [state.canvas.width, state.canvas.height],
            "video_analyses": list(state.video_analyses),
            "generated_media": list(state.generated_media),
        },
    }


def session_of(row: Row) -> Session:
    state = row["state"]
    return Session(
        session_id=row["session_id"],
        task_id=row["task_id"],
        user_id=row["user_id"],
        task_name=row["task_name"],
        language=row["language"],
        created_at=at(row["created_at"]),
        state=SessionState(
            draft=Draft.model_validate(state["draft"]),
            video_infos=[media_of(m) for m in state["video_infos"]],
            canvas=CanvasConfig(*state["canvas"]),
            video_analyses=list(state["video_analyses"]),
            generated_media=list(state["generated_media"]),
        ),
        revision=row["revision"],
        updated_at=instant(row["updated_at"]),
        turns=row["turns"],
        edits_paid=row["edits_paid"],
    )


# -- money --------------------------------------------------------------------------------------
def account_row(record: AccountRecord) -> Row:
    return {
        "user_id": record.user_id,
        "available": record.available,
        "granted": record.granted,
        "consumed": record.consumed,
        "holds": [asdict(h) for h in record.holds],
    }


def account_of(row: Row) -> AccountRecord:
    holds = tuple(Hold(**h) for h in row["holds"])
    return AccountRecord(row["user_id"], row["available"], row["granted"], row["consumed"], holds)


def usage_row(entry: UsageEntry) -> Row:
    conversation = entry.conversation
    return {
        "entry_id": entry.entry_id,
        "user_id": entry.user_id,
        "kind": entry.kind.value,
        "amount_delta": entry.amount_delta,
        "created_at": when(entry.created_at),
        "grant_source": entry.grant_source,
        "conversation": None if conversation is None else asdict(conversation),
    }


def usage_of(row: Row) -> UsageEntry:
    conv = row["conversation"]
    return UsageEntry(
        row["entry_id"],
        row["user_id"],
        UsageKind(row["kind"]),
        row["amount_delta"],
        at(row["created_at"]),
        row["grant_source"],
        None if conv is None else Conversation(**{**conv, "tool_keys": tuple(conv["tool_keys"])}),
    )


def _fields(record: Any) -> dict[str, Any]:
    """A dataclass record's fields (not what else its instance holds), unconverted."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


# -- renders ------------------------------------------------------------------------------------
_JOB_INSTANTS = ("created_at", "started_at", "completed_at")


def render_row(job: RenderJob) -> Row:
    row = {k: v for k, v in _fields(job).items() if k != "cancel_requested"}
    row.update({k: when(row[k]) for k in _JOB_INSTANTS})
    return {**row, "draft": job.draft.to_wire(), "status": job.status.value}


def render_of(row: Row) -> RenderJob:
    fields = {**row, **{k: instant(row[k]) for k in _JOB_INSTANTS}}
    fields.update(draft=Draft.model_validate(row["draft"]), status=RenderStatus(row["status"]))
    return RenderJob(**fields)


# -- the MCP surface ----------------------------------------------------------------------------
def _plain(record: Any, *instants: str) -> Row:
    row = asdict(record)
    row.update({k: when(row[k]) for k in instants})
    return {k: list(v) if isinstance(v, tuple) else v for k, v in row.items()}


def grant_row(grant: Grant) -> Row:
    return _plain(grant, "expires_at")


def grant_of(row: Row) -> Grant:
    return Grant(**{**row, "scopes": tuple(row["scopes"]), "expires_at": at(row["expires_at"])})


def mcp_token_row(token: McpToken | McpRefresh) -> Row:
    return _plain(token, "expires_at")


def mcp_token_of(row: Row) -> McpToken:
    return McpToken(**{**row, "scopes": tuple(row["scopes"]), "expires_at": at(row["expires_at"])})


def mcp_refresh_of(row: Row) -> McpRefresh:
    fields = {**row, "scopes": tuple(row["scopes"]), "expires_at": at(row["expires_at"])}
    return McpRefresh(**fields)


def consent_row(consent: Consent) -> Row:
    return _plain(consent)


def consent_of(row: Row) -> Consent:
    return Consent(**{**row, "scopes": tuple(row["scopes"])})


def project_row(project: V3Project) -> Row:
    row = {k: v for k, v in _fields(project).items() if k not in ("draft", "render_draft")}
    render = project.render_draft
    return {
        **row,
        "created_at": when(project.created_at),
        "updated_at": when(project.updated_at),
        "draft": _lists(asdict(project.draft)),
        "render_draft": None if render is None else render.to_wire(),
        "history": list(project.history),
        "files": list(project.files),
    }


def project_of(row: Row) -> V3Project:
    render = row["render_draft"]
    return V3Project(
        **{
            **row,
            "created_at": at(row["created_at"]),
            "updated_at": at(row["updated_at"]),
            "draft": _v3_draft(row["draft"]),
            "render_draft": None if render is None else Draft.model_validate(render),
        }
    )


def _lists(value: Any) -> Any:
    """``value`` with every tuple made a list, as JSON gives it back."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


def _v3_draft(row: Row) -> V3Draft:
    tracks = tuple(
        V3Track(t["track_id"], t["type"], tuple(V3Clip(**c) for c in t["clips"]))
        for t in row["tracks"]
    )
    transitions = tuple(V3Transition(**t) for t in row["transitions"])
    return V3Draft(row["fps"], row["width"], row["height"], row["duration"], tracks, transitions)


def generation_row(generation: Generation) -> Row:
    return asdict(generation)


def generation_of(row: Row) -> Generation:
    hold = row["hold"]
    return Generation(**{**row, "hold": None if hold is None else Hold(**hold)})
