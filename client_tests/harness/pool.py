"""Mocks started once per check and reused from one scenario to the next.

Starting a mock costs about a second and a half of CPU (most of a short scenario's cost), so
a check starts one mock per parallel run, each with a data folder of its own, and hands
them out in turn. Before each scenario the mock is reset with the run's seed (``POST
/_mock/reset {"seed": …}``: state, files, faults, journal, clock and RNG as at a fresh start
with ``--seed``) and the scenario is loaded (``POST /_mock/scenarios``), as in ``--url``
mode. A mock that died, or answers its health check no more, is replaced by a new one.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from nemo_mock.client_tests.live_mock import LiveMock, start_mock

#: The data folders a post-mortem keeps (the mock's uploads, generated clips and renders).
MEDIA_FOLDERS = ("uploads", "generated", "renders")


def fresh_start(url: str, scenario: dict[str, Any], seed: int | None = None) -> None:
    """The running mock at ``url`` reset (re-seeded with ``seed``, else keeping its own),
    then ``scenario`` (a scenario document) loaded."""
    body = None if seed is None else {"seed": seed}
    httpx.post(f"{url}/_mock/reset", json=body, timeout=30).raise_for_status()
    loaded = {"scenario": scenario}
    httpx.post(f"{url}/_mock/scenarios", json=loaded, timeout=30).raise_for_status()


@dataclass
class PooledMock:
    """One mock of the pool, and the data folder it was started with."""

    process: LiveMock
    data_dir: Path

    @property
    def url(self) -> str:
        return self.process.url

    def alive(self) -> bool:
        if self.process.process.poll() is not None:
            return False
        try:
            return httpx.get(f"{self.url}/_mock/health", timeout=10).is_success
        except httpx.HTTPError:
            return False

    def fresh(self, scenario: dict[str, Any], seed: int) -> None:
        """Back to a fresh start with ``seed``, then ``scenario`` (a scenario document) loaded."""
        fresh_start(self.url, scenario, seed)

    def keep_media(self, folder: Path) -> None:
        """Copy what the last scenario left in the data folder to ``folder`` (a post-mortem)."""
        for name in MEDIA_FOLDERS:
            source = self.data_dir / name
            if source.is_dir():
                shutil.copytree(source, folder / name, dirs_exist_ok=True)


@dataclass
class MockPool:
    """Mocks started with ``serve_args`` (and a data folder each, under ``root``), lent one
    scenario at a time; ``close`` stops them all."""

    serve_args: Sequence[str]
    root: Path
    _idle: list[PooledMock] = field(default_factory=list)
    _all: list[PooledMock] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _started: int = 0

    @property
    def started(self) -> int:
        """How many mocks the pool has started so far (replacements included)."""
        return self._started

    @contextmanager
    def lease(self) -> Iterator[PooledMock]:
        """A mock for one scenario, alive; back to the pool afterwards."""
        with self._lock:
            mock = self._idle.pop() if self._idle else None
        if mock is not None and not mock.alive():
            self._retire(mock)
            mock = None
        if mock is None:
            mock = self._start()
        try:
            yield mock
        finally:
            with self._lock:
                self._idle.append(mock)

    def close(self) -> None:
        with self._lock:
            mocks, self._all, self._idle = self._all, [], []
        for mock in mocks:
            mock.process.stop()
            shutil.rmtree(mock.data_dir, ignore_errors=True)

    def __enter__(self) -> MockPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> PooledMock:
        with self._lock:
            self._started += 1
            data_dir = self.root / f"mock-{self._started}"
        shutil.rmtree(data_dir, ignore_errors=True)
        mock = PooledMock(start_mock(*self.serve_args, data_dir=data_dir), data_dir)
        with self._lock:
            self._all.append(mock)
        return mock

    def _retire(self, mock: PooledMock) -> None:
        with self._lock:
            if mock in self._all:
                self._all.remove(mock)
        mock.process.stop()
        shutil.rmtree(mock.data_dir, ignore_errors=True)
