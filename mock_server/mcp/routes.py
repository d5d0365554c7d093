"""The OAuth 2.1 endpoints (the SDK's handlers) and ``/mcp`` behind the bearer check.

Metadata is built per request from the public base URL (``--public-url`` or the request's
own), so a mock on any port describes itself. Paths: RFC 8414 metadata at
``/.well-known/oauth-authorization-server``, RFC 9728 at
``/.well-known/oauth-protected-resource/mcp``, ``/oauth/{authorize,token,register,revoke}``,
and the headless consent step at ``/oauth/consent``.
"""

from __future__ import annotations

from typing import Any

from mcp.server.auth.handlers.authorize import AuthorizationHandler
from mcp.server.auth.handlers.register import RegistrationHandler
from mcp.server.auth.handlers.revoke import RevocationHandler
from mcp.server.auth.handlers.token import TokenHandler
from mcp.server.auth.json_response import PydanticJSONResponse
from mcp.server.auth.middleware.bearer_auth import BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.middleware.client_auth import ClientAuthenticator
from mcp.server.auth.provider import ProviderTokenVerifier, construct_redirect_uri
from mcp.server.auth.routes import build_metadata
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.shared.auth import ProtectedResourceMetadata
from pydantic import AnyHttpUrl
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from mock_server.domain.oauth import SCOPES
from mock_server.mcp.provider import CONSENT_PATH, MockOAuthProvider
from mock_server.mcp.surface import McpSurface

REGISTRATION = ClientRegistrationOptions(
    enabled=True, valid_scopes=list(SCOPES), default_scopes=list(SCOPES)
)


def base_url(request: Request | Scope, configured: str | None) -> str:
    if configured:
        return configured.rstrip("/")
    req = request if isinstance(request, Request) else Request(request)
    return str(req.base_url).rstrip("/")


def oauth_routes(
    mcp: McpSurface,
    provider: MockOAuthProvider,
    manager: StreamableHTTPSessionManager,
    public_url: str | None,
) -> list[Route]:
    authenticator = ClientAuthenticator(provider)

    async def as_metadata(request: Request) -> Response:
        base = AnyHttpUrl(base_url(request, public_url))
        meta = build_metadata(base, None, REGISTRATION, RevocationOptions(enabled=True))
        root = base_url(request, public_url)
        meta.authorization_endpoint = AnyHttpUrl(f"{root}/oauth/authorize")
        meta.token_endpoint = AnyHttpUrl(f"{root}/oauth/token")
        meta.registration_endpoint = AnyHttpUrl(f"{root}/oauth/register")
        meta.revocation_endpoint = AnyHttpUrl(f"{root}/oauth/revoke")
        meta.token_endpoint_auth_methods_supported = [
            "client_secret_post",
            "client_secret_basic",
            "none",
        ]
        return PydanticJSONResponse(meta, headers={"Cache-Control": "no-store"})

    async def pr_metadata(request: Request) -> Response:
        root = base_url(request, public_url)
        meta = ProtectedResourceMetadata(
            resource=AnyHttpUrl(f"{root}/mcp"),
            authorization_servers=[AnyHttpUrl(root)],
            scopes_supported=list(SCOPES),
            resource_name="NemoVideo (nemo-mock)",
        )
        return PydanticJSONResponse(meta)

    async def consent(request: Request) -> Response:
        return _consent(mcp, request)

    mcp_endpoint = _McpEndpoint(provider, manager, public_url)
    return [
        Route("/.well-known/oauth-authorization-server", as_metadata, methods=["GET"]),
        Route("/.well-known/oauth-protected-resource/mcp", pr_metadata, methods=["GET"]),
        Route("/.well-known/oauth-protected-resource", pr_metadata, methods=["GET"]),
        Route("/oauth/authorize", AuthorizationHandler(provider).handle, methods=["GET", "POST"]),
        Route("/oauth/token", TokenHandler(provider, authenticator).handle, methods=["POST"]),
        Route(
            "/oauth/register",
            RegistrationHandler(provider, options=REGISTRATION).handle,
            methods=["POST"],
        ),
        Route("/oauth/revoke", RevocationHandler(provider, authenticator).handle, methods=["POST"]),
        Route(CONSENT_PATH, consent, methods=["GET"]),
        Route("/mcp", mcp_endpoint, methods=["GET", "POST", "DELETE"]),
    ]


def _consent(mcp: McpSurface, request: Request) -> Response:
    """The headless sign-in: approve or deny as the consent policy says (tests set it)."""
    pending = mcp.tables.oauth.pending.pop(request.query_params.get("request", ""), None)
    if pending is None:
        return JSONResponse(
            {"error": "invalid_request", "error_description": "unknown or used consent request"},
            status_code=400,
        )
    policy = mcp.tables.oauth.consent
    if policy.decision == "deny":
        target = construct_redirect_uri(
            pending["redirect_uri"],
            error="access_denied",
            error_description="the user denied access",
            state=pending["state"],
        )
        return RedirectResponse(target, status_code=302)
    mcp.open_account(policy.user_id, policy.plan, policy.creator)
    grant = mcp.oauth.issue_code(pending, policy)
    target = construct_redirect_uri(
        pending["redirect_uri"], code=grant.code, state=pending["state"]
    )
    return RedirectResponse(target, status_code=302)


class _McpEndpoint:
    """Bearer check (401 with the resource-metadata pointer), then the SDK's transport."""

    def __init__(
        self,
        provider: MockOAuthProvider,
        manager: StreamableHTTPSessionManager,
        public_url: str | None,
    ) -> None:
        self._manager = manager
        self._public_url = public_url
        self._auth = BearerAuthBackend(ProviderTokenVerifier(provider))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        root = base_url(scope, self._public_url)
        pointer = AnyHttpUrl(f"{root}/.well-known/oauth-protected-resource/mcp")
        guarded: Any = RequireAuthMiddleware(self._manager.asgi_app, [], pointer)
        await AuthenticationMiddleware(guarded, backend=self._auth)(scope, receive, send)
