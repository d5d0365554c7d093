"""Render jobs taken round-robin across users, so one user's queue cannot starve another's.

Each user has a FIFO of jobs; workers take the next job of the next user in turn (a user
with more waiting goes to the back of the line after each job). ``None`` stops a worker.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from typing import Generic, Protocol, TypeVar


class _Owned(Protocol):
    @property
    def user_id(self) -> str: ...


J = TypeVar("J", bound=_Owned)


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
