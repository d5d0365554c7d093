"""What write-through costs: a REST request with and without ``--data-dir`` persistence, as
the state grows. One interleaved run: at each size the in-memory and the persisted mock take
turns, batch after batch, so both see the same machine load. Prints the median per-request
times, their ratio (persisted / in memory) and the rows one request wrote; a flush writes
only the rows that changed, so the ratio should stay about flat from 10 to 1,000 sessions.

    python bench/persist_bench.py
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.persist.sqlite import Changes
from nemo_mock.mock_server.settings import Settings

ATTRIBUTION = {"X-Skill-Source": "bench", "X-Skill-Version": "1", "X-Skill-Platform": "bench"}
BATCHES = 7
PER_BATCH = 30
SIZES = (10, 100, 1000)


class _Counting:
    def __init__(self, inner: Any) -> None:
        self.inner, self.rows = inner, 0

    def load(self) -> Any:
        return self.inner.load()

    def write(self, rows: Changes, meta: dict[str, str]) -> None:
        self.rows += len(rows)
        self.inner.write(rows, meta)

    def close(self) -> None:
        self.inner.close()


class _Mock:
    def __init__(self, folder: Path, persist: bool) -> None:
        settings = Settings(data_dir=folder, persist=persist, ip_token_limit=0)
        self.client = TestClient(create_app(settings, rng=random.Random(0)))
        self.client.__enter__()
        mock = self.client.app.state.mock  # type: ignore[attr-defined]
        self.counting = _Counting(mock.durable.store) if mock.durable else None
        if self.counting is not None:
            mock.durable.store = self.counting
        token = self.client.post("/_mock/tokens", json={"credits": 100}).json()["token"]
        self.headers = {**ATTRIBUTION, "Authorization": f"Bearer {token}"}
        self.sessions = 0

    def grow_to(self, sessions: int) -> None:
        for _ in range(sessions - self.sessions):
            self._create()
        self.sessions = sessions

    def _create(self) -> None:
        self.client.post("/api/tasks/me/with-session/nemo_agent", headers=self.headers, json={})

    def batch(self) -> float:
        """Seconds per request over one batch of writes (one new session row each)."""
        started = time.perf_counter()
        for _ in range(PER_BATCH):
            self._create()
        self.sessions += PER_BATCH
        return (time.perf_counter() - started) / PER_BATCH

    def close(self) -> None:
        self.client.__exit__(None, None, None)


def main() -> None:
    print(f"{'sessions':>8} {'memory ms':>10} {'persisted ms':>13} {'ratio':>6} {'rows/req':>9}")
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        memory, durable = _Mock(Path(a), False), _Mock(Path(b), True)
        try:
            for size in SIZES:
                memory.grow_to(size)
                durable.grow_to(size)
                assert durable.counting is not None
                rows_before = durable.counting.rows
                times: dict[str, list[float]] = {"memory": [], "durable": []}
                for _ in range(BATCHES):
                    times["memory"].append(memory.batch())
                    times["durable"].append(durable.batch())
                rows = (durable.counting.rows - rows_before) / (BATCHES * PER_BATCH)
                m, d = (statistics.median(times[k]) for k in ("memory", "durable"))
                print(f"{size:>8} {m * 1e3:>10.2f} {d * 1e3:>13.2f} {d / m:>6.2f} {rows:>9.1f}")
        finally:
            memory.close()
            durable.close()


if __name__ == "__main__":
    main()
