"""The MCP surface's OAuth 2.1 state: clients, codes, access and refresh tokens, consent.

Protocol parsing lives in the ``mcp`` SDK's handlers (``mock_server/mcp/oauth.py`` adapts
them); this module holds what they decide on, on the mock's clock. Secrets come from the
CSPRNG (``secrets``), never the seeded RNG: a replayed scenario must not replay credentials.
Access tokens live one hour, refresh tokens 30 days and rotate on every use: a refresh token
used once is refused ever after. Codes and tokens are kept under their fingerprints with the
raw value emptied (``McpToken.refresh`` names its pair by fingerprint): the raw values exist
only in the answers that hand them out.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from nemo_mock.mock_server.domain.clock import Clock
from nemo_mock.mock_server.domain.secrets import fingerprint

ACCESS_TTL = timedelta(hours=1)
REFRESH_TTL = timedelta(days=30)
CODE_TTL = timedelta(minutes=10)
SCOPES = (
    "billing:read",
    "workspace:write",
    "video:read",
    "asset:write",
    "video:generate",
    "audio:generate",
    "audio:read",
    "render:write",
    "render:read",
    "agent:chat",
    "platform:read",
    "platform:write",
    "platform:publish",
)
PLANS = ("free", "starter", "pro", "business")
Decision = Literal["approve", "deny"]


@dataclass(frozen=True)
class Consent:
    """What the headless consent step answers: who signs in, with what plan and scopes."""

    user_id: str = "usr_mcp_default"
    plan: str = "starter"
    scopes: tuple[str, ...] = tuple(s for s in SCOPES if not s.startswith("platform:"))
    creator: bool = False
    decision: Decision = "approve"


@dataclass(frozen=True)
class Grant:
    code: str
    client_id: str
    user_id: str
    scopes: tuple[str, ...]
    code_challenge: str
    redirect_uri: str
    redirect_uri_provided_explicitly: bool
    resource: str | None
    expires_at: datetime


@dataclass(frozen=True)
class McpToken:
    token: str
    client_id: str
    user_id: str
    scopes: tuple[str, ...]
    expires_at: datetime
    resource: str | None = None
    refresh: str | None = None  # the fingerprint of the refresh token issued with it
    revoked: bool = False


@dataclass(frozen=True)
class McpRefresh:
    token: str
    client_id: str
    user_id: str
    scopes: tuple[str, ...]
    expires_at: datetime
    resource: str | None = None
    used: bool = False
    revoked: bool = False


@dataclass
class OAuthTables:
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, Grant] = field(default_factory=dict)
    access: dict[str, McpToken] = field(default_factory=dict)
    refresh: dict[str, McpRefresh] = field(default_factory=dict)
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)  # consent requests
    consent: Consent = field(default_factory=Consent)

    def clear(self) -> None:
        self.clients.clear()
        self.codes.clear()
        self.access.clear()
        self.refresh.clear()
        self.pending.clear()
        self.consent = Consent()


class OAuthBook:
    def __init__(self, tables: OAuthTables, clock: Clock) -> None:
        self.tables = tables
        self.clock = clock

    # -- codes -------------------------------------------------------------------
    def issue_code(self, request: dict[str, Any], consent: Consent) -> Grant:
        asked = tuple(request.get("scopes") or consent.scopes)
        grant = Grant(
            code=secrets.token_urlsafe(32),
            client_id=request["client_id"],
            user_id=consent.user_id,
            scopes=tuple(s for s in asked if s in consent.scopes),
            code_challenge=request["code_challenge"],
            redirect_uri=request["redirect_uri"],
            redirect_uri_provided_explicitly=request["redirect_uri_provided_explicitly"],
            resource=request.get("resource"),
            expires_at=self.clock.now() + CODE_TTL,
        )
        self.tables.codes[fingerprint(grant.code)] = replace(grant, code="")
        return grant

    def live_code(self, client_id: str, code: str) -> Grant | None:
        grant = self.tables.codes.get(fingerprint(code))
        if grant is None or grant.client_id != client_id or grant.expires_at <= self.clock.now():
            return None
        return grant

    def redeem_code(self, code: str) -> tuple[McpToken, McpRefresh]:
        grant = self.tables.codes.pop(fingerprint(code))
        return self._pair(grant.client_id, grant.user_id, grant.scopes, grant.resource)

    # -- tokens ------------------------------------------------------------------
    def _pair(
        self, client_id: str, user_id: str, scopes: tuple[str, ...], resource: str | None
    ) -> tuple[McpToken, McpRefresh]:
        now = self.clock.now()
        refresh = McpRefresh(
            token="nmv_mcp_rt_" + secrets.token_urlsafe(32),
            client_id=client_id,
            user_id=user_id,
            scopes=scopes,
            expires_at=now + REFRESH_TTL,
            resource=resource,
        )
        access = McpToken(
            token="nmv_mcp_at_" + secrets.token_urlsafe(32),
            client_id=client_id,
            user_id=user_id,
            scopes=scopes,
            expires_at=now + ACCESS_TTL,
            resource=resource,
            refresh=fingerprint(refresh.token),
        )
        self.tables.refresh[fingerprint(refresh.token)] = replace(refresh, token="")
        self.tables.access[fingerprint(access.token)] = replace(access, token="")
        return access, refresh

    def live_access(self, raw: str) -> McpToken | None:
        token = self.tables.access.get(fingerprint(raw))
        if token is None or token.revoked or token.expires_at <= self.clock.now():
            return None
        return replace(token, token=raw)

    def refresh_token(self, client_id: str, raw: str) -> McpRefresh | None:
        """The client's refresh token ``raw`` whatever its state, or ``None``."""
        token = self.tables.refresh.get(fingerprint(raw))
        if token is None or token.client_id != client_id:
            return None
        return replace(token, token=raw)

    def refresh_state(self, client_id: str, raw: str) -> tuple[McpRefresh | None, str]:
        """The refresh token and ``""``, or ``None`` and why it is refused."""
        token = self.tables.refresh.get(fingerprint(raw))
        if token is None or token.client_id != client_id:
            return None, "unknown refresh token"
        if token.used:
            return None, "refresh token already used: tokens rotate on every refresh"
        if token.revoked:
            return None, "refresh token revoked"
        if token.expires_at <= self.clock.now():
            return None, "refresh token expired (they last 30 days)"
        return token, ""

    def rotate(self, raw: str, scopes: list[str]) -> tuple[McpToken, McpRefresh]:
        old = self.tables.refresh[fingerprint(raw)]
        self.tables.refresh[fingerprint(raw)] = replace(old, used=True)
        kept = tuple(s for s in (scopes or old.scopes) if s in old.scopes)
        return self._pair(old.client_id, old.user_id, kept, old.resource)

    def revoke(self, raw: str) -> None:
        """Revoke a token and its pair, whichever half is given; unknown tokens are ignored."""
        fp = fingerprint(raw)
        access = self.tables.access.get(fp)
        refresh_fp = access.refresh if access else fp
        if access is not None:
            self.tables.access[fp] = replace(access, revoked=True)
        refresh = self.tables.refresh.get(refresh_fp or "")
        if refresh is not None and refresh_fp is not None:
            self.tables.refresh[refresh_fp] = replace(refresh, revoked=True)
            for key, other in list(self.tables.access.items()):
                if other.refresh == refresh_fp:
                    self.tables.access[key] = replace(other, revoked=True)

    def expire(self, raw: str) -> bool:
        """Fault: this access token expires now; ``False`` when it is not one of ours."""
        key = fingerprint(raw)
        token = self.tables.access.get(key)
        if token is None:
            return False
        self.tables.access[key] = replace(token, expires_at=min(token.expires_at, self.clock.now()))
        return True

    def expire_access(self, user_id: str | None = None) -> int:
        """Control plane / fault: every live access token (of ``user_id``) expires now."""
        now, count = self.clock.now(), 0
        for key, token in list(self.tables.access.items()):
            if (user_id is None or token.user_id == user_id) and token.expires_at > now:
                self.tables.access[key] = replace(token, expires_at=now)
                count += 1
        return count
