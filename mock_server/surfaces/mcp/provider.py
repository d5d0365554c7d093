"""The ``mcp`` SDK's authorisation-server provider, over the mock's OAuth state.

The SDK's handlers parse and check every OAuth request (PKCE S256, redirect URIs, client
authentication, RFC error bodies); this provider only answers what they ask, on the mock's
clock. The SDK compares ``expires_at`` with wall-clock time, so tokens are handed to it
without one (or, for codes, with the wall-clock time left) after the mock clock has decided.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from mcp.server.auth.provider import (
    AccessToken,
    AuthorizationCode,
    AuthorizationParams,
    AuthorizeError,
    RefreshToken,
    TokenError,
)
from mcp.shared.auth import OAuthClientInformationFull, OAuthToken

from nemo_mock.mock_server.domain.oauth import ACCESS_TTL, McpRefresh, McpToken, OAuthBook

CONSENT_PATH = "/oauth/consent"


class MockOAuthProvider:
    """``OAuthAuthorizationServerProvider`` for the SDK's handlers."""

    def __init__(self, book: OAuthBook, refresh_refused: Callable[[], bool]) -> None:
        self.book = book
        self._refresh_refused = refresh_refused

    async def get_client(self, client_id: str) -> OAuthClientInformationFull | None:
        raw = self.book.tables.clients.get(client_id)
        return None if raw is None else OAuthClientInformationFull.model_validate(raw)

    async def register_client(self, client_info: OAuthClientInformationFull) -> None:
        assert client_info.client_id is not None
        self.book.tables.clients[client_info.client_id] = client_info.model_dump(mode="json")

    async def authorize(
        self, client: OAuthClientInformationFull, params: AuthorizationParams
    ) -> str:
        if params.code_challenge is None:
            raise AuthorizeError("invalid_request", "code_challenge (PKCE S256) is required")
        request_id = secrets.token_urlsafe(24)
        self.book.tables.pending[request_id] = {
            "client_id": client.client_id,
            "state": params.state,
            "scopes": params.scopes,
            "code_challenge": params.code_challenge,
            "redirect_uri": str(params.redirect_uri),
            "redirect_uri_provided_explicitly": params.redirect_uri_provided_explicitly,
            "resource": params.resource,
        }
        return f"{CONSENT_PATH}?request={request_id}"

    async def load_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: str
    ) -> AuthorizationCode | None:
        grant = self.book.live_code(client.client_id or "", authorization_code)
        if grant is None:
            return None
        left = (grant.expires_at - self.book.clock.now()).total_seconds()
        return AuthorizationCode(
            code=authorization_code,
            scopes=list(grant.scopes),
            expires_at=time.time() + left,
            client_id=grant.client_id,
            code_challenge=grant.code_challenge,
            redirect_uri=grant.redirect_uri,
            redirect_uri_provided_explicitly=grant.redirect_uri_provided_explicitly,
            resource=grant.resource,
            subject=grant.user_id,
        )

    async def exchange_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: AuthorizationCode
    ) -> OAuthToken:
        access, refresh = self.book.redeem_code(authorization_code.code)
        return _token_response(access, refresh)

    async def load_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: str
    ) -> RefreshToken | None:
        token = self.book.refresh_token(client.client_id or "", refresh_token)
        if token is None:
            return None
        return RefreshToken(
            token=token.token,
            client_id=token.client_id,
            scopes=list(token.scopes),
            resource=token.resource,
            subject=token.user_id,
        )

    async def exchange_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: RefreshToken, scopes: list[str]
    ) -> OAuthToken:
        if self._refresh_refused():
            self.book.revoke(refresh_token.token)
            raise TokenError("invalid_grant", "refresh refused (fault injected): sign in again")
        live, why = self.book.refresh_state(client.client_id or "", refresh_token.token)
        if live is None:
            raise TokenError("invalid_grant", why)
        access, refresh = self.book.rotate(refresh_token.token, scopes)
        return _token_response(access, refresh)

    async def load_access_token(self, token: str) -> AccessToken | None:
        found = self.book.live_access(token)
        return None if found is None else sdk_access(found)

    async def revoke_token(self, token: AccessToken | RefreshToken) -> None:
        self.book.revoke(token.token)

    async def exchange_identity_assertion(self, client: Any, params: Any) -> OAuthToken:
        raise TokenError("unsupported_grant_type", "the JWT bearer grant is not supported")


def sdk_access(token: McpToken) -> AccessToken:
    return AccessToken(
        token=token.token,
        client_id=token.client_id,
        scopes=list(token.scopes),
        resource=token.resource,
        subject=token.user_id,
    )


def _token_response(access: McpToken, refresh: McpRefresh) -> OAuthToken:
    return OAuthToken(
        access_token=access.token,
        token_type="Bearer",
        expires_in=int(ACCESS_TTL.total_seconds()),
        refresh_token=refresh.token,
        scope=" ".join(access.scopes),
    )
