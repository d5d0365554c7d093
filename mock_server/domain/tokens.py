"""Access tokens (``nmv_usr_…``), claim tokens (``clm_…``) and who may get them.

Anonymous tokens are rate-limited twice: one per ``X-Client-Id`` while its
last token is still valid, and ``ip_limit`` per IP address in a sliding
window. Expiry, windows and claim lifetimes all read the injected clock.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from nemo_mock.mock_server.domain.clock import Clock
from nemo_mock.mock_server.domain.errors import (
    ClaimTokenExpired,
    ClaimTokenNotAccepted,
    ClientIdMissing,
    NotFound,
    RateLimited,
    ScopeMissing,
    TokenExpired,
    TokenInvalid,
    TokenRevoked,
)
from nemo_mock.mock_server.domain.ids import IdFactory
from nemo_mock.mock_server.domain.ratelimit import SlidingWindow
from nemo_mock.mock_server.domain.secrets import fingerprint

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
    """An access token. The store keeps it under its ``fingerprint`` with ``token`` empty:
    the raw value exists only in the answer that issues it (and in the client's hands).
    Two tokens are equal when everything but the raw value is (the fingerprint names it)."""

    token: str = field(compare=False)
    user_id: str
    scopes: frozenset[Scope]
    plan: str
    issued_at: datetime
    expires_at: datetime
    client_id: str | None = None
    revoked: bool = False
    fingerprint: str = ""
    #: The name a token made through ``/api/tokens`` was given (the v1.0 era); else ``None``.
    name: str | None = None

    @property
    def token_id(self) -> str:
        """How ``/api/tokens`` names the token: derived from its fingerprint, never the secret."""
        return "tok_" + (self.fingerprint or fingerprint(self.token)).removeprefix("fp_")

    @property
    def anonymous(self) -> bool:
        return self.plan == "anonymous"

    @property
    def expires(self) -> bool:
        """False for a token that never expires (``expires_at`` is ``NEVER``)."""
        return self.expires_at < NEVER

    def allows(self, *scopes: Scope) -> bool:
        """True when the token holds any of ``scopes`` (or ``*``)."""
        return Scope.ALL in self.scopes or not self.scopes.isdisjoint(scopes)


@dataclass(frozen=True)
class ClaimToken:
    """A claim token; stored, like access tokens, under its fingerprint with ``token`` empty."""

    token: str
    user_id: str
    task_id: str
    session_id: str
    expires_at: datetime
    fingerprint: str = ""


@dataclass(frozen=True)
class TokenPolicy:
    ttl: timedelta = timedelta(days=7)
    ip_limit: int = 10
    ip_window: timedelta = timedelta(days=7)


@dataclass
class TokenTables:
    """The token half of the store, keyed by fingerprint (``fp_…``): no raw token is kept."""

    access: dict[str, AccessToken] = field(default_factory=dict)
    claims: dict[str, ClaimToken] = field(default_factory=dict)
    #: client id -> the fingerprint of the last anonymous token issued to it
    last_by_client: dict[str, str] = field(default_factory=dict)
    #: IP -> when it was issued anonymous tokens, oldest first (the per-IP sliding window)
    ip_events: dict[str, deque[datetime]] = field(default_factory=lambda: defaultdict(deque))

    def clear(self) -> None:
        self.access.clear()
        self.claims.clear()
        self.last_by_client.clear()
        self.ip_events.clear()

    def last_of(self, client_id: str) -> AccessToken | None:
        fp = self.last_by_client.get(client_id)
        return None if fp is None else self.access.get(fp)


class TokenService:
    def __init__(
        self, tables: TokenTables, ids: IdFactory, clock: Clock, policy: TokenPolicy
    ) -> None:
        self._tables = tables
        self._ids = ids
        self._clock = clock
        self.policy = policy
        self._per_ip = SlidingWindow(policy.ip_limit, policy.ip_window, tables.ip_events)

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
        previous = self._tables.last_of(client_id) if client_id else None
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
            self._tables.last_by_client[client_id] = token.fingerprint
        return self._keep(token)

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
        return self._keep(token)

    def _keep(self, token: AccessToken) -> AccessToken:
        """Store ``token`` without its raw value; the token as issued (raw value included)."""
        self._tables.access[token.fingerprint] = replace(token, token="")
        return token

    def _new_token(
        self,
        user_id: str,
        scopes: frozenset[Scope],
        plan: str,
        now: datetime,
        ttl: timedelta | None = None,
    ) -> AccessToken:
        raw = self._ids.access_token()
        return AccessToken(
            token=raw,
            user_id=user_id,
            scopes=scopes,
            plan=plan,
            issued_at=now,
            expires_at=now + (ttl or self.policy.ttl),
            fingerprint=fingerprint(raw),
        )

    def create_named(
        self, owner: AccessToken, name: str, scopes: frozenset[Scope], ttl: timedelta | None
    ) -> AccessToken:
        """A token the caller makes for itself (the first README's ``POST /api/tokens``):
        the caller's user, at most the caller's scopes; ``ttl`` ``None``: never expires."""
        beyond = sorted(s.value for s in scopes if not owner.allows(s))
        if beyond:
            raise ScopeMissing(
                f"a token cannot grant scopes its maker lacks: {', '.join(beyond)} (the "
                f"calling token has {_scopes(owner)})"
            )
        token = replace(
            self._new_token(owner.user_id, scopes, owner.plan, self._clock.now(), ttl),
            name=name,
        )
        if ttl is None:
            token = replace(token, expires_at=NEVER)
        return self._keep(token)

    def named_of(self, user_id: str) -> list[AccessToken]:
        """The user's tokens made through ``/api/tokens``, oldest first."""
        found = [t for t in self._tables.access.values() if t.user_id == user_id and t.name]
        return sorted(found, key=lambda t: (t.issued_at, t.token_id))

    def revoke_named(self, user_id: str, token_id: str) -> AccessToken:
        """Revoke one of the user's named tokens by id (another user's is unknown: 404)."""
        for token in self.named_of(user_id):
            if token.token_id == token_id:
                revoked = replace(token, revoked=True)
                self._tables.access[token.fingerprint] = revoked
                return revoked
        raise NotFound(f"no token {token_id[:64]!r} among this user's tokens (GET /api/tokens)")

    def issue_claim(self, user_id: str, task_id: str, session_id: str) -> ClaimToken:
        raw = self._ids.claim_token()
        claim = ClaimToken(
            token=raw,
            user_id=user_id,
            task_id=task_id,
            session_id=session_id,
            expires_at=self._clock.now() + CLAIM_TOKEN_TTL,
            fingerprint=fingerprint(raw),
        )
        self._tables.claims[claim.fingerprint] = replace(claim, token="")
        return claim

    def claim(self, raw: str) -> ClaimToken:
        """The claim token ``raw`` while it lasts: it opens its project any number of times
        for 7 days (1.9), and then no more."""
        fp = fingerprint(raw)
        claim = self._tables.claims.get(fp)
        if claim is None:
            if fp in self._tables.access:
                raise TokenInvalid(
                    "ct= carries a claim token (POST /api/auth/claim-token), never the access "
                    "token: an access token in a URL ends up in logs and browser histories"
                )
            raise TokenInvalid(
                f"unknown claim token {_redact(raw)}: ask for one with POST /api/auth/claim-token"
            )
        if claim.expires_at <= self._clock.now():
            raise ClaimTokenExpired(
                f"claim token {_redact(raw)} expired at {claim.expires_at.isoformat()} (claim "
                "tokens last 7 days): ask for a new one with POST /api/auth/claim-token"
            )
        return claim

    # -- checking ------------------------------------------------------------
    def authenticate(self, raw: str, *needs: Scope) -> AccessToken:
        """The valid access token ``raw`` (the bearer token, as ``edge.headers.Credential``
        read it), holding one of ``needs``."""
        fp = fingerprint(raw)
        if raw.startswith("clm_") or fp in self._tables.claims:
            raise ClaimTokenNotAccepted()
        token = self._tables.access.get(fp)
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
        """A token by its value, whatever its state (for the control plane); as stored,
        without its raw value."""
        token = self._tables.access.get(fingerprint(raw))
        if token is None:
            raise NotFound(f"unknown token {_redact(raw)}")
        return token

    def _update(self, raw: str, **changes: object) -> AccessToken:
        token = replace(self.find(raw), **changes)  # type: ignore[arg-type]
        self._tables.access[token.fingerprint] = token
        return replace(token, token=raw)  # the caller gave the raw value: echo it back

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
