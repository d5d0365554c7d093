"""What a request's headers say of its body, read once per request.

The body limits (``edge/limits.py``: the pace, then the JSON cap) and the journal's read-ahead
each need ``Content-Length``, the media type and whether a ``Transfer-Encoding`` was sent;
the first to ask reads them from the scope's header pairs and keeps them in the scope (a
request without a body passes three layers at the cost of one scan; issue 18). As with a
``dict`` of the pairs, the last value of a header counts; names are lower case (ASGI).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, NamedTuple

#: The scope key of this request's ``BodyHeaders``.
BODY_HEADERS = "nemo_mock.body_headers"


class BodyHeaders(NamedTuple):
    #: ``Content-Length`` as sent (``None`` without one).
    length: bytes | None
    #: The ``Content-Type``'s media type, lower case (``b""`` without one).
    media_type: bytes
    #: Whether a ``Transfer-Encoding`` was sent.
    chunked: bool

    @property
    def present(self) -> bool:
        """Whether a body comes: a length other than ``0``, or a transfer encoding."""
        return (self.length is not None and self.length != b"0") or self.chunked


def body_headers(scope: MutableMapping[str, Any]) -> BodyHeaders:
    """This request's ``BodyHeaders``: read on the first call, then kept in the scope."""
    known = scope.get(BODY_HEADERS)
    if isinstance(known, BodyHeaders):
        return known
    length: bytes | None = None
    kind = b""
    chunked = False
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            length = value
        elif name == b"content-type":
            kind = value
        elif name == b"transfer-encoding":
            chunked = True
    found = BodyHeaders(length, kind.split(b";")[0].strip().lower(), chunked)
    scope[BODY_HEADERS] = found
    return found
