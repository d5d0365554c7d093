"""The MCP surface's side in the ``mcp`` SDK: OAuth provider, handlers, session manager.

Built by the surface's first request (``McpRuntime.sdk``), never at start-up: importing the
SDK costs about a third of a second of CPU, and most runs of the mock never see an MCP
client. ``routes.py`` declares the routes without it and hands each request to a method
here. The session manager is only built here; the app's lifespan runs it
(``runtime.py``).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from mcp.server.auth.handlers.authorize import AuthorizationHandler
from mcp.server.auth.handlers.register import RegistrationHandler
from mcp.server.auth.handlers.revoke import RevocationHandler
from mcp.server.auth.handlers.token import TokenHandler
from mcp.server.auth.json_response import PydanticJSONResponse
from mcp.server.auth.middleware.bearer_auth import BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.middleware.client_auth import ClientAuthenticator
from mcp.server.auth.provider import ProviderTokenVerifier
from mcp.server.auth.routes import build_metadata
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.shared.auth import ProtectedResourceMetadata
from pydantic import AnyHttpUrl
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.types import ASGIApp

from nemo_mock.mock_server.domain.oauth import SCOPES
from nemo_mock.mock_server.surfaces.mcp import faults
from nemo_mock.mock_server.surfaces.mcp.consent import answer_consent
from nemo_mock.mock_server.surfaces.mcp.provider import MockOAuthProvider
from nemo_mock.mock_server.surfaces.mcp.server import build_server
from nemo_mock.mock_server.surfaces.mcp.surface import McpSurface

IDLE_SESSION_SECONDS = 1800
REGISTRATION = ClientRegistrationOptions(
    enabled=True, valid_scopes=list(SCOPES), default_scopes=list(SCOPES)
)


class McpSdk:
    def __init__(self, surface: McpSurface) -> None:
        self.surface = surface
        self.provider = MockOAuthProvider(surface.oauth, refresh_refused=surface.refresh_refused)
        self.manager = StreamableHTTPSessionManager(
            app=build_server(surface), session_idle_timeout=IDLE_SESSION_SECONDS
        )

    # -- OAuth 2.1 -------------------------------------------------------------------
    def authorization_server_metadata(self, root: str) -> Response:
        meta = build_metadata(AnyHttpUrl(root), None, REGISTRATION, RevocationOptions(enabled=True))
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

    def protected_resource_metadata(self, root: str) -> Response:
        meta = ProtectedResourceMetadata(
            resource=AnyHttpUrl(f"{root}/mcp"),
            authorization_servers=[AnyHttpUrl(root)],
            scopes_supported=list(SCOPES),
            resource_name="NemoVideo (nemo-mock)",
        )
        return PydanticJSONResponse(meta)

    async def authorize(self, request: Request) -> Response:
        return await AuthorizationHandler(self.provider).handle(request)

    def consent(self, request_id: str | None) -> Response:
        return answer_consent(self.surface, request_id)

    async def issue_token(self, request: Request) -> Response:
        token = faults.ACTIVE.set(faults.action_in(request.scope))  # refresh_refused, if fired
        try:
            handler = TokenHandler(self.provider, ClientAuthenticator(self.provider))
            answer: Response = await handler.handle(request)
        finally:
            faults.ACTIVE.reset(token)
        return answer

    async def register_client(self, request: Request) -> Response:
        return await RegistrationHandler(self.provider, options=REGISTRATION).handle(request)

    async def revoke_grant(self, request: Request) -> Response:
        authenticator = ClientAuthenticator(self.provider)
        return await RevocationHandler(self.provider, authenticator).handle(request)

    # -- MCP over Streamable HTTP ----------------------------------------------------
    def transport(self, resource_metadata: str) -> ASGIApp:
        """The session manager behind the bearer check (401 pointing at the metadata)."""
        guarded = RequireAuthMiddleware(self.manager.asgi_app, [], AnyHttpUrl(resource_metadata))
        verifier = ProviderTokenVerifier(self.provider)
        return AuthenticationMiddleware(guarded, backend=BearerAuthBackend(verifier))
