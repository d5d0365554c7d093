"""FastAPI dependencies shared by every surface's routes and the control plane: the running
``Mock`` and the caller's token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from mock_server.domain.tokens import AccessToken, Scope
from mock_server.edge.headers import Credential
from mock_server.runtime import Mock


def get_context(request: Request) -> Mock:
    mock: Mock = request.app.state.mock
    return mock


Context = Annotated[Mock, Depends(get_context)]


def token_with(*scopes: Scope) -> Callable[[Request], Awaitable[AccessToken]]:
    """A dependency returning the caller's valid token, holding one of ``scopes``."""

    async def dependency(request: Request) -> AccessToken:
        backend = get_context(request).backend
        raw = Credential.of(request.scope.get("headers", [])).require()
        return backend.authenticate(raw, *scopes)

    return dependency


Reader = Annotated[AccessToken, Depends(token_with(Scope.READ, Scope.WRITE))]
Writer = Annotated[AccessToken, Depends(token_with(Scope.WRITE))]
Uploader = Annotated[AccessToken, Depends(token_with(Scope.UPLOAD))]
Exporter = Annotated[AccessToken, Depends(token_with(Scope.RENDER, Scope.WRITE))]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def public_base(request: Request) -> str:
    """Where clients reach this mock: ``--public-url`` if set, else the request's own base."""
    configured = get_context(request).settings.public_url
    return (configured or str(request.base_url)).rstrip("/")
