"""The MCP surface's HTTP routes: OAuth 2.1 (the SDK's handlers) and ``/mcp``.

Metadata is built per request from the public base URL (``--public-url`` or the request's
own), so a mock on any port describes itself. RFC 8414 metadata at
``/.well-known/oauth-authorization-server``, RFC 9728 at
``/.well-known/oauth-protected-resource/mcp``, ``/oauth/{authorize,token,register,revoke}``,
the headless consent step at ``/oauth/consent``, and ``/mcp`` behind the bearer check (401
with the resource-metadata pointer). Function names are the contract's operationIds.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
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
from mcp.shared.auth import ProtectedResourceMetadata
from pydantic import AnyHttpUrl
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.types import Receive, Scope, Send

from nemo_mock.mock_server.domain.oauth import SCOPES
from nemo_mock.mock_server.surfaces.mcp import faults
from nemo_mock.mock_server.surfaces.mcp.consent import answer_consent
from nemo_mock.mock_server.surfaces.mcp.runtime import runtime_of

router = APIRouter(tags=["mcp"])
REGISTRATION = ClientRegistrationOptions(
    enabled=True, valid_scopes=list(SCOPES), default_scopes=list(SCOPES)
)


def base_url(request: Request) -> str:
    configured = request.app.state.mock.settings.public_url
    return (configured or str(request.base_url)).rstrip("/")


@router.get("/.well-known/oauth-authorization-server")
async def get_authorization_server_metadata(request: Request) -> Response:
    root = base_url(request)
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


@router.get("/.well-known/oauth-protected-resource/mcp")
async def get_protected_resource_metadata(request: Request) -> Response:
    root = base_url(request)
    meta = ProtectedResourceMetadata(
        resource=AnyHttpUrl(f"{root}/mcp"),
        authorization_servers=[AnyHttpUrl(root)],
        scopes_supported=list(SCOPES),
        resource_name="NemoVideo (nemo-mock)",
    )
    return PydanticJSONResponse(meta)


@router.get("/oauth/authorize")
async def authorize(request: Request) -> Response:
    return await AuthorizationHandler(_provider(request)).handle(request)


@router.post("/oauth/authorize")
async def authorize_by_form(request: Request) -> Response:
    return await AuthorizationHandler(_provider(request)).handle(request)


@router.get("/oauth/consent")
async def consent(request: Request) -> Response:
    return answer_consent(runtime_of(request.app).surface, request.query_params.get("request"))


@router.post("/oauth/token")
async def issue_token(request: Request) -> Response:
    provider = _provider(request)
    token = faults.ACTIVE.set(faults.action_in(request.scope))  # refresh_refused, if fired
    try:
        handler = TokenHandler(provider, ClientAuthenticator(provider))
        answer: Response = await handler.handle(request)
    finally:
        faults.ACTIVE.reset(token)
    return answer


@router.post("/oauth/register")
async def register_client(request: Request) -> Response:
    return await RegistrationHandler(_provider(request), options=REGISTRATION).handle(request)


@router.post("/oauth/revoke")
async def revoke_grant(request: Request) -> Response:
    provider = _provider(request)
    return await RevocationHandler(provider, ClientAuthenticator(provider)).handle(request)


@router.post("/mcp")
async def post_mcp_message(request: Request) -> Response:
    return _Transport(request)


@router.get("/mcp")
async def open_mcp_stream(request: Request) -> Response:
    return _Transport(request)


@router.delete("/mcp")
async def end_mcp_session(request: Request) -> Response:
    return _Transport(request)


def _provider(request: Request) -> Any:
    return runtime_of(request.app).provider


class _Transport(Response):
    """Hands the exchange to the SDK's Streamable HTTP transport, behind the bearer check."""

    def __init__(self, request: Request) -> None:
        self.background = None
        runtime = runtime_of(request.app)
        pointer = AnyHttpUrl(f"{base_url(request)}/.well-known/oauth-protected-resource/mcp")
        guarded: Any = RequireAuthMiddleware(runtime.manager.asgi_app, [], pointer)
        verifier = ProviderTokenVerifier(runtime.provider)
        self._app = AuthenticationMiddleware(guarded, backend=BearerAuthBackend(verifier))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)
