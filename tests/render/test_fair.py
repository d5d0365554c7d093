"""Render jobs are taken round-robin across users (issue 13 item 12)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from nemo_mock.mock_server.render.fair import FairQueue


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
