"""A request body must keep coming (issue 13 item 6): ``PacedReceive`` and the per-user
upload slots, in-process. The live test with real trickling sockets is test_slow_clients."""

from __future__ import annotations

import asyncio

import pytest

from nemo_mock.mock_server.domain.errors import RequestTimeout, TooManyUploads
from nemo_mock.mock_server.domain.slots import Slots
from nemo_mock.mock_server.edge.limits import PacedReceive


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def trickle(clock: Clock, step: float, size: int = 1):
    async def receive() -> dict:
        clock.now += step
        return {"type": "http.request", "body": b"x" * size, "more_body": True}

    return receive


def test_a_body_that_stops_coming_times_out():
    async def never() -> dict:
        await asyncio.sleep(3600)
        return {}

    paced = PacedReceive(never, idle_timeout=0.05, min_rate=0)
    with pytest.raises(RequestTimeout, match="no byte of the request body for 0.05 s"):
        asyncio.run(paced())
    with pytest.raises(RequestTimeout):  # and every later read fails at once
        asyncio.run(paced())


def test_a_trickle_is_cut_once_the_grace_is_over():
    clock = Clock()
    paced = PacedReceive(trickle(clock, 1.0), idle_timeout=5, min_rate=100, now=clock)

    async def read_all() -> int:
        reads = 0
        while True:
            await paced()
            reads += 1

    with pytest.raises(RequestTimeout, match=r"came at 1 bytes/s over 6 s; at least 100"):
        asyncio.run(read_all())
    assert paced.received == 6


def test_a_steady_body_is_never_cut():
    clock = Clock()
    paced = PacedReceive(trickle(clock, 1.0, size=200), idle_timeout=5, min_rate=100, now=clock)

    async def read(n: int) -> None:
        for _ in range(n):
            await paced()

    asyncio.run(read(100))
    assert paced.received == 20_000


def test_after_the_body_reads_are_not_timed():
    """An SSE route waits for the client to leave: that wait is not a slow body."""
    messages = [{"type": "http.request", "body": b"{}", "more_body": False}]

    async def receive() -> dict:
        if messages:
            return messages.pop()
        await asyncio.sleep(0.2)
        return {"type": "http.disconnect"}

    paced = PacedReceive(receive, idle_timeout=0.05, min_rate=1000)

    async def both() -> tuple[dict, dict]:
        return await paced(), await paced()

    assert [m["type"] for m in asyncio.run(both())] == ["http.request", "http.disconnect"]


def test_slots_cap_each_owner_and_free_on_exit():
    slots = Slots(2, setting="--max-uploads-per-client")
    with slots.hold("a"), slots.hold("a"):
        with (
            pytest.raises(TooManyUploads, match="at most 2 may run together") as refused,
            slots.hold("a"),
        ):
            pass
        assert refused.value.retry_after == 1
        with slots.hold("b"):  # another user is not affected
            assert slots.running("b") == 1
    assert slots.running("a") == 0
    with pytest.raises(ValueError), slots.hold("a"):
        raise ValueError("the upload failed")
    assert slots.running("a") == 0
