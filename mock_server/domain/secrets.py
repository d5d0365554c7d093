"""Secrets the mock must never repeat: access and claim tokens.

``fingerprint`` turns a secret into a stable, non-reversible name (the same
token always gives the same fingerprint, in every run, so a user can compute it
from their own token: ``"fp_" + sha256(token)[:16]``). ``redact`` is the one
redaction function: the journal, its HAR export, ``nemo-mock journal``, the
logs and the harness's reports all pass their text through it. It replaces by
``<fp_…>`` every token it finds, whatever form it travels in:

* as the mock issues it (``nmv_usr_…``, ``clm_…``) or, for the secrets a caller
  knows an exchange carries (the raw bearer credential, whatever it looks like),
  as that exact string;
* percent-encoded, wholly or in part, once or several times
  (``nmv%5Fusr%5F…``, ``%6Emv_usr_…``, ``nmv%255Fusr…``), as it sits in a query
  string; the fingerprint is the decoded token's, as the user computes it.

It also makes the text printable: a lone UTF-16 surrogate (``"\\ud800"`` in a
JSON body) becomes U+FFFD, so no record carrying one can fail to be encoded.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from urllib.parse import unquote

#: Access tokens (``nmv_usr_…``), claim tokens (``clm_…``) and the MCP surface's OAuth
#: access and refresh tokens (``nmv_mcp_at_…``, ``nmv_mcp_rt_…``) as the mock issues them.
SECRET_PATTERN = re.compile(r"(?:nmv_usr_|nmv_mcp_|clm_)[A-Za-z0-9_\-]+")
#: A run of URL characters (one class, no backtracking: linear on any input); only the runs
#: holding a ``%`` are decoded.
URL_RUN = re.compile(r"[A-Za-z0-9_.~+%\-]+")
#: How many layers of percent-encoding are peeled off (``%255F`` is two).
MAX_DECODINGS = 4
SURROGATE = re.compile(r"[\ud800-\udfff]")


@functools.lru_cache(maxsize=4096)  # the same token, several times a request (issue 18)
def fingerprint(secret: str) -> str:
    raw = secret.encode("utf-8", "surrogatepass")
    return "fp_" + hashlib.sha256(raw).hexdigest()[:16]


def printable(text: str) -> str:
    """``text`` that encodes as UTF-8: every lone surrogate replaced by U+FFFD."""
    return SURROGATE.sub("\ufffd", text)


def redact(text: str, known: Iterable[str] = ()) -> str:
    """``text``, printable, with every token (and every ``known`` secret) in it, plain or
    percent-encoded, replaced by ``<fp_…>``."""
    if not known and _plainly_clean(text):  # most text (each console line) stops here
        return text
    secrets = sorted(set(known), key=len, reverse=True)
    text = printable(text)
    if "%" in text:
        text = URL_RUN.sub(lambda m: _redact_run(m.group(0), secrets), text)
    return _redact_plain(text, secrets)


def _plainly_clean(text: str) -> bool:
    """Whether ``redact`` without known secrets leaves ``text`` as it is, seen cheaply: no
    ``%``, no start of a ``SECRET_PATTERN`` match, no lone surrogate (every log line passes
    here, issue 18)."""
    if "%" in text or "nmv_" in text or "clm_" in text:
        return False
    return text.isascii() or SURROGATE.search(text) is None


def secrets_in(text: str, known: Iterable[str] = ()) -> list[str]:
    """The fingerprints of the secrets found in ``text`` (plain or percent-encoded), in
    order of first appearance, each once."""
    secrets = sorted(set(known), key=len, reverse=True)
    found: list[str] = []
    runs = URL_RUN.finditer(text) if "%" in text else iter(())
    for form in (printable(text), *(_decodings(m.group(0)) for m in runs if "%" in m.group(0))):
        found += [fingerprint(s) for s in secrets if s in form]
        found += [fingerprint(m.group(0)) for m in SECRET_PATTERN.finditer(form)]
    return list(dict.fromkeys(found))


def _redact_plain(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, f"<{fingerprint(secret)}>")
    return SECRET_PATTERN.sub(lambda m: f"<{fingerprint(m.group(0))}>", text)


def _redact_run(run: str, secrets: list[str]) -> str:
    """A percent-encoded run as it was if no secret hides in it, else decoded and redacted."""
    if "%" not in run:
        return run
    decoded = _decodings(run)
    redacted = _redact_plain(decoded, secrets)
    return run if redacted == decoded else redacted


def _decodings(run: str) -> str:
    """``run`` with up to ``MAX_DECODINGS`` layers of percent-encoding peeled off."""
    for _ in range(MAX_DECODINGS):
        decoded = printable(unquote(run, errors="replace"))
        if decoded == run:
            break
        run = decoded
    return run
