"""The one place where a documented code becomes an HTTP status.

``--error-style http`` (default): 1001→401, 1002→404, 2001→402, 4001→415,
4002→413; plain HTTP codes (400, 402, 404, 409, 429, …) stay themselves.
``--error-style envelope``: HTTP 200 carrying the code for 1001-4002; plain
HTTP codes still travel as their status. Either way the body is the envelope
``{"code", "message", "data"}`` and a 429 carries ``Retry-After``.
"""

from __future__ import annotations

import errno
import logging

try:  # imported now: out of descriptors, an import cannot open its file
    import resource
except ImportError:  # not on Windows
    resource = None  # type: ignore[assignment]

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from nemo_mock.mock_server.domain.errors import (
    AuthError,
    NemoError,
    OutOfResources,
    RequestTimeout,
    StorageFull,
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
    headers = {} if exc.retry_after is None else {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, RequestTimeout):  # a body left half-read: the connection ends here
        headers["Connection"] = "close"
    code = surface_code(exc, path)
    return JSONResponse(
        failure(code, exc.message, exc.data),
        status_code=http_status(code, style),
        headers=headers,
    )


def out_of_resources(exc: BaseException) -> OutOfResources | None:
    """What to answer when ``exc`` (or an exception of a group) says the host ran out of file
    descriptors, memory or disk: a 503 (507 for the disk) with ``Retry-After``, not a 500
    (a crowded host: a thousand open connections under a low ``ulimit -n``)."""
    if isinstance(exc, BaseExceptionGroup):
        found = (out_of_resources(inner) for inner in exc.exceptions)
        return next((short for short in found if short is not None), None)
    if not isinstance(exc, OSError):
        return None
    why = f"{errno.errorcode.get(exc.errno or 0, exc.errno)}: {exc.strerror}"
    if exc.errno == errno.EMFILE:
        return OutOfResources(
            f"the mock is out of file descriptors ({why}; its limit is {descriptor_limit()}): "
            "too many connections or files are open at once; retry shortly, or start it "
            "with a higher limit (ulimit -n)"
        )
    if exc.errno == errno.ENFILE:
        return OutOfResources(f"the mock's host is out of file descriptors ({why}); retry shortly")
    if exc.errno in (errno.ENOMEM, errno.ENOBUFS):
        return OutOfResources(f"the mock is out of memory ({why}); retry shortly")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFull(
            f"the disk under --data-dir is full ({why}): nothing of this request was kept; "
            "free some space, or delete renders and uploads, then retry"
        )
    return None


def descriptor_limit() -> str:
    """This process's limit on open files (``ulimit -n``), as text."""
    if resource is None:
        return "unknown"
    return str(resource.getrlimit(resource.RLIMIT_NOFILE)[0])


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

    async def on_os_error(request: Request, exc: Exception) -> JSONResponse:
        short = out_of_resources(exc)
        if short is None:  # any other: the mock's own (``on_unexpected``)
            raise exc
        # the host's limit, not a bug: one line in the log, and the client told what ran out
        log.warning("%s %s: %s", request.method, request.url.path, short.message)
        return error_response(short, style, request.url.path)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return JSONResponse(
            failure(500, f"internal error in the mock ({type(exc).__name__}); this is a bug"),
            status_code=500,
        )

    app.add_exception_handler(NemoError, on_nemo_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(OSError, on_os_error)
    app.add_exception_handler(ExceptionGroup, on_os_error)
    app.add_exception_handler(Exception, on_unexpected)
