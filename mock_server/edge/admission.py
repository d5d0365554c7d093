"""Requests that open agent turns, let in one per turn of the event loop.

Opening a turn is the heaviest thing a request does on the event loop (authenticate, read
the body, plan the turn, freeze its cost, start its stream): a couple of milliseconds. When
a thousand ``POST /run_sse`` arrive together, all of them used to run in the same few
iterations of the loop, which then held everything else for seconds: a ``GET credits`` sent
meanwhile waited 3.5-4 s, and the keep-alive timers of the streams already open fired late
(issue 18). ``TurnAdmission`` lets the first such request of an iteration through at once
and queues the rest, first come first served, one per later iteration; every other request
and every timer gets its turn in between. Alone, a request waits for nothing.

Which operations open turns is the surfaces' to say (``Surface.opens_turns``).
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque

from starlette.types import ASGIApp, Receive, Scope, Send

from nemo_mock.mock_server.edge.layers import Layer, first_busy
from nemo_mock.mock_server.edge.surfaces import resolve, turn_methods, turn_operations


class OnePerTick:
    """A gate that lets one waiter through per iteration of the running event loop, in the
    order they came; the first to come in an iteration where no one passed goes at once.
    Each event loop has a gate of its own (a test client runs the app on loops of its own)."""

    def __init__(self) -> None:
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopGate] = (
            weakref.WeakKeyDictionary()
        )

    @property
    def waiting(self) -> int:
        """Waiters not yet let through, on every loop."""
        return sum(gate.waiting for gate in list(self._loops.values()))

    async def enter(self) -> None:
        loop = asyncio.get_running_loop()
        gate = self._loops.get(loop)
        if gate is None:
            gate = self._loops[loop] = _LoopGate(loop)
        await gate.enter()


class _LoopGate:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiting: deque[asyncio.Future[None]] = deque()
        #: Someone went through in this iteration: the next waits for ``_tick``.
        self._ticking = False

    @property
    def waiting(self) -> int:
        return sum(1 for future in self._waiting if not future.done())

    async def enter(self) -> None:
        if not self._ticking:
            self._ticking = True
            self._loop.call_soon(self._tick)
            return
        future: asyncio.Future[None] = self._loop.create_future()
        self._waiting.append(future)
        await future

    def _tick(self) -> None:
        """Runs once per iteration while anyone waits: lets the next waiter through."""
        while self._waiting:
            future = self._waiting.popleft()
            if not future.done():  # a waiter whose request was cancelled is skipped
                future.set_result(None)
                self._loop.call_soon(self._tick)
                return
        self._ticking = False


class TurnAdmission(Layer):
    """ASGI middleware: requests for an operation that opens an agent turn go through a
    ``OnePerTick`` gate before anything else of the mock runs for them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gate = OnePerTick()
        self._operations = turn_operations()
        #: Other methods pass at the cost of one lookup (every GET of a REST client).
        self._methods = turn_methods()

    def idle(self, scope: Scope) -> bool:
        """Not a request that opens a turn."""
        if scope["type"] != "http" or scope["method"] not in self._methods:
            return True
        resolved = resolve(scope["method"], scope["path"])
        return resolved is None or resolved.operation not in self._operations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.idle(scope):
            await self.gate.enter()
        await first_busy(self.app, scope)(scope, receive, send)
