"""Billed, asynchronous generations (``generate_video`` / ``generate_audio``) with
``idempotency_key`` semantics: the same key and request is the same generation, charged once;
the same key with another request is refused; a new key is a new charge.

Credits are frozen when the generation starts (402 when they do not suffice) and settled when
its media is made (released if it fails). A generation tied to a project adds its media to the
project's session, which moves the project's version (a background write).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Any, Literal

import anyio.to_thread

from nemo_mock.mock_server.domain.errors import BadRequest, NotFound
from nemo_mock.mock_server.domain.generations import Generation

log = logging.getLogger("nemo_mock.mcp")
COSTS = {"video": 100, "audio": 20}
SIZES = {"16:9": (640, 360), "9:16": (360, 640), "1:1": (480, 480)}
MOOD_WORDS = {
    "romantic": ("romantic", "love", "wedding"),
    "lofi": ("lofi", "lo-fi", "chill"),
    "upbeat": ("upbeat", "happy", "energetic", "dance"),
    "cinematic": ("cinematic", "epic", "dramatic", "trailer"),
    "calm": ("calm", "ambient", "soft", "relax"),
}


class GenerationService:
    def __init__(self, mcp: Any, folder: Path) -> None:
        self._mcp = mcp
        self._folder = folder
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def _table(self) -> dict[str, Generation]:
        table: dict[str, Generation] = self._mcp.tables.generations
        return table

    def start(self, who: Any, request: dict[str, Any]) -> Generation:
        key = request["idempotency_key"]
        fingerprint = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
        for earlier in self._table.values():
            if earlier.user_id == who.user_id and earlier.idempotency_key == key:
                if earlier.fingerprint != fingerprint:
                    raise BadRequest(
                        f"idempotency_key {key[:80]!r} was used for a different request: reuse "
                        "a key only to retry the same request; a new request needs a new key"
                    )
                return earlier
        project = self._mcp.project(who, request["project_id"]) if "project_id" in request else None
        generation = self._new(who, request, fingerprint, project)
        reason = f"{generation.kind} generation"  # "not enough credits for audio generation"
        generation.hold = self._mcp.backend.reserve_credits(who.token(), generation.cost, reason)
        self._table[generation.generation_id] = generation
        task = asyncio.create_task(self._make(generation))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return generation

    def _new(self, who: Any, request: dict[str, Any], fingerprint: str, project: Any) -> Generation:
        rng = self._mcp.backend.rng
        kind: Literal["video", "audio"] = "audio" if "kind" in request else "video"
        subtype = request.get("kind", "clip")
        default = 5.0 if kind == "video" else 6.0 if subtype != "sfx" else 3.0
        width, height = SIZES[request.get("aspect_ratio", "16:9")] if kind == "video" else (0, 0)
        return Generation(
            generation_id=f"gen_{rng.getrandbits(64):016x}",
            user_id=who.user_id,
            kind=kind,
            subtype=subtype,
            prompt=request["prompt"],
            seconds=float(request.get("duration_seconds", default)),
            idempotency_key=request["idempotency_key"],
            fingerprint=fingerprint,
            cost=COSTS[kind],
            seed=rng.getrandbits(31),
            width=width,
            height=height,
            project_id=project.project_id if project else None,
        )

    def get(self, who: Any, generation_id: str) -> Generation:
        found = self._table.get(generation_id)
        if found is None or found.user_id != who.user_id:
            raise NotFound(f"no generation {generation_id[:64]!r} of this account")
        return found

    def media_entry(self, user_id: str, generation_id: str) -> dict[str, Any] | None:
        found = self._table.get(generation_id)
        if found is None or found.user_id != user_id or found.status != "completed":
            return None
        return found.media_entry()

    def listing(self, user_id: str) -> list[dict[str, Any]]:
        return [g.to_json() for g in self._table.values() if g.user_id == user_id]

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _make(self, generation: Generation) -> None:
        ledger = self._mcp.backend.ledger
        generation.status, generation.progress = "running", 0.1
        try:
            path = await anyio.to_thread.run_sync(self._synthesize, generation)
        except Exception as exc:
            log.exception("generation %s failed", generation.generation_id)
            generation.status, generation.error = "failed", f"generation failed: {exc}"[:300]
            if generation.hold is not None:
                ledger.release(generation.hold.hold_id)
            return
        generation.path, generation.progress = str(path), 1.0
        if generation.hold is not None:
            ledger.settle(generation.hold.hold_id)
        generation.status = "completed"
        self._land_in_project(generation)

    def _land_in_project(self, generation: Generation) -> None:
        if generation.project_id is None:
            return
        project = self._mcp.tables.projects.get(generation.project_id)
        if project is None:
            return
        session = self._mcp.session_of(project)
        session.state.generated_media.append(generation.media_entry())
        session.touch()
        self._mcp.sync(project)

    def _synthesize(self, generation: Generation) -> Path:
        from nemo_mock.mock_server.media.generated import (
            music_track,
            synthesize_clip,
            synthesize_voiceover,
        )

        self._folder.mkdir(parents=True, exist_ok=True)
        if generation.kind == "video":
            path = self._folder / f"{generation.generation_id}.mp4"
            return synthesize_clip(
                path,
                prompt=generation.prompt,
                seconds=generation.seconds,
                width=generation.width,
                height=generation.height,
                seed=generation.seed,
            )
        path = self._folder / f"{generation.generation_id}.m4a"
        if generation.subtype == "speech":
            return synthesize_voiceover(path, text=generation.prompt, seconds=generation.seconds)
        library = self._mcp.mock.renders.library_dir
        seconds = max(3.0, generation.seconds)
        track = music_track(_mood(generation.prompt), library, seconds=seconds)
        target = path.with_suffix(track.suffix)
        shutil.copyfile(track, target)
        return target


def _mood(prompt: str) -> str:
    lowered = prompt.lower()
    for mood, words in MOOD_WORDS.items():
        if any(word in lowered for word in words):
            return mood
    return "calm"
