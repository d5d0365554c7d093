import asyncio
import random

import pytest

from nemo_mock.mock_server.sse.timing import DURATION_RANGES, Timing


@pytest.mark.parametrize("kind", ["text", "generation", "edit"])
def test_durations_fall_in_the_documented_range_times_the_scale(kind):
    timing, rng = Timing(time_scale=0.01), random.Random(1)
    low, high = DURATION_RANGES[kind]
    for _ in range(200):
        assert low * 0.01 <= timing.duration(kind, rng) <= high * 0.01


def test_scale_zero_means_no_waiting():
    assert Timing(time_scale=0).duration("generation", random.Random(0)) == 0


def test_waiting_sends_heartbeats_alternating_with_empty_lines(monkeypatch):
    """On a virtual clock (sleeping advances it exactly), so a loaded machine cannot
    change the count."""
    timing = Timing(time_scale=1, heartbeat_interval=0.02)
    sent = []
    now = [0.0]

    async def virtual_sleep(seconds):
        now[0] += seconds

    async def emit(event):
        sent.append(event.kind)

    async def run():
        monkeypatch.setattr(asyncio.get_running_loop(), "time", lambda: now[0])
        monkeypatch.setattr(asyncio, "sleep", virtual_sleep)
        await timing.wait(0.15, emit)

    asyncio.run(run())
    assert len(sent) == 7  # 0.02, 0.04, … 0.14: a beat every interval before the end
    assert now[0] == pytest.approx(0.15)
    assert sent[:4] == ["heartbeat", "keepalive", "heartbeat", "keepalive"]
