"""The journal's pure pieces: secrets out of everything, bodies summarised, SSE events split.

Nothing here knows ASGI: the middleware feeds bytes in as they pass and asks
for the summary when the exchange is over.

* ``Redactor``: every token pattern (``domain/secrets.redact``) plus the
  secrets this very exchange is known to carry (the raw bearer credential,
  whatever it looks like) become ``<fp_…>``; in JSON, the values of the keys
  ``token`` and ``claim_token`` are fingerprinted whatever their form.
* ``BodyCapture``: counts every byte and keeps a copy of at most
  ``BODY_LIMIT + 1`` bytes of a JSON body, so a large upload is never held.
* ``SseParser``: events from chunks that may hold several events or part of
  one (events end at a blank line; ``\\r\\n``, ``\\r`` and ``\\n`` all end a line).
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable
from typing import Any

from nemo_mock.mock_server.domain.secrets import fingerprint, redact, secrets_in
from nemo_mock.mock_server.edge.streams import SseFraming
from nemo_mock.mock_server.journal.entry import SseEventRecord

#: The largest body the journal keeps (parsed); larger ones are ``"too large"``.
BODY_LIMIT = 64 * 1024
#: JSON keys whose value is a secret whatever it looks like.
SECRET_KEYS = frozenset(
    {"token", "claim_token", "access_token", "refresh_token", "client_secret", "code_verifier"}
)
#: A known secret shorter than this is not searched for in free text (too many false hits).
MIN_KNOWN_SECRET = 8


FINGERPRINT = re.compile(r"<?(fp_[0-9a-f]{16})>?")


def as_fingerprint(token: str) -> str:
    """A fingerprint as given (``fp_…`` or ``<fp_…>``), or the fingerprint of a raw token."""
    found = FINGERPRINT.fullmatch(token.strip())
    return found.group(1) if found else fingerprint(token.strip())


def media_type(content_type: str | None) -> str:
    """``"application/json; charset=utf-8"`` -> ``"application/json"``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(content_type: str | None) -> bool:
    kind = media_type(content_type)
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def is_multipart(content_type: str | None) -> bool:
    return media_type(content_type).startswith("multipart/")


#: What can make redaction change an ASCII text: a token's prefix, percent-encoding, a JSON
#: escape (it may spell anything, a lone surrogate too), and the keys whose values are
#: fingerprinted whatever they are (``token"`` ends all four token keys).
TRIGGERS = (
    "nmv_usr_",
    "nmv_mcp_",
    "clm_",
    "%",
    "\\u",
    'token"',
    'client_secret"',
    'code_verifier"',
)
#: A known secret made only of these is found as it is in a header, a URL or a JSON body.
_PLAIN = re.compile(r"[\x21-\x7e]+")


def redaction_needed(pieces: Iterable[str | bytes], known: Iterable[str]) -> bool:
    """Whether ``Redactor(known)`` could change any of ``pieces`` (text, or a JSON body's
    bytes): ``False`` only when all are ASCII and none holds a trigger above or a known
    secret (each at least ``MIN_KNOWN_SECRET`` long, printable ASCII), in which case
    redacting each piece is the identity (the journal's fast path: most exchanges carry their
    token only in ``Authorization``, which is fingerprinted on its own)."""
    secrets = [s for s in known if len(s) >= MIN_KNOWN_SECRET]
    if any(not _PLAIN.fullmatch(s) or '"' in s or "\\" in s for s in secrets):
        return True  # a secret JSON would escape, or a non-ASCII one: not searched for here
    texts = "\n".join(p for p in pieces if isinstance(p, str))  # no needle holds "\n"
    blobs = b"\n".join(p for p in pieces if isinstance(p, bytes))
    if not (texts.isascii() and blobs.isascii()):
        return True
    return any(n in texts or n.encode("ascii") in blobs for n in (*TRIGGERS, *secrets))


