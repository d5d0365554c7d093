"""``McpSurface``: the MCP tools' state and helpers over the shared backend.

One account, one ledger, one session model: an MCP project wraps a skill-surface session,
uploads are the same ``MediaFile`` records, renders the same jobs, delegated turns the same
agent engine. The signed-in account comes from the OAuth grant (``Principal``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.draft_v3 import (
    ASSET_SCHEME,
    V3Draft,
    media_id,
    template_from_draft,
    to_render_draft,
    validate_template,
)
from nemo_mock.mock_server.domain.draft_v3.projects import ProjectBook, V3Project
from nemo_mock.mock_server.domain.mcp_errors import PlanRequired, ScopeNotGranted
from nemo_mock.mock_server.domain.mcp_state import McpTables
from nemo_mock.mock_server.domain.oauth import PLANS, OAuthBook
from nemo_mock.mock_server.domain.platform import PlatformBook
from nemo_mock.mock_server.domain.sessions import CanvasConfig, Session
from nemo_mock.mock_server.domain.store import User
from nemo_mock.mock_server.domain.tokens import AccessToken, Scope

_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Principal:
    """Who a tool call acts for: the OAuth grant's account and scopes."""

    user_id: str
    client_id: str
    scopes: frozenset[str]
    plan: str
    creator: bool
    base_url: str = ""

    def token(self) -> AccessToken:
        """The account as the shared services (ledger, agent) know a caller."""
        now = _EPOCH
        return AccessToken(
            token="(mcp oauth grant)",
            user_id=self.user_id,
            scopes=frozenset({Scope.ALL}),
            plan=self.plan,
            issued_at=now,
            expires_at=now + timedelta(days=36500),
        )

    def require_plan(self, minimum: str, what: str) -> None:
        if PLANS.index(_plan(self.plan)) < PLANS.index(minimum):
            raise PlanRequired(
                f"{what} needs the {minimum.title()} plan or above; this account is on "
                f"{self.plan!r}: upgrade the plan (retrying cannot succeed)"
            )

    def require_scope(self, wanted: tuple[str, ...], tool: str) -> None:
        if not any(s in self.scopes for s in wanted):
            raise ScopeNotGranted(
                f"{tool} needs scope {' or '.join(wanted)}; the sign-in granted "
                f"{', '.join(sorted(self.scopes)) or 'none'}: reconnect and approve it"
            )


def _plan(plan: str) -> str:
    return plan if plan in PLANS else "free"


