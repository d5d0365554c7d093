"""Work shared fairly across users: one user's queue cannot starve another's.

``FairQueue`` keeps a FIFO per user; whoever takes from it gets the next job of the next
user in turn (a user with more waiting goes to the back of the line after each job).
``None`` stops one worker. The render workers take exports from one (``render/jobs.py``);
``FairPool`` runs callables on a few threads through one, as the agent's syntheses do
(``sse/turns.py``): thirty clips queued by one user hold back another user's clip by at most
one job per worker, not by all thirty.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar


class _Owned(Protocol):
    @property
    def user_id(self) -> str: ...


J = TypeVar("J", bound=_Owned)
T = TypeVar("T")


class FairQueue(Generic[J]):
    def __init__(self) -> None:
        self._by_user: OrderedDict[str, deque[J]] = OrderedDict()
        self._stops = 0
        self._ready = threading.Condition()

    def put(self, job: J | None) -> None:
        """Queue ``job`` behind its user's others; ``None`` stops one worker."""
        with self._ready:
            if job is None:
                self._stops += 1
            else:
                self._by_user.setdefault(job.user_id, deque()).append(job)
            self._ready.notify()

    def get(self) -> J | None:
        """The first job of the user whose turn it is (blocks until there is one)."""
        with self._ready:
            self._ready.wait_for(lambda: self._stops > 0 or bool(self._by_user))
            if self._stops > 0:
                self._stops -= 1
                return None
            user, jobs = next(iter(self._by_user.items()))
            job = jobs.popleft()
            del self._by_user[user]
            if jobs:
                self._by_user[user] = jobs  # back of the line
            return job

    def waiting(self) -> int:
        with self._ready:
            return sum(len(jobs) for jobs in self._by_user.values())


@dataclass(frozen=True)
class _Call:
    user_id: str
    work: Callable[[], Any]
    future: Future[Any] = field(default_factory=Future)


class FairPool:
    """A few worker threads taking callables round-robin across users, each answered by a
    ``concurrent.futures.Future`` (cancelled before it starts: it never runs)."""

    def __init__(self, workers: int, name: str) -> None:
        self._queue: FairQueue[_Call] = FairQueue()
        self._size = max(1, workers)
        self._name = name
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def submit(self, user_id: str, work: Callable[[], T]) -> Future[T]:
        """Run ``work`` when ``user_id``'s turn comes; threads start with the first call."""
        call = _Call(user_id, work)
        self._start_workers()
        self._queue.put(call)
        return call.future

    def _start_workers(self) -> None:
        with self._lock:
            while len(self._threads) < self._size:
                thread = threading.Thread(
                    target=self._work, name=f"{self._name}-{len(self._threads)}", daemon=True
                )
                thread.start()
                self._threads.append(thread)

    def _work(self) -> None:
        while (call := self._queue.get()) is not None:
            if not call.future.set_running_or_notify_cancel():
                continue  # cancelled while it waited
            try:
                call.future.set_result(call.work())
            except BaseException as exc:  # the caller sees it; the worker lives on
                call.future.set_exception(exc)
