"""A turn's stream as the client receives it: the turn's events, keep-alives whenever it
has been quiet for an interval, and the hard stream limit.

The turn's work emits heartbeats while it waits (``Timing.wait``), but work can take
longer than the documented wait (a long synthesis, a turn queued behind another on the
same session). So the stream keeps its own watch: whenever nothing has been sent for one
keep-alive interval, it sends a keep-alive itself (a heartbeat, then an empty ``data:``
line, alternately), and it lets through at most one keep-alive per half interval, so the
two sources never double up. The client never goes without a byte for longer than the
interval, whatever the turn is doing.

The stream ends when the turn's work is done, or when the hard limit passes (also while
waiting); the work goes on either way and lands in the state.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

from nemo_mock.mock_server.sse.events import AgentEvent, heartbeat, keepalive
from nemo_mock.mock_server.sse.styles import Encoder, SimpleEncoder
from nemo_mock.mock_server.sse.timing import Timing
from nemo_mock.mock_server.sse.turns import Turn

#: The shortest keep-alive interval, however small the time scale.
MIN_BEAT_SECONDS = 0.01
_KEEPALIVE_KINDS = frozenset({"heartbeat", "keepalive"})


def beat_interval(timing: Timing) -> float:
    """Seconds between keep-alives: the interval times the time scale; with no waiting at
    all (time scale 0), the unscaled interval, so a long synthesis is still kept alive."""
    scaled = timing.heartbeat_interval * timing.time_scale
    return max(scaled, MIN_BEAT_SECONDS) if scaled > 0 else timing.heartbeat_interval


def turn_stream(
    turn: Turn, timing: Timing, limit: float, encoder: Encoder | None = None
) -> AsyncIterator[bytes]:
    """What ``/run_sse`` sends for ``turn``, written by ``encoder`` (the stream style; §4.4's
    events by default): its events, or keep-alives only when the turn's overrides say so
    (a fault)."""
    interval = beat_interval(timing)
    encoder = encoder or SimpleEncoder()
    only = turn.overrides.heartbeats_only
    if only:
        return heartbeats_only(min(only * timing.time_scale, limit), interval, encoder)
    return wire(turn, limit, interval, encoder)


class _Beats:
    """Keep-alives sent by the stream, alternating a heartbeat and an empty line."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> AgentEvent:
        self.count += 1
        return heartbeat() if self.count % 2 else keepalive()


async def wire(
    turn: Turn, limit: float, interval: float, encoder: Encoder | None = None
) -> AsyncIterator[bytes]:
    """The turn's events as bytes, with a keep-alive after every ``interval`` of quiet,
    until the work is done or ``limit`` seconds have passed. ``encoder.finish`` is told
    which (``complete``: the work is done)."""
    encoder = encoder or SimpleEncoder()
    deadline = time.monotonic() + limit
    events = turn.stream()
    beats = _Beats()
    last_beat = -interval
    pending: asyncio.Future[AgentEvent] | None = None
    try:
        while (left := deadline - time.monotonic()) > 0:
            if pending is None:
                pending = asyncio.ensure_future(anext(events))
            done, _ = await asyncio.wait({pending}, timeout=min(interval, left))
            now = time.monotonic()
            if not done:
                if now < deadline:
                    last_beat = now
                    for chunk in encoder.encode(beats.next()):
                        yield chunk
                continue
            event, pending = pending, None
            try:
                sent = event.result()
            except StopAsyncIteration:
                for chunk in encoder.finish(complete=True):
                    yield chunk
                return
            if sent.kind in _KEEPALIVE_KINDS:
                if now - last_beat < interval / 2:
                    continue  # the stream has just sent one of its own
                last_beat = now
            for chunk in encoder.encode(sent):
                yield chunk
        for chunk in encoder.finish(complete=False):
            yield chunk
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await pending


async def heartbeats_only(
    seconds: float, interval: float, encoder: Encoder | None = None
) -> AsyncIterator[bytes]:
    """Only keep-alives for ``seconds``, then the stream closes; the turn's work goes on
    unseen, and its result is in the state."""
    encoder = encoder or SimpleEncoder()
    deadline = time.monotonic() + seconds
    beats = _Beats()
    while (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(min(interval, left))
        for chunk in encoder.encode(beats.next()):
            yield chunk