class Redactor:
    """Replaces secrets by ``<fp_…>``: the token patterns and this exchange's known secrets."""

    def __init__(self, known: Iterable[str] = ()) -> None:
        wanted = {s for s in known if len(s) >= MIN_KNOWN_SECRET}
        self._known = sorted(wanted, key=len, reverse=True)

    def text(self, value: str) -> str:
        return redact(value, self._known)

    def found(self, text: str) -> list[str]:
        """Fingerprints of the secrets in ``text``, plain or percent-encoded."""
        return secrets_in(text, self._known)

    def json(self, value: Any) -> Any:
        """``value`` with every string redacted and every secret key's value fingerprinted."""
        if isinstance(value, dict):
            return {
                self.text(str(k)): secret_value(v) if k in SECRET_KEYS else self.json(v)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value


class Unchanged(Redactor):
    """The redactor of an exchange ``redaction_needed`` found nothing in: the identity."""

    def text(self, value: str) -> str:
        return value

    def found(self, text: str) -> list[str]:
        return []

    def json(self, value: Any) -> Any:
        return value


def secret_value(value: Any) -> Any:
    """The value of a ``token`` key, fingerprinted (``None`` stays: there is no secret)."""
    if value is None:
        return None
    raw = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return f"<{fingerprint(raw)}>"


def secret_values(value: Any) -> list[str]:
    """The raw strings under the secret keys anywhere in a JSON value."""
    found: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k in SECRET_KEYS and isinstance(v, str):
                found.append(v)
            else:
                found.extend(secret_values(v))
    elif isinstance(value, list):
        for v in value:
            found.extend(secret_values(v))
    return found


class BodyCapture:
    """One body as it streams past: every byte counted, a JSON body's head copied."""

    def __init__(self, content_type: str | None) -> None:
        self.content_type = content_type
        self.bytes = 0
        self._keep = is_json(content_type)
        self._copy = bytearray()
        self._parsed: tuple[Any, str | None] | None = None

    @property
    def copy(self) -> bytes:
        """The bytes kept (the head of a JSON body; nothing of any other)."""
        return bytes(self._copy)

    def feed(self, chunk: bytes) -> None:
        self.bytes += len(chunk)
        room = BODY_LIMIT + 1 - len(self._copy)
        if self._keep and room > 0:
            self._copy += chunk[:room]

    def parsed(self) -> tuple[Any, str | None]:
        """``(body, why_omitted)``: the parsed JSON body, or ``None`` and the reason (parsed
        once: call it when the body is complete)."""
        if self._parsed is None:
            self._parsed = self._parse()
        return self._parsed

    def _parse(self) -> tuple[Any, str | None]:
        if self.bytes == 0:
            return None, None
        if is_multipart(self.content_type):
            return None, "multipart"
        if not self._keep:
            return None, "not json"
        if self.bytes > BODY_LIMIT:
            return None, "too large"
        try:
            return json.loads(bytes(self._copy), parse_constant=_not_json), None
        except (ValueError, RecursionError):
            return None, "not json"


def _not_json(constant: str) -> Any:
    """``NaN`` and ``Infinity`` are not JSON (and could not be answered as JSON again)."""
    raise ValueError(f"{constant} is not JSON")


#: Events a stream keeps by default (half from its start, half from its end).
MAX_EVENTS = 1000
#: The longest event data kept, in characters; a longer one is cut (and counted).
MAX_EVENT_CHARS = 16 * 1024


class SseParser:
    """Server-sent events from the body chunks of a ``text/event-stream`` response.

    Bounded: at most ``max_events`` events are kept, the first half and the last half of
    the stream; the ones between are counted in ``omitted`` (``omitted_at`` is where they
    were in ``events``). An event's data is cut to ``MAX_EVENT_CHARS`` (counted in ``cut``),
    and so is a pending event that never ends. Events are split by the edge's framing
    (``edge/streams.py``), the one the faults' stream tap uses."""

    def __init__(self, max_events: int = MAX_EVENTS) -> None:
        self.head: list[SseEventRecord] = []
        self.tail: deque[SseEventRecord] = deque(maxlen=max_events - max_events // 2)
        self._head_size = max_events // 2
        self.omitted = 0
        self.cut = 0
        # an event that never ends is not held whole (4 bytes per character at most)
        self._framing = SseFraming(max_pending=4 * (MAX_EVENT_CHARS + 8))

    @property
    def events(self) -> list[SseEventRecord]:
        return [*self.head, *self.tail]

    @property
    def omitted_at(self) -> int | None:
        return len(self.head) if self.omitted else None

    @property
    def pending(self) -> int:
        """How many bytes of an unfinished event are held."""
        return self._framing.held

    def feed(self, chunk: bytes, at_ms: float) -> None:
        for event in self._framing.feed(chunk):
            self._record(_lines(event)[:-2], at_ms)  # without the blank line that ended it

    def close(self, at_ms: float) -> None:
        """The stream ended: an unfinished event that was sent still counts."""
        rest = _lines(self._framing.rest())
        if rest.strip("\n"):
            self._record(rest.strip("\n"), at_ms)

    def _record(self, block: str, at_ms: float) -> None:
        data = event_data(block)
        if data is None:
            return
        if len(data) > MAX_EVENT_CHARS:
            data, self.cut = data[:MAX_EVENT_CHARS], self.cut + 1
        record = SseEventRecord(at_ms=round(at_ms, 3), data=data)
        if len(self.head) < self._head_size:
            self.head.append(record)
            return
        if len(self.tail) == self.tail.maxlen:
            self.omitted += 1
        self.tail.append(record)


def _lines(raw: bytes) -> str:
    """Event bytes as text, every line ended by ``\n``."""
    text = raw.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def event_data(block: str) -> str | None:
    """The data of one event block; the raw block if it has no ``data`` field but other text
    (malformed); ``None`` if it holds nothing but comments and blank lines."""
    lines = block.split("\n")
    data = [_field_value(line) for line in lines if line == "data" or line.startswith("data:")]
    if data:
        return "\n".join(data)
    if any(line and not line.startswith(":") for line in lines):
        return block
    return None


def _field_value(line: str) -> str:
    value = line[5:]
    return value[1:] if value.startswith(" ") else value
