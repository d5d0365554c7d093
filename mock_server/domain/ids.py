"""Every identifier the mock hands out, drawn from one seeded RNG.

The same seed and the same sequence of requests give the same tokens, users,
sessions and file ids, so a failing scenario replays exactly.
"""

from __future__ import annotations

import random
import string
import threading

_ALNUM = string.ascii_lowercase + string.digits


class IdFactory:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._lock = threading.Lock()

    def _chars(self, n: int, alphabet: str = _ALNUM) -> str:
        with self._lock:
            return "".join(self._rng.choice(alphabet) for _ in range(n))

    def _hex(self, n: int) -> str:
        return self._chars(n, "0123456789abcdef")

    def access_token(self) -> str:
        return "nmv_usr_" + self._chars(32)

    def claim_token(self) -> str:
        return "clm_" + self._chars(32)

    def anonymous_user(self) -> str:
        return "anon_" + self._hex(16)

    def registered_user(self) -> str:
        return "usr_" + self._hex(16)

    def task(self) -> str:
        return "task_" + self._hex(16)

    def session(self) -> str:
        """A long decimal string like the real ``5529798706024415232`` (19 digits)."""
        with self._lock:
            return str(self._rng.randrange(10**18, 10**19))

    def file(self) -> str:
        return "f_" + self._hex(16)

    def render_output(self) -> str:
        """The unguessable folder a finished render is served from."""
        return "r_" + self._hex(16)
