"""A seed's flow as its user runs it, in-process: ask in a turn, export the draft, and read
the exported file's sound (8 kHz mono 16-bit samples)."""

from __future__ import annotations

import json
from array import array
from pathlib import Path

import av
from fastapi.testclient import TestClient

from tests.conftest import Api
from tests.helpers.renders import start, wait


def turn(client: TestClient, headers: dict[str, str], sid: str, message: str) -> str:
    """One chat turn; the agent's replies joined (the stream must have sent an event)."""
    body = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
            "new_message": {"parts": [{"text": message}]}}  # fmt: skip
    stream = client.post("/run_sse", headers=headers, json=body)
    events = [json.loads(x[5:]) for x in stream.text.splitlines() if x.startswith("data: {")]
    texts = [e["content"] for e in events if isinstance(e.get("content"), str)]
    assert events, stream.text
    return " ".join(texts)


def export(api: Api, headers: dict[str, str], sid: str, out: Path, limit: float) -> dict:
    """Render the session's draft at low quality into ``out``; the draft rendered."""
    draft = api.state(headers, sid)["state"]["draft"]
    render_id = f"render_{out.stem}"
    output = {"format": "mp4", "quality": "low"}
    assert start(api, headers, sid, draft, render_id, output=output).is_success
    job = wait(api, headers, render_id, until=("completed", "failed"), limit=limit)
    assert job["status"] == "completed", job
    out.write_bytes(api.client.get(job["output"]["url"]).content)
    return draft


def samples(path: Path) -> array:
    """The file's sound as 8 kHz mono 16-bit samples (8 per millisecond)."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=8000)
    found = array("h")
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            for converted in resampler.resample(frame):
                found.frombytes(bytes(converted.planes[0])[: converted.samples * 2])
    return found


def loudness(sound: array, start_ms: int = 0, length_ms: int | None = None) -> float:
    """Mean absolute sample from ``start_ms`` for ``length_ms`` (to the end when ``None``)."""
    first = start_ms * 8
    window = sound[first : first + 8 * length_ms] if length_ms else sound[first:]
    return sum(abs(s) for s in window) / max(1, len(window))
