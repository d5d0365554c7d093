"""All mutable state of one mock, in one place, so it can be swapped or reset whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mock_server.domain.credits import CreditLedger
from mock_server.domain.mcp_state import McpTables
from mock_server.domain.media import MediaFile
from mock_server.domain.renders import RenderJob
from mock_server.domain.sessions import Session
from mock_server.domain.tokens import TokenTables
from mock_server.domain.usage import UsageEntry


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

    def clear(self) -> None:
        """Forget everything, in place (services keep their references to the tables)."""
        self.users.clear()
        self.tokens.access.clear()
        self.tokens.claims.clear()
        self.tokens.last_by_client.clear()
        self.sessions.clear()
        self.ledger.clear()
        self.media.clear()
        self.renders.clear()
        self.usage.clear()
        self.mcp.clear()

    def forget_user(self, user_id: str) -> list[str]:
        """Remove one user and everything theirs; the storage paths of their files."""
        tables = self.tokens
        for raw in [raw for raw, t in tables.access.items() if t.user_id == user_id]:
            del tables.access[raw]
        for raw in [raw for raw, c in tables.claims.items() if c.user_id == user_id]:
            del tables.claims[raw]
        for client in [c for c, t in tables.last_by_client.items() if t.user_id == user_id]:
            del tables.last_by_client[client]
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
