"""How a run ends early: each exception maps to one exit code (see ``main``)."""

from __future__ import annotations

from typing import Any

#: Exit codes: an MP4 was written; a documented refusal; bounded waiting ran out; the rest.
EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_REFUSED = 2
EXIT_GAVE_UP = 3


class ClientError(Exception):
    """Something unexpected (exit 1)."""

    exit_code = EXIT_UNEXPECTED


class ApiError(ClientError):
    """The API answered an error the caller did not recover from."""

    def __init__(self, operation: str, code: int, message: str, body: Any = None) -> None:
        super().__init__(f"{operation} answered {code}: {message or 'no message'}")
        self.operation = operation
        self.code = code
        self.message = message
        self.body = body


class ConnectionLost(ClientError):
    """The connection broke before an answer came (no documented recovery, §3 is silent)."""


class SessionLost(ApiError):
    """1002: the backend no longer knows the session."""


class Refused(ClientError):
    """A documented refusal (2001, 402, 4001, 4002): the advice is told, nothing retried."""

    exit_code = EXIT_REFUSED

    def __init__(self, code: int, advice: str) -> None:
        super().__init__(f"refused with {code}: {advice}")
        self.code = code
        self.advice = advice


class GaveUp(ClientError):
    """Bounded waiting ran out (render stuck, state never export-ready, rate limit)."""

    exit_code = EXIT_GAVE_UP
