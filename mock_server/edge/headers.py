"""One reading of request headers for every surface: header values and the bearer credential.

Every place that needs the caller's token (authentication, the journal's
fingerprint and redaction, fault rules matching on ``token``, the
``expire_token`` fault) reads it through ``Credential``; nothing else parses
``Authorization``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, MutableMapping
from typing import Any, NamedTuple

from nemo_mock.mock_server.domain.errors import TokenInvalid, TokenMissing
from nemo_mock.mock_server.domain.secrets import fingerprint

RawHeaders = Iterable[tuple[bytes, bytes]]

#: The scope key of this request's ``Credential`` (``credential_of``).
CREDENTIAL = "nemo_mock.credential"


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


def has_header(headers: RawHeaders, name: str) -> bool:
    """Whether header ``name`` came (any case), its value not read."""
    wanted = name.lower().encode("latin-1")
    size = len(wanted)
    for k, _ in headers:  # noqa: SIM110 - ``any`` of a generator is a frame more, per request
        if len(k) == size and bytes(k).lower() == wanted:
            return True
    return False


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


def credential_of(scope: MutableMapping[str, Any]) -> Credential:
    """This request's ``Credential``: read from its headers on the first call, then kept in
    the scope (authentication, the request's facts and the journal's access line each ask)."""
    credential = scope.get(CREDENTIAL)
    if not isinstance(credential, Credential):
        credential = Credential.of(scope.get("headers", ()))
        scope[CREDENTIAL] = credential
    return credential
