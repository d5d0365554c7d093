from datetime import UTC, datetime, timedelta, timezone

import pytest

from nemo_mock.mock_server.domain.clock import LATEST, ManualClock, ShiftableClock, epoch_ms
from nemo_mock.mock_server.domain.errors import ClockOutOfRange, ClockWouldGoBack


def test_manual_clock_stands_still_until_advanced():
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert clock.now() == clock.now() == datetime(2026, 1, 1, tzinfo=UTC)
    clock.advance(7 * 86_400)
    assert clock.now() == datetime(2026, 1, 8, tzinfo=UTC)
    assert clock.offset_seconds == 7 * 86_400


def test_manual_clock_refuses_to_go_back():
    clock = ManualClock()
    with pytest.raises(ClockWouldGoBack, match="never runs back"):
        clock.advance(-1)
    with pytest.raises(ClockWouldGoBack, match="before"):
        clock.set(clock.now() - timedelta(seconds=1))


def test_manual_clock_set_jumps_forward_and_accepts_naive_utc():
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert clock.set(datetime(2026, 2, 1)) == datetime(2026, 2, 1, tzinfo=UTC)


def test_shiftable_clock_runs_ahead_by_its_offset():
    clock = ShiftableClock()
    before = datetime.now(UTC)
    clock.advance(3600)
    assert clock.now() - before >= timedelta(seconds=3600)
    assert clock.offset_seconds == 3600
    with pytest.raises(ClockWouldGoBack):
        clock.advance(-5)
    with pytest.raises(ClockWouldGoBack, match="past"):
        clock.set(before)


def test_epoch_ms():
    assert epoch_ms(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)) == 1000


@pytest.mark.parametrize("make", [ManualClock, ShiftableClock], ids=["manual", "shiftable"])
def test_a_clock_stops_at_its_latest_instant_and_keeps_working(make):
    """Year 9999 was accepted, then every token issue and advance overflowed (500)."""
    clock = make()
    with pytest.raises(ClockOutOfRange, match="latest instant the mock clock shows is 2200"):
        clock.set(datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-12))))
    clock.set(LATEST - timedelta(days=1))
    with pytest.raises(ClockOutOfRange, match="it would pass 2200-01-01"):
        clock.advance(2 * 86_400)
    for bad in (float("inf"), float("nan")):
        with pytest.raises(ClockOutOfRange):
            clock.advance(bad)
    assert clock.now() < LATEST
    clock.advance(3600)
    assert clock.now() + timedelta(days=36_500) > clock.now()  # room for any ttl
