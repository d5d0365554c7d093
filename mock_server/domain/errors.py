"""The one error family of the mock: every refusal carries a documented code.

Routes never build HTTP errors themselves; they let a ``NemoError`` propagate
and ``nemo_mock.mock_server.edge.errors`` turns its ``code`` into an HTTP status according
to the error style (``http`` or ``envelope``). The hierarchy::

    NemoError                          (code, message, data)
    ├── BadRequest                     400   malformed request, validation
    │   ├── ClientIdMissing            400   anonymous-token call without X-Client-Id
    │   ├── LinkNotOfEra               400   a browser link of another era's form
    │   ├── ClockWouldGoBack           400   control plane: time never runs backwards
    │   ├── ClockOutOfRange            400   control plane: past the clock's latest instant
    │   ├── TooManyParts               400   a multipart upload over --max-upload-parts
    │   ├── InvalidSnapshot            400   a snapshot file that is not one, is damaged or newer
    │   └── UrlFetchFailed             400   a URL upload could not be fetched
    ├── AuthError                      1001  bad or expired token
    │   ├── TokenMissing
    │   ├── TokenInvalid
    │   ├── TokenExpired
    │   ├── TokenRevoked
    │   ├── ClaimTokenNotAccepted      claim tokens only open the web workspace
    │   ├── ClaimTokenExpired          a claim link past its 7 days
    │   ├── ScopeMissing
    │   └── UserMismatch               path user is neither ``me`` nor the token's user
    ├── SessionNotFound                1002  unknown session, or another user's
    ├── InsufficientCredits            2001  not enough available credits
    ├── UnsupportedFileType            4001  extension or content not accepted
    ├── FileTooLarge                   4002  upload over the size limit
    ├── ExportBlocked                  402   free-plan export blocked (attribution missing)
    ├── NotFound                       404   an unknown resource that is not a session
    │   ├── ProjectNotFound            404   unknown project, or another user's
    │   └── SnapshotNotFound           404   no snapshot of that name
    ├── Conflict                       409   e.g. a duplicate render id
    │   └── SnapshotExists             409   a snapshot name already taken
    ├── RequestTimeout                 408   a request body that stalls or trickles
    ├── BodyTooLarge                   413   a (JSON) request body over --max-json-kb
    ├── ControlLocked                  401   the control plane without its control token
    ├── InvalidDraft                   400   a draft outside the limits
    ├── RateLimited                    429   with ``retry_after`` seconds
    │   └── TooManyUploads             429   over --max-uploads-per-client at once
    └── OutOfResources                 503   the host ran out (file descriptors, memory), retry
        └── StorageFull                507   the disk under --data-dir is full
"""

from __future__ import annotations

from typing import Any, ClassVar

SUPPORTED_FORMATS_TEXT = (
    "video mp4 mov avi webm mkv; image jpg jpeg png gif webp; audio mp3 wav m4a aac"
)


class NemoError(Exception):
    """Base of every refusal. ``code`` is the documented NemoVideo code."""

    code: ClassVar[int] = 500
    default_message: ClassVar[str] = "internal error"
    #: Seconds after which a retry may succeed (``Retry-After``); ``None``: no header.
    retry_after: int | None = None

    def __init__(self, message: str | None = None, *, data: dict[str, Any] | None = None) -> None:
        self.message = message or self.default_message
        self.data = data
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, message={self.message!r})"


class BadRequest(NemoError):
    code = 400
    default_message = "malformed request"


class ClientIdMissing(BadRequest):
    default_message = (
        "missing X-Client-Id header: generate a UUID once, keep it, and send it as X-Client-Id"
    )


class LinkNotOfEra(BadRequest):
    default_message = "this web app does not open links of that form"


class InvalidSnapshot(BadRequest):
    default_message = "not a usable nemo-mock snapshot"


class ClockWouldGoBack(BadRequest):
    default_message = "the mock clock never runs backwards"


class ClockOutOfRange(BadRequest):
    default_message = "the mock clock cannot go that far"


class TooManyParts(BadRequest):
    default_message = "the multipart body has too many parts"


class UrlFetchFailed(BadRequest):
    default_message = "the URL could not be fetched"


class InvalidDraft(BadRequest):
    default_message = "the draft is not valid"


class AuthError(NemoError):
    code = 1001
    default_message = "bad or expired token"


class TokenMissing(AuthError):
    default_message = "missing bearer token: send Authorization: Bearer <token>"


class TokenInvalid(AuthError):
    default_message = "unknown token"


class TokenExpired(AuthError):
    default_message = "token expired: request a new anonymous token with the same X-Client-Id"


class TokenRevoked(AuthError):
    default_message = "token revoked"


class ClaimTokenNotAccepted(AuthError):
    default_message = (
        "claim tokens (clm_…) only open the project in the web workspace; "
        "they have no API access: use the nmv_usr_ token"
    )


class ClaimTokenExpired(AuthError):
    default_message = (
        "claim token expired (claim tokens last 7 days): ask for a new one with "
        "POST /api/auth/claim-token"
    )


class ScopeMissing(AuthError):
    default_message = "the token lacks the scope this operation needs"


class UserMismatch(AuthError):
    default_message = "the user in the path is neither 'me' nor the token's user"


class SessionNotFound(NemoError):
    code = 1002
    default_message = "session not found: create a new session"


class InsufficientCredits(NemoError):
    code = 2001
    default_message = "not enough credits"


class UnsupportedFileType(NemoError):
    code = 4001
    default_message = f"unsupported file type (supported: {SUPPORTED_FORMATS_TEXT})"


class FileTooLarge(NemoError):
    code = 4002
    default_message = "file too large"


class ExportBlocked(NemoError):
    code = 402
    default_message = "free plan export blocked"


class NotFound(NemoError):
    code = 404
    default_message = "not found"


class ProjectNotFound(NotFound):
    default_message = "project not found"


class SnapshotNotFound(NotFound):
    default_message = "no such snapshot"


class Conflict(NemoError):
    code = 409
    default_message = "conflict"


class SnapshotExists(Conflict):
    default_message = "a snapshot of that name exists"


class RateLimited(NemoError):
    code = 429
    default_message = "rate limited"

    def __init__(self, message: str | None = None, *, retry_after: int) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(message, data=None)


class TooManyUploads(RateLimited):
    default_message = "too many uploads at once"


class OutOfResources(NemoError):
    """The mock's host ran out of something a request needed (file descriptors, memory):
    nothing the request did wrong, and nothing of it was kept; a retry may succeed."""

    code = 503
    default_message = "the mock is out of resources; retry shortly"

    def __init__(self, message: str | None = None, *, retry_after: int = 1) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(message, data=None)


class StorageFull(OutOfResources):
    code = 507
    default_message = "the disk under --data-dir is full"


class RequestTimeout(NemoError):
    code = 408
    default_message = "the request body came too slowly"


class BodyTooLarge(NemoError):
    code = 413
    default_message = "request body too large"


class ControlLocked(NemoError):
    code = 401
    default_message = "the control plane needs the control token"
