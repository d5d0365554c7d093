"""Streams by the thousand: N concurrent ``/run_sse`` generation turns against one mock.

Each stream is a raw keep-alive-free HTTP/1.1 connection (a light client: the machine's two
cores are shared with the mock) timing every chunk it receives. While the streams run, a
``GET credits`` is timed every half second by a process of its own (the streams' client is
one busy event loop, whose lag is not the mock's). Printed: errors, turns finished, the longest
silence of any stream as a ratio of the keep-alive interval (target: at most 2), as the
client saw it and as the mock sent it (the gaps between its events' send times in the
journal: the client's own lag on a loaded machine is not in them), the
slowest turn against the stream limit, REST latency meanwhile (as the probe saw it and as the
mock served it, from the journal), and the peak resident
memory of the mock plus its ffmpeg children (target: at most 1 GB), with CPU seconds and
the load average. Prompts cycle through ``--prompts`` distinct texts, so the synthesis
cache is hit by the rest.

    python bench/sse_bench.py [--streams 200,1000] [--time-scale 0.1] [--prompts 8]

The default time scale (0.1) makes the keep-alive interval 1 s, so a client's own lag of
1 s already counts as 1x; ``--time-scale 1`` runs at the real agent's timing (interval
10 s, a turn ~5 minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import multiprocessing
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadgen import cpu_seconds, load_average, tree_rss_bytes
from nemo_mock.client_tests.live_mock import LiveMock, launch, serve_command

SUBJECTS = (
    "sunset timelapse", "ocean waves at dawn", "a forest walk in autumn", "city at night",
    "snow falling on a village", "a wedding bouquet", "a desert road trip", "a mountain lake",
    "a busy market", "rain on a window", "northern lights", "a field of sunflowers",
)  # fmt: skip


@dataclass
class Stream:
    ok: bool = False
    status: int = 0
    events: int = 0
    longest_gap: float = 0.0
    seconds: float = 0.0
    error: str = ""
    kinds: list[str] = field(default_factory=list)


async def one_stream(url: str, token: str, session_id: str, prompt: str) -> Stream:
    parts = urlsplit(url)
    body = json.dumps(
        {
            "app_name": "nemo_agent",
            "user_id": "me",
            "session_id": session_id,
            "new_message": {"parts": [{"text": prompt}]},
        }
    ).encode()
    head = (
        f"POST /run_sse HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    result = Stream()
    started = time.monotonic()
    try:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.write(head + body)
        await writer.drain()
        last = None
        tail = b""
        while chunk := await reader.read(65536):
            now = time.monotonic()
            if last is None:
                result.status = int(chunk.split(b" ", 2)[1])
            else:
                result.longest_gap = max(result.longest_gap, now - last)
            last = now
            text = tail + chunk
            result.events += text.count(b"data:")
            if b"tool_result" in text:
                result.kinds.append("tool_result")
            tail = text[-16:]
        writer.close()
        result.seconds = time.monotonic() - started
        result.ok = result.status == 200 and "tool_result" in result.kinds
        if not result.ok:
            result.error = f"status {result.status}, no tool_result"
    except OSError as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def rest_probe(url: str, token: str, stop: Event, out: Queue[list[float]]) -> None:
    """``GET credits`` every half second until ``stop``, in a process of its own (the streams'
    client is one busy event loop: its lag is not the mock's); puts each answer's latency in
    milliseconds on ``out``."""
    samples: list[float] = []
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, timeout=600) as client:
        while not stop.is_set():
            started = time.monotonic()
            answer = client.get("/api/credits/balance/simple", headers=auth)
            if answer.status_code == 200:
                samples.append((time.monotonic() - started) * 1000)
            stop.wait(0.5)
    out.put(samples)


def served_durations(mock: LiveMock) -> list[float]:
    """How long the mock took over each ``GET credits`` (journal, milliseconds)."""
    with httpx.Client(base_url=mock.url, timeout=600) as client:
        entries = client.get("/_mock/journal", params={"operation": "getCreditBalance"}).json()[
            "entries"
        ]
    return [entry["duration_ms"] for entry in entries]


async def memory_probe(pid: int, stop: asyncio.Event) -> int:
    peak = 0
    while not stop.is_set():
        peak = max(peak, tree_rss_bytes(pid))
        await asyncio.sleep(0.25)
    return peak


def sent_silences(mock: LiveMock) -> list[float]:
    """Each stream's longest silence as the mock sent it, in seconds: the gaps between its
    events' send times in the journal (the client's own lag on a loaded machine is not in
    them)."""
    with httpx.Client(base_url=mock.url, timeout=600) as client:
        entries = client.get("/_mock/journal", params={"operation": "runSse"}).json()["entries"]
    silences = []
    for entry in entries:
        times = [event["at_ms"] for event in entry.get("events") or []]
        if len(times) > 1 and not entry.get("events_omitted"):
            silences.append(max(b - a for a, b in itertools.pairwise(times)) / 1000)
    return silences


def prepare(mock: LiveMock, streams: int) -> tuple[str, list[str]]:
    with httpx.Client(base_url=mock.url, timeout=60) as client:
        answer = client.post(
            "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
        )
        token = answer.json()["data"]["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        sessions = [
            client.post(
                "/api/tasks/me/with-session/nemo_agent", json={"task_name": f"b{i}"}
            ).json()["data"]["session_id"]
            for i in range(streams)
        ]
    return token, sessions


async def run(mock: LiveMock, streams: int, prompts: int, interval: float, warm: bool) -> None:
    token, sessions = prepare(mock, streams + 1)
    texts = [f"make me a 10-second video of {SUBJECTS[i % len(SUBJECTS)]}" for i in range(prompts)]
    warm_up = sessions.pop()
    if warm:  # one turn first: the modules a turn needs are loaded before the streams start
        await one_stream(mock.url, token, warm_up, "make me a 3-second video of a red balloon")
    stop = asyncio.Event()
    spawn = multiprocessing.get_context("spawn")  # a clean process, not a copy of this loop
    probe_stop = spawn.Event()
    probe_out: Queue[list[float]] = spawn.Queue()
    probe = spawn.Process(
        target=rest_probe, args=(mock.url, token, probe_stop, probe_out), daemon=True
    )
    probe.start()
    memory = asyncio.create_task(memory_probe(mock.process.pid, stop))
    cpu_before = cpu_seconds(mock.process.pid, children=True)
    started = time.monotonic()
    results = await asyncio.gather(
        *(one_stream(mock.url, token, sid, texts[i % prompts]) for i, sid in enumerate(sessions))
    )
    wall = time.monotonic() - started
    stop.set()
    probe_stop.set()
    latencies, peak = probe_out.get(timeout=600), await memory
    probe.join(timeout=60)
    cpu = cpu_seconds(mock.process.pid, children=True) - cpu_before
    failed = [r for r in results if not r.ok]
    gaps = [r.longest_gap for r in results if r.ok]
    print(f"\n{streams} concurrent generation streams ({prompts} distinct prompts)")
    print(f"  finished {len(results) - len(failed)}/{streams}, errors {len(failed)}")
    for r in failed[:3]:
        print(f"    e.g. {r.error}")
    if gaps:
        print(
            f"  longest silence / keep-alive interval ({interval:g} s): "
            f"max {max(gaps) / interval:.2f}, median {statistics.median(gaps) / interval:.2f}"
            f"  (target <= 2)"
        )
        print(f"  slowest turn {max(r.seconds for r in results):.1f} s, whole run {wall:.1f} s")
    sent = sent_silences(mock)
    if sent:
        print(
            f"  longest silence as the mock sent it (journal, {len(sent)} streams): "
            f"max {max(sent) / interval:.2f}, median {statistics.median(sent) / interval:.2f}"
        )
    if latencies:
        print(
            f"  GET credits meanwhile: median {statistics.median(latencies):.1f} ms, "
            f"max {max(latencies):.1f} ms ({len(latencies)} calls, from a process of its own)"
        )
    served = served_durations(mock)
    if served:
        print(
            f"  GET credits as the mock served it (journal): median "
            f"{statistics.median(served):.1f} ms, max {max(served):.1f} ms"
        )
    print(f"  peak RSS mock + children {peak / 2**20:.0f} MB  (target <= 1024 MB)")
    print(f"  mock + children CPU {cpu:.1f} s; {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", default="200,1000")
    parser.add_argument("--time-scale", type=float, default=0.1)
    parser.add_argument("--heartbeat-interval", type=float, default=10)
    parser.add_argument("--prompts", type=int, default=8)
    parser.add_argument("--cold", action="store_true", help="no warm-up turn before the streams")
    args = parser.parse_args()
    interval = args.heartbeat_interval * args.time_scale
    print(f"before: {load_average()}")
    for streams in (int(n) for n in args.streams.split(",")):
        mock = launch(
            serve_command(
                "--time-scale", str(args.time_scale),
                "--heartbeat-interval", str(args.heartbeat_interval),
                "--initial-credits", "100000000",
                "--ip-token-limit", "0",
                "--temp-issue-rate", "0",
                "--no-access-log",
            )
        )  # fmt: skip
        try:
            asyncio.run(run(mock, streams, args.prompts, interval, not args.cold))
        finally:
            mock.stop()


if __name__ == "__main__":
    main()
