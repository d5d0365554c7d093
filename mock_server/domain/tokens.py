"""Access tokens (``nmv_usr_…``), claim tokens (``clm_…``) and who may get them.

Anonymous tokens are rate-limited twice: one per ``X-Client-Id`` while its
last token is still valid, and ``ip_limit`` per IP address in a sliding
window. Expiry, windows and claim lifetimes all read the injected clock.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from mock_server.domain.clock import Clock
from mock_server.domain.errors import (
    ClaimTokenNotAccepted,
    ClientIdMissing,
    NotFound,
    RateLimited,
    ScopeMissing,
    TokenExpired,
    TokenInvalid,
    TokenRevoked,
)
from mock_server.domain.ids import IdFactory
from mock_server.domain.ratelimit import SlidingWindow

CLAIM_TOKEN_TTL = timedelta(seconds=604_800)
#: The expiry of a token that never expires (anonymous tokens of eras up to 1.7, §8).
NEVER = datetime(9999, 12, 31, tzinfo=UTC)
MAX_CLIENT_ID_LENGTH = 128
CLIENT_ID_PATTERN = re.compile(rf"[\x21-\x7E]{{1,{MAX_CLIENT_ID_LENGTH}}}")


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"
    UPLOAD = "upload"
    RENDER = "render"
    ALL = "*"


ANONYMOUS_SCOPES = frozenset({Scope.READ, Scope.WRITE, Scope.UPLOAD})


@dataclass(frozen=True)
class AccessToken:
    token: str
    user_id: str
    scopes: frozenset[Scope]
    plan: str
    issued_at: datetime
    expires_at: datetime
    client_id: str | None = None
    revoked: bool = False

    @property
    def anonymous(self) -> bool:
        return self.plan == "anonymous"

    @property
    def expires(self) -> bool:
        """False for a token that never expires (``expires_at`` is ``NEVER``)."""
        return self.expires_at < NEVER

    def allows(self, *scopes: Scope) -> bool:
        """True when the token holds any of ``scopes`` (or ``*``)."""
        return Scope.ALL in self.scopes or any(s in self.scopes for s in scopes)


@dataclass(frozen=True)
class ClaimToken:
    token: str
    user_id: str
    task_id: str
    session_id: str
    expires_at: datetime


@dataclass(frozen=True)
class TokenPolicy:
    ttl: timedelta = timedelta(days=7)
    ip_limit: int = 10
    ip_window: timedelta = timedelta(days=7)


@dataclass
class TokenTables:
    """The token half of the store."""

    access: dict[str, AccessToken] = field(default_factory=dict)
    claims: dict[str, ClaimToken] = field(default_factory=dict)
    last_by_client: dict[str, AccessToken] = field(default_factory=dict)


class TokenService:
    def __init__(
        self, tables: TokenTables, ids: IdFactory, clock: Clock, policy: TokenPolicy
    ) -> None:
        self._tables = tables
        self._ids = ids
        self._clock = clock
        self.policy = policy
        self._per_ip = SlidingWindow(policy.ip_limit, policy.ip_window)

    # -- issuing -------------------------------------------------------------
    def issue_anonymous(
        self,
        client_id: str | None,
        ip: str,
        *,
        client_id_required: bool = True,
        expires: bool = True,
    ) -> AccessToken:
        """A new anonymous token. The era decides (§8) whether ``X-Client-Id`` is required
        (without one, every call is a new device) and whether the token expires."""
        if not (client_id or "").strip() and not client_id_required:
            return self._issue_anonymous(None, ip, expires)
        return self._issue_anonymous(_checked_client_id(client_id), ip, expires)

    def _issue_anonymous(self, client_id: str | None, ip: str, expires: bool) -> AccessToken:
        now = self._clock.now()
        previous = self._tables.last_by_client.get(client_id) if client_id else None
        until = self._blocks_until(previous)
        if previous is not None and until is not None and until > now:
            wait = math.ceil((until - now).total_seconds())
            held = (
                f"valid until {previous.expires_at.isoformat()}"
                if previous.expires
                else f"which never expires, issued at {previous.issued_at.isoformat()}"
            )
            raise RateLimited(
                f"one anonymous token per client id per {_days(self.policy.ttl)}: client "
                f"{client_id!r} already has one, {held}; "
                "keep using it, or retry after the Retry-After delay",
                retry_after=wait,
            )
        wait_ip = self._per_ip.retry_after(ip, now)
        if wait_ip is not None:
            raise RateLimited(
                f"too many anonymous tokens from {ip}: at most {self.policy.ip_limit} per "
                f"{_days(self.policy.ip_window)}",
                retry_after=wait_ip,
            )
        # the same client id is the same device: a new token carries on as the same user (§3)
        user_id = previous.user_id if previous is not None else self._ids.anonymous_user()
        token = self._new_token(user_id, ANONYMOUS_SCOPES, "anonymous", now)
        token = replace(
            token, client_id=client_id, expires_at=token.expires_at if expires else NEVER
        )
        self._per_ip.record(ip, now)
        if client_id is not None:
            self._tables.last_by_client[client_id] = token
        self._tables.access[token.token] = token
        return token

    def _blocks_until(self, previous: AccessToken | None) -> datetime | None:
        """Until when a client's last token stops it getting another: its expiry, or for a
        token that never expires, one token lifetime after it was issued."""
        if previous is None or previous.revoked:
            return None
        return previous.expires_at if previous.expires else previous.issued_at + self.policy.ttl

    def mint(
        self,
        *,
        user_id: str | None,
        scopes: frozenset[Scope],
        plan: str,
        ttl: timedelta | None = None,
    ) -> AccessToken:
        """A registered (non-anonymous) token, as the control plane hands out."""
        now = self._clock.now()
        token = self._new_token(user_id or self._ids.registered_user(), scopes, plan, now, ttl)
        self._tables.access[token.token] = token
        return token

    def _new_token(
        self,
        user_id: str,
        scopes: frozenset[Scope],
        plan: str,
        now: datetime,
        ttl: timedelta | None = None,
    ) -> AccessToken:
        return AccessToken(
            token=self._ids.access_token(),
            user_id=user_id,
            scopes=scopes,
            plan=plan,
            issued_at=now,
            expires_at=now + (ttl or self.policy.ttl),
        )

    def issue_claim(self, user_id: str, task_id: str, session_id: str) -> ClaimToken:
        claim = ClaimToken(
            token=self._ids.claim_token(),
            user_id=user_id,
            task_id=task_id,
            session_id=session_id,
            expires_at=self._clock.now() + CLAIM_TOKEN_TTL,
        )
        self._tables.claims[claim.token] = claim
        return claim

    # -- checking ------------------------------------------------------------
    def authenticate(self, raw: str, *needs: Scope) -> AccessToken:
        """The valid access token ``raw`` (the bearer token, as ``edge.headers.Credential``
        read it), holding one of ``needs``."""
        if raw.startswith("clm_") or raw in self._tables.claims:
            raise ClaimTokenNotAccepted()
        token = self._tables.access.get(raw)
        if token is None:
            raise TokenInvalid(f"unknown token {_redact(raw)}: request a new anonymous token")
        if token.revoked:
            raise TokenRevoked(f"token {_redact(raw)} was revoked")
        if token.expires_at <= self._clock.now():
            raise TokenExpired(
                f"token {_redact(raw)} expired at {token.expires_at.isoformat()}: request a "
                "new anonymous token with the same X-Client-Id"
            )
        if needs and not token.allows(*needs):
            wanted = " or ".join(f"'{s.value}'" for s in needs)
            raise ScopeMissing(
                f"this operation needs scope {wanted}; the token has {_scopes(token)}"
            )
        return token

    def revoke(self, raw: str) -> AccessToken:
        return self._update(raw, revoked=True)

    def expire_now(self, raw: str) -> AccessToken:
        return self._update(raw, expires_at=self._clock.now())

    def find(self, raw: str) -> AccessToken:
        """A token by its value, whatever its state (for the control plane)."""
        token = self._tables.access.get(raw)
        if token is None:
            raise NotFound(f"unknown token {_redact(raw)}")
        return token

    def _update(self, raw: str, **changes: object) -> AccessToken:
        token = replace(self.find(raw), **changes)  # type: ignore[arg-type]
        self._tables.access[raw] = token
        client = token.client_id or ""
        if (
            client in self._tables.last_by_client
            and self._tables.last_by_client[client].token == raw
        ):
            self._tables.last_by_client[client] = token
        return token

    def reset_rate_limits(self) -> None:
        self._per_ip.clear()


def _checked_client_id(client_id: str | None) -> str:
    value = (client_id or "").strip()
    if not value:
        raise ClientIdMissing()
    if not CLIENT_ID_PATTERN.fullmatch(value):
        raise ClientIdMissing(
            f"X-Client-Id must be 1 to {MAX_CLIENT_ID_LENGTH} visible ASCII characters "
            "without spaces (a UUID is expected)"
        )
    return value


def _redact(raw: str) -> str:
    """Enough of a token to recognise it in a message, never the whole secret."""
    return f"{raw[:12]}…" if len(raw) > 12 else "(short token)"


def _scopes(token: AccessToken) -> str:
    return ", ".join(sorted(s.value for s in token.scopes)) or "none"


def _days(span: timedelta) -> str:
    days = span.total_seconds() / 86_400
    if days >= 1 and days.is_integer():
        return f"{int(days)} day{'s' if days != 1 else ''}"
    return f"{int(span.total_seconds())} s"
