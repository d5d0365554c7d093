"""Synthesis under load (issue 18): on its own pool of about one job per core, identical
prompts made once, and the agent's clips drawn small (the render scales them)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.media.probe import probe
from nemo_mock.mock_server.settings import Settings
from nemo_mock.mock_server.sse import turns
from nemo_mock.mock_server.sse.turns import SYNTHESIS_WORKERS
from tests.conftest import Api
from tests.helpers.seed_flow import turn
from tests.helpers.turns import GENERATE, World

SUBJECTS = (
    "a lake", "a desert", "a forest", "the sea", "a city", "snow", "a market", "rain",
    "the sky", "a river", "a meadow", "a harbour",
)  # fmt: skip


def test_no_more_syntheses_run_at_once_than_the_pool_allows(tmp_path, monkeypatch):
    running = peak = 0
    lock = threading.Lock()

    def slow_make(spec, path: Path) -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.5)  # longer than planning a turn: the turns' syntheses overlap
        path.write_bytes(b"clip")
        with lock:
            running -= 1

    monkeypatch.setattr(turns, "_make", slow_make)
    world = World(tmp_path)
    sessions = [world.backend.create_session(world.token, "me", f"p{i}", "en") for i in range(12)]

    async def scenario() -> list[list[dict]]:
        return await asyncio.gather(
            *(world.turn(f"make me a 10-second video of {SUBJECTS[i]}", s)
              for i, s in enumerate(sessions))
        )  # fmt: skip

    results = asyncio.run(scenario())
    assert all(any(e.get("type") == "tool_result" for e in r) for r in results)
    assert peak == SYNTHESIS_WORKERS  # the pool was full, and never more than full
    assert SYNTHESIS_WORKERS >= 2


def test_one_users_queued_generations_do_not_starve_anothers(tmp_path, monkeypatch):
    """User A opens a generation on each of many sessions, then user B opens one: B's media
    is made among the first jobs, not after all of A's (a FIFO pool made it wait for every
    clip and voiceover A had queued)."""
    started: list[str] = []
    lock = threading.Lock()

    def slow_make(spec, path: Path) -> None:
        with lock:
            started.append(spec.media_id)
        time.sleep(0.3)
        path.write_bytes(b"media")

    monkeypatch.setattr(turns, "_make", slow_make)
    world = World(tmp_path)
    a_sessions = [
        world.backend.create_session(world.token, "me", f"a{i}", "en")
        for i in range(min(5 * SYNTHESIS_WORKERS, len(SUBJECTS)))
    ]
    b_token, _ = world.backend.issue_anonymous_token("client-b", "127.0.0.2")
    b_session = world.backend.create_session(b_token, "me", "b", "en")

    async def drain(turn: turns.Turn) -> list[object]:
        return [event async for event in turn.stream()]

    async def scenario() -> None:
        opened = [
            await world.runner.open(
                world.token, "me", s.session_id, f"make me a 10-second video of {SUBJECTS[i]}"
            )
            for i, s in enumerate(a_sessions)
        ]
        opened.append(
            await world.runner.open(
                b_token, "me", b_session.session_id, "make me a 10-second video of a volcano"
            )
        )
        await asyncio.gather(*(drain(turn) for turn in opened))

    asyncio.run(scenario())
    b_media = {str(entry["id"]) for entry in b_session.state.generated_media}
    a_media = {str(e["id"]) for s in a_sessions for e in s.state.generated_media}
    assert b_media and len(a_media) >= len(a_sessions)  # every turn made its media
    assert sorted(started) == sorted(a_media | b_media)
    first_b = min(i for i, media_id in enumerate(started) if media_id in b_media)
    # round-robin: B's first job is taken as soon as a worker frees up; a FIFO took it
    # after all of A's (at position len(a_media) or later)
    assert first_b <= 2 * SYNTHESIS_WORKERS, (first_b, len(a_media), started)


@pytest.mark.ffmpeg
def test_the_same_prompt_in_two_sessions_is_synthesised_once(tmp_path):
    world = World(tmp_path)
    other = world.backend.create_session(world.token, "me", "q", "en")
    asyncio.run(world.turn(GENERATE))
    asyncio.run(world.turn(GENERATE, other))
    clips = [
        Path(entry["path"])
        for session in (world.session, other)
        for entry in session.state.generated_media
        if entry["kind"] == "clip"
    ]
    assert len(clips) == 2 and clips[0] != clips[1]
    assert clips[0].read_bytes() == clips[1].read_bytes()
    assert world.runner.synthesis_cache.hits >= 1


@pytest.mark.ffmpeg
def test_the_agents_clip_is_drawn_small_in_the_canvas_shape(tmp_path):
    world = World(tmp_path)
    asyncio.run(world.turn(GENERATE))
    entry = next(e for e in world.session.state.generated_media if e["kind"] == "clip")
    found = probe(Path(entry["path"]))
    assert max(found.width, found.height) == 480
    assert found.width / found.height == pytest.approx(entry["width"] / entry["height"], 0.02)
    assert found.duration == pytest.approx(entry["seconds"], abs=0.1)


def test_what_synthesis_needs_is_loaded_once_the_mock_serves(tmp_path):
    """Loaded by the first turn instead, it held every stream's keep-alives for seconds."""
    code = (
        "import sys; from fastapi.testclient import TestClient; "
        "from nemo_mock.mock_server.app import create_app; "
        "from nemo_mock.mock_server.settings import Settings; "
        f"app = create_app(Settings(data_dir={str(tmp_path)!r})); "
        "before = 'nemo_mock.mock_server.media.generated' in sys.modules\n"
        "import time\n"
        "wanted = ('nemo_mock.mock_server.media.generated',"
        " 'nemo_mock.mock_server.media.speech', 'av')\n"
        "with TestClient(app):\n"  # the lifespan starts the loading, no request is made
        "    for _ in range(1200):\n"
        "        if all(m in sys.modules for m in wanted): break\n"
        "        time.sleep(0.1)\n"
        "    print(before, all(m in sys.modules for m in wanted))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.ffmpeg
@pytest.mark.slow
def test_the_small_clip_fills_the_canvas_in_the_render(tmp_path):
    from nemo_mock.mock_server.render.plan import plan_render
    from nemo_mock.mock_server.render.runner import run_render
    from nemo_mock.mock_server.render.sources import resolver_for

    world = World(tmp_path)
    asyncio.run(world.turn("make me a 3-second sunset timelapse video"))
    draft = world.session.state.draft
    resolve = resolver_for(world.backend, world.session, tmp_path / "library")
    out = tmp_path / "out.mp4"
    run_render(plan_render(draft, resolve, out, quality="low"))
    found = probe(out)
    assert (found.width, found.height) == (draft.meta.width, draft.meta.height)
    # the clip fills the frame: a corner is the sunset's warm colour, not black bars
    red, _, blue = _corner_rgb(out, at_seconds=1.0)
    assert red > blue and red > 60


def _corner_rgb(path: Path, at_seconds: float) -> tuple[float, float, float]:
    """The mean colour of the frame's top-left 1/16 x 1/9 at ``at_seconds``."""
    import av

    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            if frame.time is not None and frame.time >= at_seconds:
                plane = frame.reformat(width=64, height=36, format="rgb24").planes[0]
                data = bytes(plane)
                pixels = b"".join(
                    data[y * plane.line_size : y * plane.line_size + 12] for y in range(4)
                )
                count = len(pixels) // 3
                red, green, blue = (sum(pixels[c::3]) / count for c in range(3))
                return red, green, blue
    raise AssertionError(f"no frame at {at_seconds}s in {path}")


@pytest.mark.ffmpeg
def test_two_mocks_given_one_synthesis_cache_make_a_clip_once(tmp_path):
    """``--synthesis-cache``: the second mock links the first one's clip (the same bytes)
    instead of making it again; without the setting each keeps its own."""
    shared = tmp_path / "shared"

    def clip_of(name: str, cache: Path | None) -> tuple[bytes, Any]:
        settings = Settings(
            data_dir=tmp_path / name, synthesis_cache=cache, time_scale=0, silent_rate=0,
            temp_issue_rate=0,
        )  # fmt: skip
        with TestClient(create_app(settings, clock=ManualClock())) as client:
            api = Api(client)
            headers = api.auth()
            sid = api.session(headers)["session_id"]
            turn(client, headers, sid, GENERATE)
            (clip,) = (tmp_path / name / "generated" / sid).glob("*.mp4")
            mock = client.app.state.mock  # type: ignore[attr-defined]
            return clip.read_bytes(), mock.turns.synthesis_cache

    first, first_cache = clip_of("a", shared)
    again, cache = clip_of("b", shared)
    assert (first_cache.misses, cache.hits, cache.misses) == (1, 1, 0)
    assert again == first and list(shared.iterdir())
    _, own_cache = clip_of("c", None)
    assert own_cache.misses == 1 and own_cache.folder == tmp_path / "c" / "generated" / ".cache"
