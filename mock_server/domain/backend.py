"""The NemoVideo backend as plain Python: what every route calls.

``NemoBackend`` composes the token, credit and session services over one
``Store``, one ``Clock`` and one seeded RNG. It never sees a request: the web
layer parses, calls one method here, and wraps the result in the envelope.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from nemo_mock.mock_server.domain.clock import Clock
from nemo_mock.mock_server.domain.credits import Balance, CreditLedger, Hold
from nemo_mock.mock_server.domain.drafts import parse_draft
from nemo_mock.mock_server.domain.eras import LATEST, Era
from nemo_mock.mock_server.domain.errors import (
    Conflict,
    InsufficientCredits,
    InvalidDraft,
    NotFound,
    UserMismatch,
)
from nemo_mock.mock_server.domain.ids import IdFactory, check_user_id
from nemo_mock.mock_server.domain.links import OpenedProject, WorkspaceLink, check_link_era
from nemo_mock.mock_server.domain.media import MediaFile
from nemo_mock.mock_server.domain.pricing import TurnCharge, TurnWork, price_turn
from nemo_mock.mock_server.domain.projects import Project, ProjectService
from nemo_mock.mock_server.domain.renders import (
    RenderBook,
    RenderJob,
    RenderStatus,
    check_attribution,
)
from nemo_mock.mock_server.domain.sessions import Session, SessionService
from nemo_mock.mock_server.domain.store import Store, User
from nemo_mock.mock_server.domain.tokens import (
    AccessToken,
    ClaimToken,
    Scope,
    TokenPolicy,
    TokenService,
)
from nemo_mock.mock_server.domain.usage import Conversation, UsageHistory, UsagePage

ME = "me"


@dataclass(frozen=True)
class BackendConfig:
    initial_credits: int = 100
    tokens: TokenPolicy = field(default_factory=TokenPolicy)
    web_url: str = "https://nemovideo.com"


class NemoBackend:
    def __init__(
        self, config: BackendConfig, *, clock: Clock, rng: random.Random, store: Store | None = None
    ) -> None:
        self.config = config
        self.clock = clock
        self.rng = rng
        self.ids = IdFactory(rng)
        self.store = store or Store()
        self.tokens = TokenService(self.store.tokens, self.ids, clock, config.tokens)
        self.sessions = SessionService(self.store.sessions, self.ids, clock)
        self.renders = RenderBook(self.store.renders, clock)
        self.projects = ProjectService(self.sessions)
        self.usage = UsageHistory(self.store.usage)
        #: Credits of a new user; a scenario may change it at run time (reset restores it).
        self.initial_credits = config.initial_credits

    @property
    def ledger(self) -> CreditLedger:
        """The ledger lives in the store, so swapping the store swaps it too."""
        return self.store.ledger

    # -- control -------------------------------------------------------------
    def reset(self, seed: int) -> None:
        """Back to a fresh start: no state, rate windows empty, the clock at rest, and the
        RNG re-seeded, so the same requests give the same ids again."""
        self.store.clear()
        self.tokens.reset_rate_limits()
        self.clock.reset()
        self.rng.seed(seed)
        self.ids.rekey()
        self.initial_credits = self.config.initial_credits

    def forget_user(self, user_id: str) -> list[str]:
        """Remove one user and all that is theirs; the storage paths of their files."""
        if user_id not in self.store.users:
            check_user_id(user_id)
            raise NotFound(f"unknown user {user_id!r}")
        return self.store.forget_user(user_id)

    def user_of_raw_token(self, raw: str) -> str:
        return self.tokens.find(raw).user_id

    def known_token(self, raw: str) -> AccessToken | None:
        """The token as the mock knows it (even expired or revoked), or ``None``."""
        try:
            return self.tokens.find(raw)
        except NotFound:
            return None

    def token_fingerprints_of(self, user_id: str) -> list[str]:
        """The fingerprints of the user's access tokens (what else must go with the user)."""
        return [fp for fp, token in self.store.tokens.access.items() if token.user_id == user_id]

    # -- auth ------------------------------------------------------------------
    def issue_anonymous_token(
        self, client_id: str | None, ip: str, era: Era = LATEST
    ) -> tuple[AccessToken, Balance]:
        """§4.1, as the era has it (§8): X-Client-Id required or not, expiry or none."""
        token = self.tokens.issue_anonymous(
            client_id,
            ip,
            client_id_required=era.client_id_required,
            expires=era.anonymous_tokens_expire,
        )
        self._open_user(token.user_id, "anonymous", self.initial_credits)
        return token, self.ledger.balance(token.user_id)

    def mint_token(
        self,
        *,
        scopes: frozenset[Scope],
        plan: str = "free",
        credits: int | None = None,
        user_id: str | None = None,
        ttl: timedelta | None = None,
    ) -> AccessToken:
        if user_id is not None:
            check_user_id(user_id)
        token = self.tokens.mint(user_id=user_id, scopes=scopes, plan=plan, ttl=ttl)
        self._open_user(token.user_id, plan, self.initial_credits)
        if credits is not None:
            self._set_available(token.user_id, credits, "admin")
        return token

    def authenticate(self, raw: str, *needs: Scope) -> AccessToken:
        return self.tokens.authenticate(raw, *needs)

    def authenticate_legacy(self, api_key: str, user_id: str | None, *needs: Scope) -> AccessToken:
        """The first README's deprecated headers (v1.0 era): ``X-API-Key`` is the token,
        ``X-User-Id`` must name its user."""
        token = self.tokens.authenticate(api_key.strip(), *needs)
        if (user_id or "").strip() != token.user_id:
            raise UserMismatch(
                "X-User-Id must name the user the X-API-Key belongs to (both legacy headers "
                "are deprecated: send Authorization: Bearer <token>)"
            )
        return token

    # -- the first README's token API (v1.0 era) -----------------------------------
    def create_api_token(
        self, token: AccessToken, name: str, scopes: frozenset[Scope], days: int | None
    ) -> AccessToken:
        ttl = timedelta(days=days) if days is not None else None
        return self.tokens.create_named(token, name, scopes, ttl)

    def api_tokens(self, token: AccessToken) -> list[AccessToken]:
        return self.tokens.named_of(token.user_id)

    def revoke_api_token(self, token: AccessToken, token_id: str) -> AccessToken:
        return self.tokens.revoke_named(token.user_id, token_id)

    def user_of(self, token: AccessToken, path_user: str) -> str:
        """The user a path's ``{user_id}`` names: ``me`` or the token's own id."""
        if path_user not in (ME, token.user_id):
            raise UserMismatch(
                f"the path names user {path_user[:64]!r} but the token belongs to another "
                "user: use 'me' or the token's own user id"
            )
        return token.user_id

    def bind_url(self, user_id: str) -> str:
        return f"{self.config.web_url.rstrip('/')}/register?bind={user_id}"

    # -- sessions ----------------------------------------------------------------
    def create_session(
        self, token: AccessToken, path_user: str, task_name: str | None, language: str | None
    ) -> Session:
        return self.sessions.create(self.user_of(token, path_user), task_name, language)

    def session_for(self, token: AccessToken, path_user: str, session_id: str) -> Session:
        return self.sessions.get(session_id, self.user_of(token, path_user))

    # -- turns -------------------------------------------------------------------------------
    def next_turn(self, token: AccessToken, path_user: str, session_id: str) -> tuple[Session, int]:
        """The session a message goes to (1002 if it is not the caller's) and the turn's
        number there (counted even if the turn is then refused)."""
        session = self.session_for(token, path_user, session_id)
        session.turns += 1
        return session, session.turns

    def open_turn(self, token: AccessToken, session: Session, work: TurnWork) -> TurnCharge:
        """Price the turn and freeze its cost (2001 if the caller cannot pay); a turn that
        pays the session's editing marks it paid."""
        price = price_turn(work, edits_paid=session.edits_paid)
        hold = self.reserve_credits(token, price.cost, work.reason)
        session.edits_paid = session.edits_paid or price.pays_editing
        if hold is not None and price.pays_editing:
            self.store.paying_turns[hold.hold_id] = session.session_id
        return TurnCharge(hold, price.pays_editing)

    def settle_turn(
        self,
        session: Session,
        charge: TurnCharge,
        number: int,
        message: str,
        tools: tuple[str, ...],
    ) -> None:
        """The turn's work is done: what it froze is spent, and a paid turn lands in the
        usage history (the message and the tools it used)."""
        if charge.hold is not None:
            self.store.paying_turns.pop(charge.hold.hold_id, None)
            spent = self.ledger.settle(charge.hold.hold_id)
            self.record_conversation(session, number, spent, message, tools)

    def refund_turn(self, session: Session, charge: TurnCharge) -> None:
        """The turn failed: what it froze is available again, and the session's editing
        is unpaid again if this turn paid it."""
        if charge.hold is not None:
            self.store.paying_turns.pop(charge.hold.hold_id, None)
            self.ledger.release(charge.hold.hold_id)
        if charge.pays_editing:
            session.edits_paid = False

    def create_claim_token(self, token: AccessToken, task_id: str, session_id: str) -> ClaimToken:
        session = self.sessions.get_by_task(task_id, session_id, token.user_id)
        return self.tokens.issue_claim(token.user_id, session.task_id, session.session_id)

    def open_workspace(self, link: WorkspaceLink, era: Era) -> OpenedProject:
        """§8: the project a browser link opens in the era's web app (its own form only): a
        claim token's for 7 days, an access token's for as long as the token is valid."""
        check_link_era(link, era)
        if link.format == "claim_ct":
            claim = self.tokens.claim(link.credential)
            user, task, session_id = claim.user_id, claim.task_id, claim.session_id
            until: datetime | None = claim.expires_at
        else:
            token = self.tokens.authenticate(link.credential, Scope.READ)
            user, task, session_id = token.user_id, link.task_id or "", link.session_id or ""
            until = token.expires_at if token.expires else None
        session = self.sessions.get_by_task(task, session_id, user)
        return OpenedProject(user, session.task_id, session.session_id, link.format, until)

    def record_uploads(self, session: Session, files: list[MediaFile]) -> None:
        self.sessions.add_media(session, files)
        self.store.media.update((f.file_id, f) for f in files)

    def media_file(self, file_id: str, filename: str | None = None) -> MediaFile:
        """An uploaded file by id (and name, when the caller has one, as a CDN path does)."""
        media = self.store.media.get(file_id)
        if media is None or (filename is not None and filename != media.filename):
            raise NotFound(f"no uploaded file {file_id[:64]!r} with that name")
        return media

    # -- renders -----------------------------------------------------------------
    def start_render(
        self,
        token: AccessToken,
        headers: Mapping[str, str | None],
        *,
        render_id: str,
        session_id: str,
        draft: Any,
        quality: str,
    ) -> RenderJob:
        """Checks in the documented order: attribution (402), session (1002), draft, id (409)."""
        check_attribution(headers)
        session = self.sessions.get(session_id, token.user_id)
        parsed = parse_draft(draft)
        if not parsed.export_ready:
            raise InvalidDraft(
                "the draft has nothing to render: export needs at least one track with "
                "segments (read the state and check draft.t before exporting)"
            )
        job = RenderJob(
            render_id=render_id,
            user_id=token.user_id,
            session_id=session.session_id,
            draft=parsed,
            quality=quality,
            output_key=self.ids.render_output(),
            created_at=self.clock.now(),
        )
        return self.renders.create(job)

    def session_of_render(self, job: RenderJob) -> Session:
        """The session a render job exports (its media, its canvas)."""
        return self.sessions.get(job.session_id, job.user_id)

    def render_job(self, token: AccessToken, render_id: str) -> RenderJob:
        return self.renders.get(token.user_id, render_id)

    def cancel_render(self, token: AccessToken, render_id: str) -> RenderJob:
        return self.renders.cancel(self.renders.get(token.user_id, render_id))

    def finished_render(self, token: AccessToken, render_id: str) -> RenderJob:
        """A job whose file can be downloaded; 409 while it is not completed."""
        job = self.renders.get(token.user_id, render_id)
        if job.status is not RenderStatus.COMPLETED:
            raise Conflict(
                f"render {render_id!r} is {job.status.value}, not completed: "
                "poll it until its status is completed"
            )
        return job

    def render_output(self, output_key: str, filename: str) -> RenderJob:
        for job in self.store.renders.values():
            completed = job.status is RenderStatus.COMPLETED
            if completed and job.output_key == output_key and filename == f"{job.render_id}.mp4":
                return job
        raise NotFound("no rendered file at this address")

    # -- control plane -------------------------------------------------------------
    def set_credits(self, *, token: str | None, user_id: str | None, available: int) -> str:
        """Set a user's available credits, naming the user by token or by id; the user id."""
        user = self.tokens.find(token).user_id if token else check_user_id(user_id or "")
        if user not in self.store.users:
            raise NotFound(f"unknown user {user[:64]!r}")
        self._set_available(user, available, "admin")
        return user

    # -- credits -----------------------------------------------------------------
    def credit_balance(self, token: AccessToken) -> Balance:
        return self.ledger.balance(token.user_id)

    def reserve_credits(self, token: AccessToken, amount: int, reason: str) -> Hold | None:
        """Freeze ``amount`` for an operation; 2001 says how to get more (register or top up)."""
        if amount <= 0:
            return None
        try:
            return self.ledger.freeze(token.user_id, amount, reason)
        except InsufficientCredits as exc:
            bind = self.bind_url(token.user_id)
            advice = (
                f"register to get more credits: {bind}"
                if token.anonymous
                else "top up your credits"
            )
            data = {**(exc.data or {}), "bind_url": bind if token.anonymous else None}
            raise InsufficientCredits(f"{exc.message}; {advice}", data=data) from None

    def _open_user(self, user_id: str, plan: str, credits: int) -> None:
        if user_id not in self.store.users:
            self.store.users[user_id] = User(
                user_id=user_id, plan=plan, created_at=self.clock.now()
            )
            self.usage.grant(user_id, credits, "welcome", self.clock.now())
        self.ledger.open_account(user_id, credits)

    def _set_available(self, user_id: str, available: int, source: str) -> None:
        """Set a balance, and record the difference as a grant (or a removal)."""
        before = self.ledger.balance(user_id).available
        self.ledger.set_available(user_id, available)
        self.usage.grant(user_id, available - before, source, self.clock.now())

    # -- projects and usage (the gateway's and MCP's view of tasks and the ledger) -----------
    def create_project(self, token: AccessToken, name: str | None) -> Project:
        return self.projects.create(token.user_id, name)

    def user_projects(self, token: AccessToken) -> list[Project]:
        return self.projects.of_user(token.user_id)

    def project(self, token: AccessToken, project_id: str) -> Project:
        return self.projects.get(token.user_id, project_id)

    def latest_render(self, token: AccessToken, project_id: str) -> RenderJob | None:
        """The project's most recent completed export, if any."""
        sessions = self.project(token, project_id).session_ids
        done = [
            job
            for job in self.renders.of_user(token.user_id)
            if job.session_id in sessions and job.status is RenderStatus.COMPLETED
        ]
        return max(done, key=lambda job: job.completed_at or job.created_at, default=None)

    def usage_totals(self, token: AccessToken) -> tuple[int, int]:
        """(total consumed, total granted) from the history."""
        return self.usage.totals(token.user_id)

    def usage_page(
        self,
        token: AccessToken,
        page_no: int,
        page_size: int,
        start: date | None = None,
        end: date | None = None,
    ) -> UsagePage:
        return self.usage.page(token.user_id, page_no, page_size, start, end)

    def record_conversation(
        self, session: Session, turn: int, spent: int, message: str, tools: tuple[str, ...]
    ) -> None:
        """A paid turn lands in the history (nothing for a free one)."""
        conversation = Conversation(
            conversation_id=f"conv_{session.session_id}_{turn}",
            project_id=session.task_id,
            session_id=session.session_id,
            user_message=message,
            tool_keys=tools,
        )
        self.usage.conversation(session.user_id, spent, self.clock.now(), conversation)
