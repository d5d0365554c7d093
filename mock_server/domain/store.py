"""All mutable state of one mock, in one place, so it can be swapped or reset whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mock_server.domain.credits import CreditLedger
from mock_server.domain.media import MediaFile
from mock_server.domain.renders import RenderJob
from mock_server.domain.sessions import Session
from mock_server.domain.tokens import TokenTables


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
