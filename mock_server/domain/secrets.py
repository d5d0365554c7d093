"""Secrets the mock must never repeat: access and claim tokens.

``fingerprint`` turns a secret into a stable, non-reversible name (the same
token always gives the same fingerprint, in every run, so a user can compute it
from their own token: ``"fp_" + sha256(token)[:16]``). ``redact`` replaces
every secret found in a piece of text by ``<fp_…>``.
"""

from __future__ import annotations

import hashlib
import re

#: Access tokens (``nmv_usr_…``) and claim tokens (``clm_…``) as the mock issues them.
SECRET_PATTERN = re.compile(r"(?:nmv_usr_|clm_)[A-Za-z0-9_\-]+")


def fingerprint(secret: str) -> str:
    return "fp_" + hashlib.sha256(secret.encode()).hexdigest()[:16]


def redact(text: str) -> str:
    """``text`` with every token in it replaced by ``<fp_…>``."""
    return SECRET_PATTERN.sub(lambda m: f"<{fingerprint(m.group(0))}>", text)


def secrets_in(text: str) -> list[str]:
    """The fingerprints of the tokens found in ``text``, in order."""
    return [fingerprint(m.group(0)) for m in SECRET_PATTERN.finditer(text)]


def bearer_fingerprint(authorization: str | None) -> str | None:
    """The fingerprint of the token in an ``Authorization: Bearer`` header, if any."""
    if not authorization:
        return None
    scheme, _, raw = authorization.strip().partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        return fingerprint(authorization.strip())
    return fingerprint(raw)
