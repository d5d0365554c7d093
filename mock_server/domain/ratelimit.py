"""A sliding-window counter: at most ``limit`` events per key in any ``window``."""

from __future__ import annotations

import math
from collections import defaultdict, deque
from datetime import datetime, timedelta


class SlidingWindow:
    def __init__(
        self, limit: int, window: timedelta, events: dict[str, deque[datetime]] | None = None
    ) -> None:
        """``events`` (key -> instants, oldest first) may live in the store, to be kept."""
        self.limit = limit
        self.window = window
        self._events: dict[str, deque[datetime]] = (
            events if events is not None else defaultdict(deque)
        )

    def retry_after(self, key: str, now: datetime) -> int | None:
        """Seconds until ``key`` may act again, or None if it may act now.

        A ``limit`` of 0 or less means unlimited.
        """
        if self.limit <= 0:
            return None
        events = self._events.get(key)
        if events is None:
            return None
        expired = 0
        while events and events[0] <= now - self.window:
            events.popleft()
            expired += 1
        if expired:
            self._events[key] = events  # set again: a kept table marks the change
        if len(events) < self.limit:
            return None
        return max(1, math.ceil((events[0] + self.window - now).total_seconds()))

    def record(self, key: str, now: datetime) -> None:
        events = self._events.get(key, deque())
        events.append(now)
        self._events[key] = events  # set again: a kept table marks the change

    def clear(self) -> None:
        self._events.clear()
