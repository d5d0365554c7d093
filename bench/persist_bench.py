"""What write-through costs: a REST request with and without ``--data-dir`` persistence, as
the state grows. Prints per-request times and their ratio (persisted / in memory).

    python bench/persist_bench.py
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.settings import Settings

ATTRIBUTION = {"X-Skill-Source": "bench", "X-Skill-Version": "1", "X-Skill-Platform": "bench"}
REQUESTS = 200


def _per_request(folder: Path, persist: bool, sessions: int) -> float:
    settings = Settings(data_dir=folder, persist=persist, ip_token_limit=0)
    with TestClient(create_app(settings, rng=random.Random(0))) as client:
        token = client.post("/_mock/tokens", json={"credits": 100}).json()["token"]
        headers = {**ATTRIBUTION, "Authorization": f"Bearer {token}"}
        for _ in range(sessions):
            client.post("/api/tasks/me/with-session/nemo_agent", headers=headers, json={})
        started = time.perf_counter()
        for _ in range(REQUESTS):  # a write: one new session row each
            client.post("/api/tasks/me/with-session/nemo_agent", headers=headers, json={})
        return (time.perf_counter() - started) / REQUESTS


def main() -> None:
    print(f"{'sessions':>8} {'memory ms':>10} {'persisted ms':>13} {'ratio':>6}")
    for sessions in (10, 100, 1000):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            memory = _per_request(Path(a), False, sessions)
            durable = _per_request(Path(b), True, sessions)
        print(
            f"{sessions:>8} {memory * 1e3:>10.2f} {durable * 1e3:>13.2f} {durable / memory:>6.1f}"
        )


if __name__ == "__main__":
    main()
