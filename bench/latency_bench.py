"""Latency of one keep-alive connection: nemo-mock vs a bare FastAPI app started the same way.

Both servers are real processes on free ports; one ``httpx.Client`` (keep-alive) sends
sequential requests, the two servers alternating in rounds, and the medians are compared.
Before the listening socket was made as ``IPPROTO_TCP`` every answer waited ~40 ms for
Nagle; the ratio shows what the mock's own path costs on top of the framework.

    python bench/latency_bench.py [--rounds 5] [--requests 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid

import httpx

from nemo_mock.client_tests.live_mock import launch, serve_command

BARE_APP = """
import socket, uvicorn
from fastapi import FastAPI
app = FastAPI()
@app.get("/_mock/health")
def health(): return {"status": "ok"}
@app.get("/api/credits/balance/simple")
def credits(): return {"code": 0, "data": {"available": 100, "frozen": 0, "total": 100}}
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
sock.bind(("127.0.0.1", 0)); sock.listen(128)
print(f"export NEMO_API_URL=http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
"""


def per_call_ms(client: httpx.Client, path: str, headers: dict[str, str], count: int) -> float:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        client.get(path, headers=headers).raise_for_status()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    mock = launch(serve_command())
    bare = launch([sys.executable, "-c", BARE_APP])
    try:
        with httpx.Client(base_url=mock.url) as m, httpx.Client(base_url=bare.url) as b:
            token = m.post("/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())})
            auth = {"Authorization": f"Bearer {token.json()['data']['token']}"}
            results: dict[str, list[float]] = {"mock": [], "bare": []}
            for _ in range(args.rounds):
                results["mock"].append(
                    per_call_ms(m, "/api/credits/balance/simple", auth, args.requests)
                )
                results["bare"].append(
                    per_call_ms(b, "/api/credits/balance/simple", {}, args.requests)
                )
    finally:
        mock.stop()
        bare.stop()
    mock_ms, bare_ms = (statistics.median(results[n]) for n in ("mock", "bare"))
    print(f"one keep-alive connection, GET credits, median of {args.rounds} rounds")
    print(f"  nemo-mock     {mock_ms:7.3f} ms per call  (Nagle stall: ~44 ms)")
    print(f"  bare fastapi  {bare_ms:7.3f} ms per call")
    print(f"  ratio nemo-mock / bare = {mock_ms / bare_ms:.2f}")


if __name__ == "__main__":
    main()
