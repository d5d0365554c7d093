"""Time, injected: every expiry, window and timestamp in the mock reads a ``Clock``.

``ShiftableClock`` is the server's: real time plus an offset that the control
plane can advance (``POST /_mock/clock/advance``), so a running mock can jump
7 days ahead while still ticking. ``ManualClock`` stands still until told to
move, for tests.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol

from nemo_mock.mock_server.domain.errors import ClockOutOfRange, ClockWouldGoBack

#: The latest instant a clock may show. Every expiry and window is computed from
#: ``now`` plus at most a century, so nothing the mock computes leaves datetime's
#: range (year 9999): past it, token issue and advance would fail forever.
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...

    def advance(self, seconds: float) -> datetime:
        """Move time forward by ``seconds`` (never backwards); returns the new now."""
        ...

    def set(self, instant: datetime) -> datetime:
        """Jump to ``instant`` (not before now); returns the new now."""
        ...

    def reset(self) -> datetime:
        """Back to the start: wall-clock time, or a manual clock's first instant."""
        ...

    @property
    def offset_seconds(self) -> float:
        """How far this clock runs ahead of real time (0 for a manual clock at rest)."""
        ...


def epoch_ms(instant: datetime) -> int:
    return int(instant.timestamp() * 1000)


def _check_forward(seconds: float, now: datetime) -> None:
    if seconds < 0:
        raise ClockWouldGoBack(f"cannot advance the clock by {seconds} s: time never runs back")
    room = (LATEST - now).total_seconds()
    if not seconds <= room:  # also refuses NaN and infinity
        raise ClockOutOfRange(
            f"cannot advance the clock by {seconds} s: it would pass {LATEST.isoformat()}, "
            f"the latest instant the mock clock shows ({max(room, 0):.0f} s from now)"
        )


def _check_within(instant: datetime) -> None:
    if instant > LATEST:
        raise ClockOutOfRange(
            f"cannot set the clock to {instant.isoformat()}: the latest instant the mock "
            f"clock shows is {LATEST.isoformat()}"
        )


class ShiftableClock:
    """Wall-clock time plus an offset that only grows."""

    def __init__(self) -> None:
        self._offset = 0.0
        #: The offset as a ``timedelta`` (to the microsecond), what ``now`` adds: half the
        #: cost of a datetime made from a timestamp, read twice a request (issue 18).
        self._shift = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        shift = self._shift
        return datetime.now(UTC) + shift if shift else datetime.now(UTC)  # no sum when unshifted

    def advance(self, seconds: float) -> datetime:
        _check_forward(seconds, self.now())
        with self._lock:
            self._offset += seconds
            self._shift = timedelta(seconds=self._offset)
        return self.now()

    def set(self, instant: datetime) -> datetime:
        _check_within(_aware(instant))
        delta = (_aware(instant) - self.now()).total_seconds()
        if delta < 0:
            raise ClockWouldGoBack(f"cannot set the clock to {instant.isoformat()}: it is past")
        return self.advance(delta)

    @property
    def offset_seconds(self) -> float:
        return self._offset

    def reset(self) -> datetime:
        """Back to wall-clock time (the only way back; used by the control plane's reset)."""
        with self._lock:
            self._offset = 0.0
            self._shift = timedelta(0)
        return self.now()


class ManualClock:
    """A clock that stands still until advanced; for tests and scripted scenarios."""

    DEFAULT_START = datetime(2026, 1, 1, tzinfo=UTC)

    def __init__(self, start: datetime | None = None) -> None:
        self._now = _aware(start or self.DEFAULT_START)
        self._start = self._now

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> datetime:
        _check_forward(seconds, self._now)
        self._now += timedelta(seconds=seconds)
        return self._now

    def set(self, instant: datetime) -> datetime:
        instant = _aware(instant)
        _check_within(instant)
        if instant < self._now:
            raise ClockWouldGoBack(
                f"cannot set the clock to {instant.isoformat()}: it is before "
                f"{self._now.isoformat()}"
            )
        self._now = instant
        return self._now

    @property
    def offset_seconds(self) -> float:
        return (self._now - self._start).total_seconds()

    def reset(self) -> datetime:
        """Back to where the clock started."""
        self._now = self._start
        return self._now


def _aware(instant: datetime) -> datetime:
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)
