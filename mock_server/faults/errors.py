"""The body of an injected error: the documented condition's words, the same ``data`` the
real refusal carries (2001 names the bind URL), and ``Retry-After`` for 429."""

from __future__ import annotations

from typing import Any

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.errors import (
    ClientIdMissing,
    Conflict,
    ExportBlocked,
    FileTooLarge,
    InsufficientCredits,
    NemoError,
    NotFound,
    RateLimited,
    SessionNotFound,
    TokenExpired,
    UnsupportedFileType,
)
from nemo_mock.mock_server.faults.rules import Firing

DEFAULT_RETRY_AFTER = 30
_ERRORS: dict[int, type[NemoError]] = {
    1001: TokenExpired,
    1002: SessionNotFound,
    2001: InsufficientCredits,
    4001: UnsupportedFileType,
    4002: FileTooLarge,
    400: ClientIdMissing,
    402: ExportBlocked,
    404: NotFound,
    409: Conflict,
    429: RateLimited,
}
_GENERIC = {
    500: "internal server error",
    502: "bad gateway",
    503: "service unavailable",
    504: "gateway timeout",
}


def injected_error(
    firing: Firing, backend: NemoBackend, raw_token: str | None
) -> tuple[int, str, dict[str, Any] | None, int | None]:
    action = firing.action
    code = action.error
    assert code is not None
    known = _ERRORS.get(code)
    words = action.message or (known.default_message if known else _GENERIC.get(code, "error"))
    message = f"{words} [nemo-mock fault {firing.rule_id}]"
    retry_after = (action.retry_after or DEFAULT_RETRY_AFTER) if code == 429 else None
    return code, message, _data(code, backend, raw_token), retry_after


def _data(code: int, backend: NemoBackend, raw_token: str | None) -> dict[str, Any] | None:
    if code != 2001 or raw_token is None:
        return None
    token = backend.known_token(raw_token)
    if token is None:
        return None
    return {"bind_url": backend.bind_url(token.user_id) if token.anonymous else None}
