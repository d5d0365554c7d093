"""The MCP surface's HTTP routes: OAuth 2.1 (the SDK's handlers) and ``/mcp``.

Metadata is built per request from the public base URL (``--public-url`` or the request's
own), so a mock on any port describes itself. RFC 8414 metadata at
``/.well-known/oauth-authorization-server``, RFC 9728 at
``/.well-known/oauth-protected-resource/mcp``, ``/oauth/{authorize,token,register,revoke}``,
the headless consent step at ``/oauth/consent``, and ``/mcp`` behind the bearer check (401
with the resource-metadata pointer). Function names are the contract's operationIds.

The routes are declared at start-up without the ``mcp`` SDK; each hands its request to the
surface's SDK side (``sdk.py``), which the first of them builds (``McpRuntime.sdk``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.types import Receive, Scope, Send

from nemo_mock.mock_server.surfaces.mcp.runtime import McpRuntime, runtime_of

router = APIRouter(tags=["mcp"])


def base_url(request: Request) -> str:
    configured = request.app.state.mock.settings.public_url
    return (configured or str(request.base_url)).rstrip("/")


@router.get("/.well-known/oauth-authorization-server")
async def get_authorization_server_metadata(request: Request) -> Response:
    return _runtime(request).sdk.authorization_server_metadata(base_url(request))


@router.get("/.well-known/oauth-protected-resource/mcp")
async def get_protected_resource_metadata(request: Request) -> Response:
    return _runtime(request).sdk.protected_resource_metadata(base_url(request))


@router.get("/oauth/authorize")
async def authorize(request: Request) -> Response:
    return await _runtime(request).sdk.authorize(request)


@router.post("/oauth/authorize")
async def authorize_by_form(request: Request) -> Response:
    return await _runtime(request).sdk.authorize(request)


@router.get("/oauth/consent")
async def consent(request: Request) -> Response:
    return _runtime(request).sdk.consent(request.query_params.get("request"))


@router.post("/oauth/token")
async def issue_token(request: Request) -> Response:
    return await _runtime(request).sdk.issue_token(request)


@router.post("/oauth/register")
async def register_client(request: Request) -> Response:
    return await _runtime(request).sdk.register_client(request)


@router.post("/oauth/revoke")
async def revoke_grant(request: Request) -> Response:
    return await _runtime(request).sdk.revoke_grant(request)


@router.post("/mcp")
async def post_mcp_message(request: Request) -> Response:
    return _Transport(request)


@router.get("/mcp")
async def open_mcp_stream(request: Request) -> Response:
    return _Transport(request)


@router.delete("/mcp")
async def end_mcp_session(request: Request) -> Response:
    return _Transport(request)


def _runtime(request: Request) -> McpRuntime:
    return runtime_of(request.app)


class _Transport(Response):
    """Hands the exchange to the SDK's Streamable HTTP transport, behind the bearer check
    (the session manager starts with the first exchange)."""

    def __init__(self, request: Request) -> None:
        self.background = None
        self._runtime = _runtime(request)
        self._pointer = f"{base_url(request)}/.well-known/oauth-protected-resource/mcp"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        sdk = await self._runtime.running_sdk()
        await sdk.transport(self._pointer)(scope, receive, send)
