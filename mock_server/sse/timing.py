"""How long the backend takes (§4.4), scaled by ``--time-scale``, with heartbeats meanwhile.

Documented ranges: a text-only reply 5-15 s, a video generation 100-300 s, an
edit 10-30 s. ``time_scale`` multiplies them (0.01 by default, 1 = real timing,
0 = no waiting). While the backend works, a heartbeat is sent every
``heartbeat_interval`` (scaled too), every other one as an empty ``data:`` line.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nemo_mock.mock_server.sse.events import AgentEvent, heartbeat, keepalive

DURATION_RANGES = {"text": (5.0, 15.0), "generation": (100.0, 300.0), "edit": (10.0, 30.0)}


@dataclass(frozen=True)
class Timing:
    time_scale: float = 0.01
    heartbeat_interval: float = 10.0

    def duration(self, kind: str, rng: random.Random) -> float:
        low, high = DURATION_RANGES[kind]
        return rng.uniform(low, high) * self.time_scale

    async def wait(self, seconds: float, emit: Callable[[AgentEvent], Awaitable[None]]) -> None:
        """Sleep ``seconds`` (already scaled), sending keep-alives at the scaled interval."""
        interval = self.heartbeat_interval * self.time_scale
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        beats = 0
        while (left := end - loop.time()) > 0:
            if interval <= 0:
                await asyncio.sleep(left)
                return
            await asyncio.sleep(min(interval, left))
            if end - loop.time() > 0:
                beats += 1
                await emit(heartbeat() if beats % 2 else keepalive())
