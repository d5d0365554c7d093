"""Work is taken round-robin across users (issue 13 item 12): render jobs and syntheses."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest

from nemo_mock.mock_server.media.fair import FairPool, FairQueue


@dataclass(frozen=True)
class Job:
    user_id: str
    name: str


def test_one_users_thirty_jobs_do_not_hold_back_anothers_one():
    """FIFO made B's one job wait behind all 30 of A's (166 times slower)."""
    queue: FairQueue[Job] = FairQueue()
    for i in range(30):
        queue.put(Job("A", f"a{i}"))
    queue.put(Job("B", "b0"))
    taken = [queue.get() for _ in range(3)]
    assert [j.name for j in taken if j] == ["a0", "b0", "a1"]


def test_users_take_turns_and_each_keeps_its_order():
    queue: FairQueue[Job] = FairQueue()
    for name in ("a0", "a1", "a2"):
        queue.put(Job("A", name))
    for name in ("b0", "b1"):
        queue.put(Job("B", name))
    queue.put(Job("C", "c0"))
    order = [queue.get() for _ in range(6)]
    assert [j.name for j in order if j] == ["a0", "b0", "c0", "a1", "b1", "a2"]
    assert queue.waiting() == 0


def test_none_stops_a_waiting_worker():
    queue: FairQueue[Job] = FairQueue()
    got: list[object] = []
    worker = threading.Thread(target=lambda: got.append(queue.get()))
    worker.start()
    queue.put(None)
    worker.join(timeout=5)
    assert got == [None]


def test_a_pool_runs_users_in_turn_and_answers_each_call():
    """One worker, held busy while A queues three calls and B one: B's runs second."""
    pool = FairPool(1, "test")
    gate = threading.Event()
    ran: list[str] = []
    started = threading.Event()
    first = pool.submit("A", lambda: started.set() or (gate.wait(5) and ran.append("a0")))
    assert started.wait(5)  # the worker holds A's first call: the rest wait in the queue
    calls = [pool.submit("A", lambda n=n: ran.append(f"a{n}") or n) for n in (1, 2, 3)]
    b = pool.submit("B", lambda: ran.append("b0") or "b")
    gate.set()
    assert [c.result(timeout=5) for c in calls] == [1, 2, 3] and b.result(timeout=5) == "b"
    first.result(timeout=5)
    assert ran == ["a0", "a1", "b0", "a2", "a3"]


def test_a_pool_call_cancelled_while_waiting_never_runs_and_errors_reach_the_caller():
    pool = FairPool(1, "test")
    gate = threading.Event()
    ran: list[str] = []
    busy = pool.submit("A", lambda: gate.wait(5))
    waiting = pool.submit("A", lambda: ran.append("cancelled one"))
    failing = pool.submit("B", lambda: 1 // 0)
    assert waiting.cancel()
    gate.set()
    busy.result(timeout=5)
    with pytest.raises(ZeroDivisionError):
        failing.result(timeout=5)
    assert pool.submit("B", lambda: "alive").result(timeout=5) == "alive"
    assert ran == []
