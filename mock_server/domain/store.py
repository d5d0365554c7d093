"""All mutable state of one mock, in one place, so it can be swapped or reset whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from nemo_mock.mock_server.domain.changes import ChangeLog, Table, TrackedList, TrackedSet
from nemo_mock.mock_server.domain.credits import CreditLedger
from nemo_mock.mock_server.domain.mcp_state import McpTables
from nemo_mock.mock_server.domain.media import MediaFile
from nemo_mock.mock_server.domain.renders import RenderJob
from nemo_mock.mock_server.domain.sessions import Session
from nemo_mock.mock_server.domain.tokens import TokenTables
from nemo_mock.mock_server.domain.usage import UsageEntry


@dataclass(frozen=True)
class User:
    user_id: str
    plan: str
    created_at: datetime

    @property
    def anonymous(self) -> bool:
        return self.plan == "anonymous"


@dataclass
class Store:
    users: dict[str, User] = field(default_factory=dict)
    tokens: TokenTables = field(default_factory=TokenTables)
    sessions: dict[str, Session] = field(default_factory=dict)
    ledger: CreditLedger = field(default_factory=CreditLedger)
    media: dict[str, MediaFile] = field(default_factory=dict)
    renders: dict[tuple[str, str], RenderJob] = field(default_factory=dict)
    #: Why balances moved: grants and paid conversations, oldest first.
    usage: list[UsageEntry] = field(default_factory=list)
    mcp: McpTables = field(default_factory=McpTables)
    #: Open turns that pay their session's editing: hold id -> session id (a refund, or a
    #: restart's recovery, makes the session's editing unpaid again).
    paying_turns: dict[str, str] = field(default_factory=dict)
    #: The key of every row changed since the durable store last wrote (``changes.py``).
    changes: ChangeLog = field(default_factory=ChangeLog)

    def __post_init__(self) -> None:
        """Every kept table becomes one that marks its changes in ``changes``; the names
        are the durable store's (``mock_server/persist/tables.py``)."""
        log, tokens, mcp, oauth = self.changes, self.tokens, self.mcp, self.mcp.oauth
        self.users = Table(log, "users", self.users.items())
        tokens.access = Table(log, "tokens", tokens.access.items())
        tokens.claims = Table(log, "claims", tokens.claims.items())
        tokens.last_by_client = Table(log, "token_clients", tokens.last_by_client.items())
        tokens.ip_events = Table(log, "ip_windows", tokens.ip_events.items())
        self.sessions = Table(log, "sessions", self.sessions.items())
        self.media = Table(log, "media", self.media.items())
        self.ledger.track(Table(log, "accounts"))
        self.renders = Table(log, "renders", self.renders.items())
        usage = TrackedList[UsageEntry](log, "usage", lambda entry: entry.entry_id)
        usage.extend(self.usage)
        self.usage = usage
        self.paying_turns = Table(log, "paying_turns", self.paying_turns.items())
        oauth.clients = Table(log, "oauth_clients", oauth.clients.items())
        oauth.codes = Table(log, "oauth_codes", oauth.codes.items())
        oauth.access = Table(log, "oauth_access", oauth.access.items())
        oauth.refresh = Table(log, "oauth_refresh", oauth.refresh.items())
        oauth.pending = Table(log, "oauth_pending", oauth.pending.items())
        mcp.projects = Table(log, "mcp_projects", mcp.projects.items())
        mcp.creators = TrackedSet(log, "mcp_creators", mcp.creators)
        mcp.generations = Table(log, "mcp_generations", mcp.generations.items())

    def clear(self) -> None:
        """Forget everything, in place (services keep their references to the tables)."""
        self.users.clear()
        self.tokens.clear()
        self.sessions.clear()
        self.ledger.clear()
        self.media.clear()
        self.renders.clear()
        self.usage.clear()
        self.mcp.clear()
        self.paying_turns.clear()

    def forget_user(self, user_id: str) -> list[str]:
        """Remove one user and everything theirs; the storage paths of their files."""
        tables = self.tokens
        for client in [c for c, fp in tables.last_by_client.items() if fp in tables.access]:
            if tables.access[tables.last_by_client[client]].user_id == user_id:
                del tables.last_by_client[client]
        for fp in [fp for fp, t in tables.access.items() if t.user_id == user_id]:
            del tables.access[fp]
        for fp in [fp for fp, c in tables.claims.items() if c.user_id == user_id]:
            del tables.claims[fp]
        sessions = [s for s in self.sessions.values() if s.user_id == user_id]
        paths: list[str] = []
        for session in sessions:
            del self.sessions[session.session_id]
            for media in session.state.video_infos:
                self.media.pop(media.file_id, None)
                paths.append(media.storage_path)
        for key in [k for k in self.renders if k[0] == user_id]:
            job = self.renders.pop(key)
            job.cancel_requested.set()
            if job.output_path:
                paths.append(job.output_path)
        self.ledger.forget(user_id)
        self.usage[:] = [entry for entry in self.usage if entry.user_id != user_id]
        self.users.pop(user_id, None)
        return paths
