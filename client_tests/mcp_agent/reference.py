"""The reference MCP agent (scripted, no LLM): follows every MCP rule of §7.

It uploads the task's files into a new project, saves a whole V3 draft against the version
of its last read (a conflict: the change applied to the returned template), looks at a
frame, delegates a title to the agent and polls the turn by ``turn_state`` without saving
meanwhile (answering a question once), generates music with an ``idempotency_key`` reused
only to retry, adds it, renders (Starter plan), polls the render and downloads the MP4 only
once ``get_render_status`` says completed. 402 and 403 are never retried.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import httpx

from nemo_mock.client_tests.mcp_agent.connection import Agent, Reply

CLIP_MS = 1500
FPS = 10
SIZE = (640, 360)
TITLE = "put a title 'Golden Hour' at the beginning"
#: A turn still running after this many polls is cancelled (and not waited for).
TURN_POLLS = 100
RENDER_POLLS = 600
POLL_S = 0.2
MAX_CONFLICTS = 3
#: Polls answered with an error in a row (each after Agent.call's retries) before giving up.
FAILED_POLLS = 2


class Refused(Exception):
    """A 402 or 403: deterministic, so the agent stops (exit 3)."""


class ReferenceAgent:
    def __init__(self, agent: Agent, files: list[Path], base_url: str, output: Path) -> None:
        self.agent = agent
        self.files = files
        self.base_url = base_url
        self.output = output
        self.project: dict[str, Any] = {}
        self.version = 0  # the latest version this agent was shown

    async def run(self) -> int:
        try:
            await self.make_project()
            assets = [await self.upload(f) for f in self.files]
            await self.read()
            await self.save(lambda t: with_track(t, video_track(assets), len(assets) * CLIP_MS))
            await self.agent.call("get_project_frame", {"project_id": self.pid, "frame": 0})
            await self.delegate(TITLE)
            music = await self.generate_music(len(assets) * CLIP_MS)
            await self.read()
            if music is not None:
                await self.save(lambda t: with_track(t, music_track(music, self.duration(t))))
            return await self.render()
        except Refused as exc:
            self.agent.log(f"stopped: {exc}")
            return 3

    @property
    def pid(self) -> str:
        return str(self.project["project_id"])

    def seen(self, reply: Reply, key: str = "version") -> None:
        source = reply.data if reply.data is not None else reply.error or {}
        value = source.get(key)
        if isinstance(value, int):
            self.version = value

    def refuse_if_final(self, reply: Reply) -> None:
        if reply.status in (402, 403):
            raise Refused(f"{reply.status}: {reply.error and reply.error.get('message')}")

    async def make_project(self) -> None:
        width, height = SIZE
        args = {"name": "check-client", "width": width, "height": height, "fps": FPS}
        reply = await self.agent.call("create_video_project", args)
        self.refuse_if_final(reply)
        assert reply.data is not None, reply.error
        self.project = reply.data
        self.seen(reply)

    async def upload(self, path: Path) -> dict[str, Any]:
        url = f"{self.base_url}/{path.name}"
        reply = await self.agent.call("upload_asset", {"download_url": url, "project_id": self.pid})
        self.refuse_if_final(reply)
        assert reply.data is not None, reply.error
        self.seen(reply, "project_version")
        return reply.data

    async def read(self) -> str:
        reply = await self.agent.call("get_video_project", {"project_id": self.pid})
        assert reply.data is not None, reply.error
        self.seen(reply)
        return str(reply.data["main_template"])

    async def save(self, change: Any) -> None:
        """Apply ``change`` to the template of the last read and save it against that read's
        version; on a conflict, apply it to the template the conflict returned."""
        template = change(await self.read())
        for _ in range(MAX_CONFLICTS):
            args = {
                "project_id": self.pid,
                "session_id": self.project["session_id"],
                "main_template": template,
                "base_version": self.version,
            }
            reply = await self.agent.call("save_v3_draft", args)
            if reply.data is not None:
                self.seen(reply)
                return
            self.refuse_if_final(reply)
            if reply.error is None or reply.error.get("code") != "version_conflict":
                raise RuntimeError(f"save refused: {reply.error}")
            self.seen(reply, "current_version")
            template = change(str(reply.error["main_template"]))
        raise RuntimeError("the draft kept moving: gave up saving")

    async def delegate(self, message: str, answered: bool = False) -> None:
        args = {
            "session_id": self.project["session_id"],
            "message": message,
            "turn_id": f"turn-{uuid.uuid4().hex[:12]}",
        }
        reply = await self.agent.call("delegate_to_nemo_agent", args)
        self.refuse_if_final(reply)
        if reply.data is None:
            return  # e.g. a turn already running (nothing accepted): carry on without it
        turn, over = await self.poll(
            "get_nemo_agent_turn",
            {"turn_id": reply.data["turn_id"]},
            reply.data,
            lambda t: t["turn_state"] == "running",
            TURN_POLLS,
        )
        if not over:  # stuck, or its polls refused: cancel it (and never save meanwhile)
            await self.agent.call("cancel_nemo_agent_turn", {"turn_id": turn["turn_id"]})
            return
        if turn["turn_state"] == "awaiting_input" and not answered:
            await self.delegate(TITLE, answered=True)

    async def generate_music(self, length_ms: int) -> str | None:
        args = {
            "kind": "music",
            "prompt": "calm ambient background",
            "duration_seconds": max(1, length_ms // 1000),
            "idempotency_key": f"music-{uuid.uuid4().hex}",
            "project_id": self.pid,
        }
        reply = None
        for _ in range(3):  # a retry of the same request reuses its key
            try:  # (a retryable tool error is retried, same key, by Agent.call)
                reply = await self.agent.call("generate_audio", args)
            except Exception as exc:  # a dropped answer: retry with the same key
                self.agent.log(f"generate_audio: no answer ({exc}); retrying the same key")
                continue
            break
        if reply is None or reply.data is None:
            return None  # 402/403 or refused: go on without music, never retried
        generation, _ = await self.poll(
            "get_generation_status",
            {"generation_id": reply.data["generation_id"]},
            reply.data,
            lambda g: g["status"] not in ("completed", "failed"),
            RENDER_POLLS,
        )
        return generation.get("url") if generation["status"] == "completed" else None

    def duration(self, template: str) -> int:
        found = re.search(r'<draft[^>]*\bduration="(\d+)"', template)
        return int(found.group(1)) if found else len(self.files) * CLIP_MS

    async def render(self) -> int:
        for _attempt in range(2):  # a failed render is retried once
            reply = await self.agent.call("render_video", {"project_id": self.pid})
            self.refuse_if_final(reply)
            assert reply.data is not None, reply.error
            job, over = await self.poll(
                "get_render_status",
                {"render_id": reply.data["render_id"]},
                reply.data,
                lambda j: j["status"] not in ("completed", "failed", "cancelled"),
                RENDER_POLLS,
            )
            if not over:
                return 2  # never finished, or get_render_status kept refusing: give up
            if job["status"] == "completed" and job.get("download_url"):
                await self.download(job["download_url"])
                return 0
        return 2

    async def poll(
        self,
        tool: str,
        args: dict[str, Any],
        state: dict[str, Any],
        running: Callable[[dict[str, Any]], bool],
        limit: int,
    ) -> tuple[dict[str, Any], bool]:
        """Poll ``tool`` every ``POLL_S`` while ``running(state)``: ``(state, True)`` once it
        stops, ``(state, False)`` after ``limit`` polls or ``FAILED_POLLS`` refused polls in
        a row (each already retried by ``Agent.call``)."""
        failures = 0
        for _ in range(limit):
            if not running(state):
                return state, True
            await anyio.sleep(POLL_S)
            reply = await self.agent.call(tool, args)
            if reply.data is not None:
                failures, state = 0, reply.data
                continue
            failures += 1
            if failures >= FAILED_POLLS:
                break
        return state, not running(state)

    async def download(self, url: str) -> None:
        async with httpx.AsyncClient(timeout=120) as http:
            response = await http.get(url)
            response.raise_for_status()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.output.write_bytes(response.content)


# -- the change: tracks applied to whatever template is current ------------------------
def video_track(assets: list[dict[str, Any]]) -> str:
    clips = []
    for i, asset in enumerate(assets):
        tag = "video" if asset["kind"] == "video" else "image"
        start, end = i * CLIP_MS, (i + 1) * CLIP_MS
        source = ' source-start="0"' if tag == "video" else ""
        clips.append(
            f'<clip id="shot{i}" in="{start}" out="{end}"{source}><{tag} src="{asset["url"]}"/>'
            "</clip>"
        )
    return f'<track id="shots" type="video">{"".join(clips)}</track>'


def music_track(url: str, length_ms: int) -> str:
    return (
        f'<track id="music" type="bgm"><clip id="music0" in="0" out="{length_ms}">'
        f'<audio src="{url}"/></clip></track>'
    )


def with_track(template: str, track: str, duration: int | None = None) -> str:
    """``template`` with ``track`` in place of a track of the same id (or added last)."""
    ident = re.search(r'id="([^"]+)"', track)
    assert ident is not None
    pattern = re.compile(rf'<track id="{re.escape(ident.group(1))}"[^>]*>.*?</track>', re.S)
    if pattern.search(template):
        template = pattern.sub(lambda _: track, template, count=1)
    else:
        anchor = "<transitions" if "<transitions" in template else "</draft>"
        template = template.replace(anchor, f"{track}\n{anchor}", 1)
    if duration is not None:
        template = re.sub(
            r'(<draft[^>]*\bduration=")\d+(")', rf"\g<1>{duration}\2", template, count=1
        )
    return template
