"""A multipart part's ``Content-Disposition``: its field name and file name.

python-multipart reads ``name`` and ``filename``; the RFC 7578/5987 extended form
``filename*=UTF-8''na%C3%AFve.jpg`` (sent by curl and some HTTP libraries for non-ASCII
names) is read here, and wins over a plain ``filename`` when both are given (RFC 6266).
"""

from __future__ import annotations

import codecs
import re
from urllib.parse import unquote

from python_multipart.multipart import parse_options_header

from nemo_mock.mock_server.domain.errors import BadRequest

_EXTENDED = re.compile(rb"(?i)(?:^|;)\s*filename\*\s*=\s*([^;]*)")


def part_names(disposition: bytes) -> tuple[str, str | None]:
    """The part's field ``name`` and its file name (None for an ordinary form field)."""
    _, options = parse_options_header(disposition)
    name = options.get(b"name", b"").decode("utf-8", "replace")
    extended = _EXTENDED.search(disposition)
    if extended is not None:
        return name, _extended_value(extended.group(1).strip().strip(b'"'))
    if b"filename" in options:
        return name, options[b"filename"].decode("utf-8", "replace")
    return name, None


def _extended_value(raw: bytes) -> str:
    """``charset'language'percent-encoded`` (RFC 5987) decoded, or a 400 saying why not."""
    text = raw.decode("latin-1")
    parts = text.split("'", 2)
    if len(parts) != 3:
        raise BadRequest(
            f"multipart filename*={text[:100]!r} is not charset'language'value "
            "(e.g. filename*=UTF-8''na%C3%AFve.jpg)"
        )
    charset = parts[0] or "utf-8"
    try:
        codecs.lookup(charset)
        return unquote(parts[2], encoding=charset, errors="strict")
    except LookupError:
        raise BadRequest(f"multipart filename*= has an unknown charset {charset[:40]!r}") from None
    except UnicodeDecodeError:
        raise BadRequest(
            f"multipart filename*={text[:100]!r}: its bytes are not valid {charset[:40]}"
        ) from None
