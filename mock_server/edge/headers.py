"""One reading of request headers for every surface: header values and the bearer credential.

Every place that needs the caller's token (authentication, the journal's
fingerprint and redaction, fault rules matching on ``token``, the
``expire_token`` fault) reads it through ``Credential``; nothing else parses
``Authorization``.

What every request is asked by several layers (its ``Authorization`` values, what its
headers say of its body, whether ``X-Mock-Fault`` came) is read in one pass over its
header pairs, the first time any of them asks, and kept in the scope (``request_headers``):
three scans of every request's headers cost ~1.4 % of a plain request's instructions
(issue 18). As with a ``dict`` of the pairs, the last value of a body header counts; names are
matched in any case.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, MutableMapping
from typing import Any, NamedTuple

from nemo_mock.mock_server.domain.errors import TokenInvalid, TokenMissing
from nemo_mock.mock_server.domain.secrets import fingerprint

RawHeaders = Iterable[tuple[bytes, bytes]]

#: The scope key of this request's ``RequestHeaders`` (``request_headers``).
REQUEST_HEADERS = "nemo_mock.request_headers"
#: The header that asks for a fault (``faults/middleware.py``), lower case.
FAULT_HEADER = "x-mock-fault"


def header_values(headers: RawHeaders, name: str) -> list[str]:
    """Every value of header ``name`` (ASGI byte pairs, any case), in the order sent. A loop,
    not a comprehension (a frame of its own in 3.11): it reads every request's headers."""
    wanted = name.lower().encode("latin-1")
    size = len(wanted)  # a cheap test first: most names differ in length
    values: list[str] = []
    for k, v in headers:
        if len(k) == size and bytes(k).lower() == wanted:
            values.append(bytes(v).decode("latin-1"))
    return values


def header(headers: RawHeaders, name: str) -> str | None:
    """The first value of header ``name``, or ``None``."""
    values = header_values(headers, name)
    return values[0] if values else None


def bearer_token(value: str) -> str | None:
    """The token of ``Bearer <token>`` (scheme in any case, spaces around allowed)."""
    scheme, _, raw = value.strip().partition(" ")
    return raw.strip() if scheme.lower() == "bearer" and raw.strip() else None


class Credential(NamedTuple):
    """What the ``Authorization`` header(s) of a request carry. A named tuple: read for every
    request, a frozen dataclass (and ``header_values`` as a list comprehension) cost ~3 % of
    a plain request's instructions (issue 18)."""

    #: Every ``Authorization`` value sent (usually none or one).
    values: tuple[str, ...] = ()

    @classmethod
    def of(cls, headers: RawHeaders) -> Credential:
        return cls(tuple(header_values(headers, "authorization")))

    @property
    def token(self) -> str | None:
        """The bearer token when exactly one well-formed ``Bearer <token>`` was sent."""
        return _token(self.values)

    @property
    def secrets(self) -> tuple[str, ...]:
        """What must never be repeated: each value's token, or the whole value without a
        ``Bearer`` scheme."""
        return _secrets(self.values)

    @property
    def fingerprint(self) -> str | None:
        """How the journal and fault rules name the caller: the fingerprint of the token
        (of the first value's secret when there are several); ``None`` without one."""
        return _fingerprint(self.values)

    def require(self) -> str:
        """The bearer token, or the documented 1001 saying what is wrong with the header."""
        if len(self.values) > 1:
            raise TokenInvalid(
                f"{len(self.values)} Authorization headers: send exactly one 'Bearer <token>'"
            )
        if not self.values or not self.values[0].strip():
            raise TokenMissing()
        token = self.token
        if token is None:
            raise TokenInvalid("malformed Authorization header: expected 'Bearer <token>'")
        return token


@functools.lru_cache(maxsize=4096)  # the same few credentials, request after request
def _token(values: tuple[str, ...]) -> str | None:
    return bearer_token(values[0]) if len(values) == 1 else None


@functools.lru_cache(maxsize=4096)  # the same few credentials, twice a request (issue 18)
def _secrets(values: tuple[str, ...]) -> tuple[str, ...]:
    found = (bearer_token(v) or v.strip() for v in values)
    return tuple(secret for secret in found if secret)


@functools.lru_cache(maxsize=4096)  # the journal's access line names the caller each request
def _fingerprint(values: tuple[str, ...]) -> str | None:
    secrets = _secrets(values)
    return fingerprint(secrets[0]) if secrets else None


class RequestHeaders(NamedTuple):
    """What the layers ask of every request's headers, read in one pass (``request_headers``)."""

    #: ``Content-Length`` as sent (``None`` without one).
    length: bytes | None
    #: The ``Content-Type``'s media type, lower case (``b""`` without one).
    media_type: bytes
    #: Whether a ``Transfer-Encoding`` was sent.
    chunked: bool
    #: Every ``Authorization`` value, in the order sent.
    credential: Credential
    #: Whether an ``X-Mock-Fault`` came (its value is read only when it did).
    fault: bool

    @property
    def present(self) -> bool:
        """Whether a body comes: a length other than ``0``, or a transfer encoding."""
        return (self.length is not None and self.length != b"0") or self.chunked


_NO_CREDENTIAL = Credential()
_FAULT = FAULT_HEADER.encode()


def request_headers(scope: MutableMapping[str, Any]) -> RequestHeaders:
    """This request's ``RequestHeaders``: read on the first call, then kept in the scope. One
    loop over the pairs, dispatching on the name's length before comparing it (most of a
    request's headers are none of these five)."""
    known = scope.get(REQUEST_HEADERS)
    if known is not None:
        return known  # type: ignore[no-any-return]
    length: bytes | None = None
    kind = b""
    chunked = fault = False
    authorization: list[str] = []
    for name, value in scope.get("headers", ()):
        size = len(name)
        if size == 13:
            if name.lower() == b"authorization":
                authorization.append(bytes(value).decode("latin-1"))
        elif size == 12:
            lowered = name.lower()
            if lowered == b"content-type":
                kind = value
            elif lowered == _FAULT:
                fault = True
        elif size == 14:
            if name.lower() == b"content-length":
                length = value
        elif size == 17 and name.lower() == b"transfer-encoding":
            chunked = True
    credential = Credential(tuple(authorization)) if authorization else _NO_CREDENTIAL
    media_type = kind.split(b";")[0].strip().lower() if kind else kind
    found = RequestHeaders(length, media_type, chunked, credential, fault)
    scope[REQUEST_HEADERS] = found
    return found


def credential_of(scope: MutableMapping[str, Any]) -> Credential:
    """This request's ``Credential`` (``request_headers``: authentication, the request's
    facts, the faults and the journal's access line each ask)."""
    return request_headers(scope).credential
