"""``edge/admission.py``: requests that open agent turns are let in one per iteration of the
event loop, first come first served, while every other request and callback runs in between;
a request alone waits for nothing, a cancelled waiter holds no one up, and each event loop
has a gate of its own."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from nemo_mock.mock_server.edge.admission import OnePerTick, TurnAdmission
from nemo_mock.mock_server.edge.surfaces import turn_methods, turn_operations


class Ticker:
    """Counts the iterations of the running loop (a callback that schedules itself again)."""

    def __init__(self) -> None:
        self.count = 0
        self._handle: asyncio.Handle | None = None

    def start(self) -> None:
        self._handle = asyncio.get_running_loop().call_soon(self._tick)

    def _tick(self) -> None:
        self.count += 1
        self._handle = asyncio.get_running_loop().call_soon(self._tick)

    def stop(self) -> None:
        assert self._handle is not None
        self._handle.cancel()


def test_waiters_go_through_one_per_iteration_in_the_order_they_came() -> None:
    async def main() -> list[tuple[int, int]]:
        gate, ticker, passed = OnePerTick(), Ticker(), []

        async def one(number: int) -> None:
            await gate.enter()
            passed.append((number, ticker.count))

        ticker.start()
        await asyncio.gather(*(one(n) for n in range(6)))
        ticker.stop()
        assert gate.waiting == 0
        return passed

    passed = asyncio.run(main())
    assert [number for number, _ in passed] == list(range(6))
    ticks = [tick for _, tick in passed]
    assert all(a < b for a, b in itertools.pairwise(ticks)), ticks


def test_a_waiter_alone_passes_at_once() -> None:
    async def main() -> tuple[int, int]:
        gate, ticker = OnePerTick(), Ticker()
        ticker.start()
        await asyncio.sleep(0)
        before = ticker.count
        await gate.enter()
        after = ticker.count
        # a later one, once the loop has moved on, passes at once too
        for _ in range(3):
            await asyncio.sleep(0)
        later = ticker.count
        await gate.enter()
        ticker.stop()
        return after - before, ticker.count - later

    assert asyncio.run(main()) == (0, 0)


def test_a_cancelled_waiter_holds_no_one_up() -> None:
    async def main() -> list[str]:
        gate, passed = OnePerTick(), []

        async def one(name: str) -> None:
            await gate.enter()
            passed.append(name)

        first, gone, after = (asyncio.create_task(one(n)) for n in ("first", "gone", "next"))
        await asyncio.sleep(0)  # all three came in one iteration: ``first`` passed
        assert passed == ["first"] and gate.waiting == 2
        gone.cancel()
        await asyncio.wait_for(asyncio.gather(first, after), timeout=5)
        with pytest.raises(asyncio.CancelledError):
            await gone
        return passed

    assert asyncio.run(main()) == ["first", "next"]


def test_each_event_loop_has_a_gate_of_its_own() -> None:
    gate = OnePerTick()

    async def crowd() -> int:
        await asyncio.gather(*(gate.enter() for _ in range(4)))
        return gate.waiting

    # a loop that ends with its gate's tick still pending leaves later loops unaffected
    async def leave_a_tick_pending() -> None:
        await gate.enter()

    asyncio.run(leave_a_tick_pending())
    assert asyncio.run(asyncio.wait_for(crowd(), timeout=5)) == 0
    assert asyncio.run(asyncio.wait_for(crowd(), timeout=5)) == 0


def test_only_requests_that_open_turns_wait_at_the_gate() -> None:
    """Twenty ``POST /run_sse`` and twenty ``GET credits`` sent together: the credits all
    reach the app in the first iteration, the turns one per iteration after that."""
    assert turn_operations() == {"runSse"}
    assert turn_methods() == {"POST"}  # a GET is let through without resolving its path
    arrived: list[tuple[str, int]] = []
    ticker = Ticker()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        arrived.append((scope["path"], ticker.count))

    gated = TurnAdmission(app)

    async def request(method: str, path: str) -> None:
        scope = {"type": "http", "method": method, "path": path, "headers": []}
        await gated(scope, None, None)

    async def main() -> None:
        ticker.start()
        calls = [request("POST", "/run_sse") for _ in range(20)]
        calls += [request("GET", "/api/credits/balance/simple") for _ in range(20)]
        await asyncio.gather(*calls)
        ticker.stop()

    asyncio.run(main())
    turns = [tick for path, tick in arrived if path == "/run_sse"]
    credits = [tick for path, tick in arrived if path != "/run_sse"]
    assert len(set(turns)) == 20, "turns let in together"
    assert max(credits) == min(turns), "the other requests waited behind the turns"
