"""The mock's own code per request, in-process: the ASGI app alone, no server, no network.

``rest_bench.py`` measures what a client sees (uvicorn, sockets, ``wrk``), where a run's
ratios move by ±0.1 with the machine's load. This bench drives the ASGI apps directly with
one fixed ``GET /api/credits/balance/simple`` (a real token), so what is left is the code
between the first middleware and the last byte sent: the place to attribute a change, layer
by layer. Each app is driven in interleaved rounds; its figure is the best round (the least
disturbed), in CPU µs per request, beside the garbage collector's time over all its rounds.

    python bench/asgi_bench.py [--requests 2500] [--rounds 10]

The apps: a bare FastAPI app answering the same envelope; the mock as ``serve`` builds it
without the access log (the journal on), with the access log (its console handler writing
to ``/dev/null``), and with ``--no-control`` (no journal). ``mock - no-control`` is what the
journal costs, ``access log - mock`` what the access line costs (issue 18).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadgen import load_average
from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.journal.access import LOGGER, console_handler
from nemo_mock.mock_server.settings import Settings

PATH = "/api/credits/balance/simple"


@dataclass
class Subject:
    name: str
    app: Any
    token: str = "unused"
    best_us: float = float("inf")
    gc_seconds: float = 0.0
    requests: int = 0
    rounds: list[float] = field(default_factory=list)


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.get(PATH)
    async def credits() -> dict[str, Any]:
        return {"code": 0, "message": "success", "data": {"available": 100, "frozen": 0}}

    return app


def quiet_access_log() -> None:
    """The console access log as ``serve`` installs it, written to ``/dev/null``."""
    console_handler()
    handler = logging.getLogger(LOGGER).handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 - open for the whole run


async def token_for(app: Any) -> str:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        answer = await client.post(
            "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
        )
        token: str = answer.json()["data"]["token"]
        return token


def scope_for(token: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "method": "GET",
        "root_path": "",
        "path": PATH,
        "raw_path": PATH.encode(),
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"accept", b"*/*"),
        ],
        "state": {},
    }


async def drive(subject: Subject, requests: int) -> float:
    """CPU µs per request over ``requests`` calls of ``subject``'s app."""
    template = scope_for(subject.token)
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    started = time.process_time()
    for _ in range(requests):
        await subject.app(dict(template), receive, send)
    elapsed = time.process_time() - started
    if set(statuses) != {200}:
        sys.exit(f"{subject.name}: answered {sorted(set(statuses))}, not only 200")
    return elapsed / requests * 1e6


def collector_clock() -> tuple[Callable[[], float], Callable[[], None]]:
    """(seconds the collector ran so far, a reset), from ``gc.callbacks``."""
    spent = [0.0]
    started = [0.0]

    def callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]

    gc.callbacks.append(callback)

    def reset() -> None:
        spent[0] = 0.0

    return (lambda: spent[0]), reset


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2500, help="per round and app")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    print(f"before: {load_average()}")
    subjects = [
        Subject("bare fastapi", bare_app()),
        Subject("nemo-mock", create_app(Settings(ip_token_limit=0))),
        Subject("nemo-mock +access log", create_app(Settings(ip_token_limit=0, access_log=True))),
        Subject("nemo-mock --no-control", create_app(Settings(ip_token_limit=0, control=False))),
    ]
    quiet_access_log()
    for subject in subjects[1:]:
        subject.token = await token_for(subject.app)
    gc.collect()
    gc.freeze()  # as serve does: start-up's objects are not walked again
    spent, reset = collector_clock()
    for subject in subjects:  # warm: caches filled, the journals past their first entries
        await drive(subject, args.requests // 5)
    for _ in range(args.rounds):
        for subject in subjects:
            reset()
            per = await drive(subject, args.requests)
            subject.rounds.append(per)
            subject.best_us = min(subject.best_us, per)
            subject.gc_seconds += spent()
            subject.requests += args.requests
    bare = subjects[0].best_us
    print(f"\n{args.rounds} interleaved rounds of {args.requests} requests (best round):")
    for s in subjects:
        collector = s.gc_seconds / s.requests * 1e6
        print(
            f"  {s.name:<24} {s.best_us:7.1f} µs/request  {s.best_us / bare:5.2f}x bare  "
            f"(collector {collector:4.1f} µs/request)"
        )
    by = {s.name: s.best_us for s in subjects}
    print(f"  the journal:    {by['nemo-mock'] - by['nemo-mock --no-control']:5.1f} µs/request")
    print(f"  the access log: {by['nemo-mock +access log'] - by['nemo-mock']:5.1f} µs/request")
    print(f"\nafter: {load_average()}")


if __name__ == "__main__":
    asyncio.run(main())
