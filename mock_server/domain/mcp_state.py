"""The MCP surface's share of the store: OAuth state, V3 projects, creator accounts,
platform resources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nemo_mock.mock_server.domain.draft_v3.projects import V3Project
from nemo_mock.mock_server.domain.generations import Generation
from nemo_mock.mock_server.domain.oauth import OAuthTables
from nemo_mock.mock_server.domain.platform import PlatformTables


@dataclass
class McpTables:
    oauth: OAuthTables = field(default_factory=OAuthTables)
    projects: dict[str, V3Project] = field(default_factory=dict)
    creators: set[str] = field(default_factory=set)
    generations: dict[str, Generation] = field(default_factory=dict)
    turns: dict[str, Any] = field(default_factory=dict)
    platform: PlatformTables = field(default_factory=PlatformTables)

    def clear(self) -> None:
        self.oauth.clear()
        self.projects.clear()
        self.creators.clear()
        self.generations.clear()
        self.turns.clear()
        self.platform.clear()