class McpSurface:
    def __init__(self, backend: NemoBackend, tables: McpTables, data_dir: Path) -> None:
        self.backend = backend
        self.tables = tables
        self.oauth = OAuthBook(tables.oauth, backend.clock)
        self.projects = ProjectBook(tables.projects, backend.clock)
        self.platform = PlatformBook(tables.platform, backend.clock)
        self.data_dir = data_dir / "mcp"
        self.generations: Any = None  # GenerationService, once attached
        self.turns: Any = None  # DelegatedTurns, once attached
        self.mock: Any = None
        self.frames: Any = None
        self.render_projects: dict[str, str] = {}  # render id -> project id
        self.preview_sessions: dict[str, str] = {}  # owner -> session of platform previews

    def attach(self, mock: Any) -> None:
        """The running mock's services (renders, turns, uploads) this surface shares."""
        from nemo_mock.mock_server.surfaces.mcp.frames import FrameMaker
        from nemo_mock.mock_server.surfaces.mcp.generations import GenerationService
        from nemo_mock.mock_server.surfaces.mcp.turns import DelegatedTurns

        self.mock = mock
        self.frames = FrameMaker(mock, self.data_dir / "previews")
        self.generations = GenerationService(self, mock.data_dir / "generated" / "mcp")
        self.turns = DelegatedTurns(self)

    def asset_session(self, who: Principal) -> Session:
        """Where an upload without a project goes: the account's latest project's session,
        else a session of its own (so the render engine finds the file)."""
        mine = [p for p in self.tables.projects.values() if p.user_id == who.user_id]
        if mine:
            return self.session_of(max(mine, key=lambda p: p.created_at))
        return self.backend.sessions.create(who.user_id, "assets", None)

    def refresh_refused(self) -> bool:
        """Whether a ``refresh_refused`` fault fired on this token request."""
        from nemo_mock.mock_server.surfaces.mcp import faults

        fault = faults.active()
        return fault is not None and bool(fault.refresh_refused)

    async def stop(self) -> None:
        for service in (self.generations, self.turns):
            if service is not None:
                await service.stop()

    # -- accounts ------------------------------------------------------------------
    def open_account(self, user_id: str, plan: str, creator: bool) -> None:
        users = self.backend.store.users
        if user_id not in users or users[user_id].plan != plan:
            created = users[user_id].created_at if user_id in users else self.backend.clock.now()
            users[user_id] = User(user_id=user_id, plan=plan, created_at=created)
        self.backend.ledger.open_account(user_id, self.backend.initial_credits)
        (self.tables.creators.add if creator else self.tables.creators.discard)(user_id)

    def principal(
        self, user_id: str, client_id: str, scopes: list[str], base_url: str = ""
    ) -> Principal:
        user = self.backend.store.users.get(user_id)
        plan = user.plan if user else "free"
        creator = user_id in self.tables.creators
        return Principal(user_id, client_id, frozenset(scopes), plan, creator, base_url)

    # -- projects ------------------------------------------------------------------
    def project(self, who: Principal, project_id: str) -> V3Project:
        project = self.projects.get(project_id, who.user_id)
        self.sync(project)
        return project

    def session_of(self, project: V3Project) -> Session:
        return self.backend.sessions.get(project.session_id, project.user_id)

    def sync(self, project: V3Project) -> None:
        """Mirror background writes on the project's session into its version."""
        session = self.session_of(project)
        if session.revision == project.seen_revision:
            return
        project.seen_revision = session.revision
        draft = session.state.draft
        if project.render_draft is not None and draft is not project.render_draft:
            v3 = project.draft
            template = template_from_draft(draft, v3.fps, v3.width, v3.height)
            parsed = validate_template(template, lambda _: None)
            project.render_draft = draft
            self.projects.background_write(project, template, parsed, "agent edit")
        else:
            self.projects.touch(project, "project files changed")

    def apply(self, project: V3Project, parsed: V3Draft) -> None:
        """The saved draft becomes the session's draft (what the agent and renders see)."""
        session = self.session_of(project)
        self.adopt_generations(session, parsed)
        project.render_draft = to_render_draft(parsed)
        session.state.draft = project.render_draft
        session.state.canvas = CanvasConfig(width=parsed.width, height=parsed.height)
        session.touch()
        project.seen_revision = session.revision

    def adopt_generations(self, session: Session, parsed: V3Draft) -> None:
        """Generations a draft uses become the session's generated media (for the engine)."""
        have = {entry.get("id") for entry in session.state.generated_media}
        for url in parsed.media_urls():
            ident = media_id(url)
            if ident.startswith("gen_") and ident not in have and self.generations is not None:
                entry = self.generations.media_entry(session.user_id, ident)
                if entry is not None:
                    session.state.generated_media.append(entry)

    # -- media -----------------------------------------------------------------------
    def media_check(self, who: Principal) -> Any:
        def check(url: str) -> str | None:
            if not url.startswith(ASSET_SCHEME):
                return (
                    "not a URL a tool returned: use the asset:// URL that upload_asset or "
                    "get_generation_status gave you, exactly as returned"
                )
            ident = media_id(url)
            if ident.startswith("f_") and self.upload_of(who.user_id, ident) is not None:
                return None
            gens = self.generations
            if ident.startswith("gen_") and gens and gens.media_entry(who.user_id, ident):
                return None
            return f"no asset {ident[:80]!r} of this account: upload it or generate it first"

        return check

    def upload_of(self, user_id: str, file_id: str) -> Any:
        for session in self.backend.sessions.of_user(user_id):
            for media in session.state.video_infos:
                if media.file_id == file_id:
                    return media
        return None
