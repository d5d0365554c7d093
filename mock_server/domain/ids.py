"""Every identifier and secret the mock hands out.

Two kinds, on purpose:

- **Secrets** (access tokens, claim tokens, and the ``/cdn`` keys: an upload's file
  id and the folder of a finished render) come from the operating system's CSPRNG
  (:mod:`secrets`): no seed, no earlier answer and no other user's token says anything
  about them.
- **Ids** (users, tasks, sessions) replay: the same seed and the same
  requests give the same ids, so a scenario's sessions and the agent's choices
  (drawn from the seed, the session id and the turn number) replay exactly. An id
  is an HMAC-SHA-256 of its kind and a per-kind counter, keyed by 32 bytes drawn
  once from the seeded RNG: ids never show the RNG's output, so no number of ids
  lets a client recover its state. Ids are not capabilities; ownership is checked
  on every access.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import re
import secrets
import string
import threading
from collections import Counter
from typing import Any

from nemo_mock.mock_server.domain.errors import BadRequest

_ALNUM = string.ascii_lowercase + string.digits
#: A user id given from outside (the control plane): it lands in URLs and file names.
_USER_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}")


def check_user_id(user_id: str) -> str:
    """``user_id`` if it is a usable id, else a 400 saying what is wrong with it."""
    if _USER_ID.fullmatch(user_id) and ".." not in user_id:
        return user_id
    shown = repr(user_id if len(user_id) <= 64 else user_id[:64] + "…")
    raise BadRequest(
        f"user_id {shown} is not usable: give 1-64 letters, digits, '_', '-' or '.', "
        "not starting with '.' and without '..', '/', spaces or control characters"
    )


def rng_json(rng: random.Random) -> list[Any]:
    """A ``random.Random``'s whole state as JSON-able lists (``restore_rng`` undoes it)."""
    version, internal, gauss = rng.getstate()
    return [version, list(internal), gauss]


def restore_rng(rng: random.Random, doc: list[Any]) -> None:
    rng.setstate((doc[0], tuple(doc[1]), doc[2]))


def _secret_chars(n: int) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(n))


class IdFactory:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._lock = threading.Lock()
        self._key = b""
        self._counts: Counter[str] = Counter()
        self.rekey()

    def rekey(self) -> None:
        """Draw the id key from the RNG (after a re-seed) and restart every counter."""
        with self._lock:
            self._key = self._rng.randbytes(32)
            self._counts.clear()

    def state(self) -> tuple[bytes, dict[str, int]]:
        """The id key and every counter: what ``restore`` needs so ids continue, never
        repeat."""
        with self._lock:
            return self._key, dict(self._counts)

    def restore(self, key: bytes, counts: dict[str, int]) -> None:
        with self._lock:
            self._key = key
            self._counts = Counter(counts)

    def _digest(self, kind: str) -> bytes:
        with self._lock:
            self._counts[kind] += 1
            message = f"{kind}:{self._counts[kind]}".encode()
            return hmac.new(self._key, message, hashlib.sha256).digest()

    def _hex(self, kind: str, n: int) -> str:
        return self._digest(kind).hex()[:n]

    # -- secrets: CSPRNG --------------------------------------------------------
    def access_token(self) -> str:
        return "nmv_usr_" + _secret_chars(32)

    def claim_token(self) -> str:
        return "clm_" + _secret_chars(32)

    def render_output(self) -> str:
        """The unguessable folder a finished render is served from (a capability)."""
        return "r_" + secrets.token_hex(16)

    def file(self) -> str:
        """An upload's id, which is also its ``/cdn/<id>/…`` key (a capability)."""
        return "f_" + secrets.token_hex(16)

    # -- ids: replayable --------------------------------------------------------
    def anonymous_user(self) -> str:
        return "anon_" + self._hex("anonymous_user", 16)

    def registered_user(self) -> str:
        return "usr_" + self._hex("registered_user", 16)

    def task(self) -> str:
        return "task_" + self._hex("task", 16)

    def session(self) -> str:
        """A long decimal string like the real ``5529798706024415232`` (19 digits)."""
        number = int.from_bytes(self._digest("session")[:8], "big")
        return str(10**18 + number % (9 * 10**18))
