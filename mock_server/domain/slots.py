"""``Slots``: at most ``limit`` things at once per owner (uploads per user).

A refused request is answered at once, before its body is read: ``TooManyUploads`` (429,
``Retry-After: 1``) names the limit and how many are running.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from nemo_mock.mock_server.domain.errors import TooManyUploads


class Slots:
    def __init__(self, limit: int, what: str = "uploads", setting: str = "") -> None:
        self.limit = limit
        self._what = what
        self._setting = setting
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, owner: str) -> Iterator[None]:
        with self._lock:
            running = self._held.get(owner, 0)
            if running >= self.limit:
                raise TooManyUploads(
                    f"too many {self._what} at once: {running} of this user's are still "
                    f"running and at most {self.limit} may run together"
                    + (f" ({self._setting})" if self._setting else "")
                    + "; retry when one has finished",
                    retry_after=1,
                )
            self._held[owner] = running + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._held[owner] - 1
                if left:
                    self._held[owner] = left
                else:
                    del self._held[owner]

    def running(self, owner: str) -> int:
        with self._lock:
            return self._held.get(owner, 0)
