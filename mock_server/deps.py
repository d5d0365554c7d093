"""What routes ask first: the running ``Mock``, the caller's token, the request's era.

The surfaces' routes await ``caller`` (``reading``, ``writing``, ...) and ``request_era``
themselves; the control plane declares ``Context`` as a FastAPI dependency, where 8-12 µs a
request do not matter (issue 18)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from nemo_mock.mock_server.domain.eras import DEFAULT_ERA, Era, UnknownEra, era_named
from nemo_mock.mock_server.domain.errors import BadRequest, NotFound
from nemo_mock.mock_server.domain.tokens import AccessToken, Scope
from nemo_mock.mock_server.edge.deprecation import mark_deprecated
from nemo_mock.mock_server.edge.headers import credential_of, header
from nemo_mock.mock_server.edge.scope import note
from nemo_mock.mock_server.runtime import Mock


async def get_context(request: Request) -> Mock:
    """The running ``Mock``. A coroutine: FastAPI runs a sync dependency on its thread pool,
    which for every request cost a thread hand-off (issue 18)."""
    return mock_of(request)


def mock_of(request: Request) -> Mock:
    """The running ``Mock`` of ``request``'s app (for plain calls, not ``Depends``)."""
    mock: Mock = request.app.state.mock
    return mock


Context = Annotated[Mock, Depends(get_context)]


#: The header that answers one request in another era (a control-plane feature: honoured
#: only with the control plane on, and locked by ``--control-token`` like X-Mock-Fault).
ERA_HEADER = "X-Mock-Era"
_ERA_KEY = "nemo_mock.era"


async def request_era(request: Request) -> Era:
    """The era this request is answered in: ``X-Mock-Era``, else the mock's (``--era`` or
    the scenario's). An unknown name is a 400 naming the known ones. A coroutine, like every
    dependency (no thread pool on the request path)."""
    cached = request.scope.get(_ERA_KEY)
    if isinstance(cached, Era):
        return cached
    mock = mock_of(request)
    era = mock.era
    asked = header(request.scope.get("headers", []), ERA_HEADER)
    if asked is not None and mock.settings.control:
        try:
            era = era_named(asked)
        except UnknownEra as exc:
            raise BadRequest(f"{ERA_HEADER}: {exc}") from None
    request.scope[_ERA_KEY] = era
    if era.name != DEFAULT_ERA:
        note(request.scope, era=era.name)
    return era


def token_with(*scopes: Scope) -> Callable[[Request], Awaitable[AccessToken]]:
    """A dependency returning the caller's valid token, holding one of ``scopes``."""

    async def dependency(request: Request) -> AccessToken:
        return await authenticated(request, mock_of(request), scopes)

    return dependency


async def authenticated(request: Request, mock: Mock, scopes: tuple[Scope, ...]) -> AccessToken:
    """The caller's valid token holding one of ``scopes``, by ``Authorization`` or, without
    one, by the legacy headers in an era that has them."""
    credential = credential_of(request.scope)
    if not credential.values:
        headers = request.scope.get("headers", [])
        api_key = header(headers, LEGACY_KEY)
        if api_key is not None and (await request_era(request)).token_api:
            legacy = mock.backend.authenticate_legacy(
                api_key, header(headers, LEGACY_USER), *scopes
            )
            mark_deprecated(request.scope, "X-API-Key/X-User-Id")
            return legacy
    return mock.backend.authenticate(credential.require(), *scopes)


#: The first README's legacy headers (honoured, deprecated, in eras with the token API).
LEGACY_KEY, LEGACY_USER = "X-API-Key", "X-User-Id"


async def token_api_era(request: Request) -> Era:
    """The era, if it has the first README's ``/api/tokens`` (else 404, as a path the
    backend of that era does not have); its answers say ``Deprecation: true``."""
    era = await request_era(request)
    if not era.token_api:
        raise NotFound(
            f"{request.url.path} is not part of the API in the {era.name} era (only the first "
            "README's v1.0 era has /api/tokens)"
        )
    mark_deprecated(request.scope, "/api/tokens")
    return era


Reader = Annotated[AccessToken, Depends(token_with(Scope.READ, Scope.WRITE))]

#: What a surface route calls first: the running ``Mock`` and the caller's valid token.
Caller = Callable[[Request], Awaitable[tuple[Mock, AccessToken]]]


def caller(*scopes: Scope) -> Caller:
    """A coroutine a surface route awaits first: the running ``Mock`` and the caller's valid
    token, holding one of ``scopes`` (the refusal, 1001 and the like, raised from it).

    The surfaces' routes call it rather than declare ``Depends``: FastAPI solves each
    dependency on every request, 8-12 µs apiece, which for the two or three a route had was
    ~18 µs of a plain request (issue 18). A route whose parameters FastAPI validates
    (``list_usage_conversations``) keeps ``Reader``, so that the token is checked before the
    query, as the other routes check it before their body."""

    async def call(request: Request) -> tuple[Mock, AccessToken]:
        mock = mock_of(request)
        return mock, await authenticated(request, mock, scopes)

    return call


reading = caller(Scope.READ, Scope.WRITE)
writing = caller(Scope.WRITE)
uploading = caller(Scope.UPLOAD)
exporting = caller(Scope.RENDER, Scope.WRITE)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def public_base(request: Request) -> str:
    """Where clients reach this mock: ``--public-url`` if set, else the request's own base."""
    configured = mock_of(request).settings.public_url
    return (configured or str(request.base_url)).rstrip("/")
