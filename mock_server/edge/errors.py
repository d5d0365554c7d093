"""The one place where a documented code becomes an HTTP status.

``--error-style http`` (default): 1001→401, 1002→404, 2001→402, 4001→415,
4002→413; plain HTTP codes (400, 402, 404, 409, 429, …) stay themselves.
``--error-style envelope``: HTTP 200 carrying the code for 1001-4002; plain
HTTP codes still travel as their status. Either way the body is the envelope
``{"code", "message", "data"}`` and a 429 carries ``Retry-After``.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from nemo_mock.mock_server.domain.errors import (
    AuthError,
    NemoError,
    RateLimited,
    RequestTimeout,
    TokenExpired,
)
from nemo_mock.mock_server.domain.validation import describe_errors
from nemo_mock.mock_server.edge.envelope import failure
from nemo_mock.mock_server.edge.surfaces import surface_of
from nemo_mock.mock_server.settings import ErrorStyle

log = logging.getLogger("nemo_mock")

HTTP_STATUS_OF_CODE = {
    1001: 401,
    1010: 401,
    1011: 401,
    1002: 404,
    2001: 402,
    4001: 415,
    4002: 413,
}


def http_status(code: int, style: ErrorStyle) -> int:
    if code in HTTP_STATUS_OF_CODE:
        return 200 if style == "envelope" else HTTP_STATUS_OF_CODE[code]
    return code if 400 <= code <= 599 else 500


def surface_code(exc: NemoError, path: str) -> int:
    """The code a surface answers for ``exc``: the gateway says 1010/1011 where the skill
    surface says 1001."""
    surface = surface_of(path)
    if isinstance(exc, AuthError) and surface is not None and surface.auth_codes:
        invalid, expired = surface.auth_codes
        return expired if isinstance(exc, TokenExpired) else invalid
    return exc.code


def error_response(exc: NemoError, style: ErrorStyle, path: str = "/") -> JSONResponse:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else {}
    if isinstance(exc, RequestTimeout):  # a body left half-read: the connection ends here
        headers["Connection"] = "close"
    code = surface_code(exc, path)
    return JSONResponse(
        failure(code, exc.message, exc.data),
        status_code=http_status(code, style),
        headers=headers,
    )


def _allowed(request: Request) -> list[str]:
    """Every method served at this path (Starlette names only the first route's), by the
    routes of its most specific path: as in OpenAPI, a path without parameters is matched
    before a templated one (``POST /api/render/proxy/draft`` and not ``GET
    /api/render/proxy/{render_id}``)."""
    by_template: dict[int, set[str]] = {}
    for route in request.app.routes:
        path_regex = getattr(route, "path_regex", None)
        if path_regex is not None and path_regex.match(request.url.path):
            parameters = len(getattr(route, "param_convertors", None) or ())
            by_template.setdefault(parameters, set()).update(getattr(route, "methods", ()) or ())
    methods = by_template[min(by_template)] if by_template else set()
    return sorted(methods - {"HEAD"} if "GET" not in methods else methods)


def install_error_handlers(app: FastAPI, style: ErrorStyle) -> None:
    async def on_nemo_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, NemoError)
        return error_response(exc, style, request.url.path)

    async def on_invalid_request(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        message = describe_errors(exc.errors())
        return JSONResponse(failure(400, f"invalid request: {message}"), status_code=400)

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        message = (
            f"no operation {request.method} {request.url.path}"
            if exc.status_code in (404, 405)
            else str(exc.detail)
        )
        headers = exc.headers
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": ", ".join(_allowed(request))}
        return JSONResponse(
            failure(exc.status_code, message), status_code=exc.status_code, headers=headers
        )

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return JSONResponse(
            failure(500, f"internal error in the mock ({type(exc).__name__}); this is a bug"),
            status_code=500,
        )

    app.add_exception_handler(NemoError, on_nemo_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
