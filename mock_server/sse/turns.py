"""Agent turns: plan, charge, work, edit the session, and say so (or not).

``TurnRunner.open`` does everything that can refuse a turn before the stream
starts (1002, 2001: the cost is frozen then). The work itself runs as a
background task feeding a queue: the stream only reads the queue, so a client
that disconnects leaves the work running and the state still changes (§4.4).
Turns on one session run one after another; turns on different sessions run
concurrently. Their media is synthesised on a small pool that takes users in turn
(``media/fair.FairPool``): one user's many queued generations cannot starve another's.
Every random choice comes from a per-turn RNG derived from the
mock's seed, the session and the turn's number, so a turn replays exactly.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import os
import random
from collections.abc import AsyncIterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from nemo_mock.mock_server import __version__
from nemo_mock.mock_server.agent import MediaSpec, Plan, SessionView, Step, plan_turn
from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.pricing import TurnCharge, TurnWork
from nemo_mock.mock_server.domain.sessions import Session
from nemo_mock.mock_server.domain.tokens import AccessToken
from nemo_mock.mock_server.media.fair import FairPool
from nemo_mock.mock_server.media.synthesis_cache import SynthesisCache
from nemo_mock.mock_server.sse.events import AgentEvent, text, tool_call, tool_result
from nemo_mock.mock_server.sse.overrides import TurnOverrides
from nemo_mock.mock_server.sse.timing import Timing

log = logging.getLogger("nemo_mock.agent")

TEMPORARY_ISSUE = {
    "en": "I encountered a temporary issue. If anything looks wrong, please try again.",
    "zh": "我遇到了一个临时问题。如果有任何异常，请重试。",
}
FAILURE = {
    "en": "Sorry, something went wrong while working on your video. Nothing was charged.",
    "zh": "抱歉，处理视频时出错了。本次未扣除积分。",
}


@dataclass(frozen=True)
class TurnSettings:
    timing: Timing = field(default_factory=Timing)
    silent_rate: float = 0.3
    temp_issue_rate: float = 0.05
    seed: int = 0


TurnKind = Literal["generation", "edit", "text"]
#: Synthesis jobs at once, across all turns: about the core count.
SYNTHESIS_WORKERS = max(2, os.cpu_count() or 2)


class Turn:
    """One turn's events, queued by the work and read by the stream."""

    def __init__(
        self,
        session_id: str,
        number: int,
        kind: TurnKind = "text",
        busy_with: TurnKind | None = None,
        overrides: TurnOverrides | None = None,
    ) -> None:
        self.session_id = session_id
        self.number = number
        #: What this turn does, and what was already running on the session when it came.
        self.kind: TurnKind = kind
        self.busy_with = busy_with
        #: The plan's intent when the turn opened (``clarify``: the agent could not act).
        self.intent = ""
        self.language = "en"
        self.overrides = overrides or TurnOverrides()
        self.events: list[AgentEvent] = []
        self.done = asyncio.Event()
        self._queue: asyncio.Queue[AgentEvent | None] = asyncio.Queue()

    async def emit(self, event: AgentEvent) -> None:
        self.events.append(event)
        await self._queue.put(event)

    async def close(self) -> None:
        self.done.set()
        await self._queue.put(None)

    async def stream(self) -> AsyncIterator[AgentEvent]:
        while (event := await self._queue.get()) is not None:
            yield event


@dataclass(frozen=True)
class _Planned:
    """A turn's plan as its opening made it: on what it saw of the session, with the RNG
    that drew it (its later draws continue from there)."""

    view: SessionView
    plan: Plan
    rng: random.Random


class TurnRunner:
    def __init__(
        self,
        backend: NemoBackend,
        data_dir: Path,
        settings: TurnSettings | None = None,
        *,
        cache_dir: Path | None = None,
    ) -> None:
        self._backend = backend
        self._media_dir = data_dir / "generated"
        self.settings = settings or TurnSettings()
        self._locks: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._unfinished: dict[str, list[Turn]] = {}
        #: Synthesis (ffmpeg, speech) runs here, off the event loop and off the thread pool
        #: the web layer's sync work waits in, about one job (one clip or voiceover) per core,
        #: taken round-robin across users (a FIFO let one user's 30 clips hold back another's).
        self._synthesis = FairPool(SYNTHESIS_WORKERS, "synthesis")
        #: Identical media (same prompt, length, size, seed) is made once (media/synthesis_cache).
        self.synthesis_cache = SynthesisCache(cache_dir or self._media_dir / ".cache")

    def warm_up(self) -> Future[None]:
        """Load what a turn's synthesis needs (ffmpeg helpers, speech) on the synthesis pool,
        once the mock is serving (PyAV is loaded before it serves, ``media/preload.py``): the
        first turns then find it loaded. Loaded on the first turn instead, it held the event
        loop (and every stream's keep-alives) for seconds on a loaded machine."""
        return self._synthesis.submit("", _load_synthesis_modules)

    async def open(
        self,
        token: AccessToken,
        path_user: str,
        session_id: str,
        message: str,
        overrides: TurnOverrides | None = None,
    ) -> Turn:
        """Refuse the turn now (1002, 2001) or start it; ``overrides`` may force silence or
        text, or keep-alives only."""
        session, number = self._backend.next_turn(token, path_user, session_id)
        view, rng = self._view(session), self._rng(session, number)
        plan = plan_turn(message, view, rng)
        charge = self._backend.open_turn(token, session, _work(plan))
        busy_with = self.busy_with(session_id)
        turn = Turn(session.session_id, number, _kind(plan), busy_with, overrides)
        turn.intent, turn.language = plan.intent, plan.language
        self._unfinished.setdefault(session.session_id, []).append(turn)
        planned = _Planned(view, plan, rng)
        task = asyncio.create_task(self._play(turn, session, message, charge, planned))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return turn

    async def forget_all(self) -> None:
        """For a reset: stop every turn in progress (their holds vanish with the ledger)."""
        await self.stop()
        self._unfinished.clear()
        self._locks.clear()

    def busy_with(self, session_id: str) -> TurnKind | None:
        """What the session's unfinished turns are doing (a generation above all), if any."""
        kinds = {turn.kind for turn in self._unfinished.get(session_id, [])}
        order: tuple[TurnKind, ...] = ("generation", "edit", "text")
        return next((kind for kind in order if kind in kinds), None)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _play(
        self, turn: Turn, session: Session, message: str, charge: TurnCharge, planned: _Planned
    ) -> None:
        async with self._locks.setdefault(session.session_id, asyncio.Lock()):
            language = "en"
            try:
                # planned again on what the session is now (a turn before this one on the
                # same session may have changed it), unless it is what the opening saw: the
                # same plan, and the same draws after it, at no second cost (a turn's
                # opening holds the event loop; 1,000 at once held it for seconds)
                view = self._view(session)
                if planned.view == view:
                    plan, rng = planned.plan, planned.rng
                else:
                    rng = self._rng(session, turn.number)
                    plan = plan_turn(message, view, rng)
                language = plan.language
                await self._perform(turn, session, plan, rng)
                tools = tuple(dict.fromkeys(step.tool for step in plan.steps))
                self._backend.settle_turn(session, charge, turn.number, message, tools)
            except Exception:
                log.exception("turn %s of session %s failed", turn.number, session.session_id)
                self._backend.refund_turn(session, charge)
                await turn.emit(text(FAILURE.get(language, FAILURE["en"])))
            finally:
                unfinished = self._unfinished.get(session.session_id, [])
                if turn in unfinished:
                    unfinished.remove(turn)
                await turn.close()

    async def _perform(self, turn: Turn, session: Session, plan: Plan, rng: random.Random) -> None:
        timing, edit_only = self.settings.timing, all(s.kind == "edit" for s in plan.steps)
        silent = bool(plan.steps) and edit_only and rng.random() < self.settings.silent_rate
        if turn.overrides.silent is not None:
            silent = turn.overrides.silent  # decided for this turn; the odds were still drawn
        if not plan.steps:
            await timing.wait(timing.duration("text", rng), turn.emit)
            if not silent:
                await turn.emit(text(plan.reply))
        for step in plan.steps:
            await self._perform_step(turn, session, step, rng)
            if step.text and not silent:
                await turn.emit(text(step.text))
        if not silent and rng.random() < self.settings.temp_issue_rate:
            await turn.emit(text(TEMPORARY_ISSUE.get(plan.language, TEMPORARY_ISSUE["en"])))

    async def _perform_step(
        self, turn: Turn, session: Session, step: Step, rng: random.Random
    ) -> None:
        await turn.emit(tool_call(step.tool, step.args))
        paths = self._media_paths(session, step)
        making = asyncio.gather(
            *(
                asyncio.wrap_future(
                    self._synthesis.submit(
                        session.user_id, partial(self._obtain, spec, paths[spec.media_id])
                    )
                )
                for spec in step.media
            )
        )
        timing = self.settings.timing
        await timing.wait(timing.duration(step.kind, rng), turn.emit)
        await making
        generated = [{**e, "path": _path_of(paths, e)} for e in step.generated]
        self._backend.sessions.apply_edit(session, step.draft, step.canvas, generated)
        await turn.emit(tool_result(step.tool, step.result))

    def _media_paths(self, session: Session, step: Step) -> dict[str, Path]:
        """Where each of the step's clips and voiceovers goes (the state's entries say so)."""
        folder = self._media_dir / session.session_id
        suffix = {"clip": ".mp4"}
        return {
            s.media_id: folder / f"{s.media_id}{suffix.get(s.kind, '.m4a')}" for s in step.media
        }

    def _obtain(self, spec: MediaSpec, path: Path) -> None:
        """Make one clip or voiceover (or link it from the cache), on the synthesis pool."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # the mock's version in the key: a shared cache (--synthesis-cache) kept between
        # CI runs never hands a newer mock a clip an older one drew differently
        key = {**dataclasses.asdict(spec), "media_id": None, "version": 1, "mock": __version__}
        self.synthesis_cache.obtain(path, key, partial(_make, spec))

    def _view(self, session: Session) -> SessionView:
        state = session.state
        return SessionView(
            draft=state.draft,
            uploads=tuple(state.video_infos),
            canvas=(state.canvas.width, state.canvas.height),
            language=session.language,
            generated=tuple(state.generated_media),
            speech=_sentence_lengths,
        )

    def _rng(self, session: Session, number: int) -> random.Random:
        key = f"{self.settings.seed}:{session.session_id}:{number}".encode()
        return random.Random(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))


def _load_synthesis_modules() -> None:
    import nemo_mock.mock_server.media.generated
    import nemo_mock.mock_server.media.speech  # noqa: F401


def _make(spec: MediaSpec, path: Path) -> None:
    """Synthesise ``spec`` into ``path``: a clip as drawn (the render scales it to the
    canvas), or a voiceover."""
    from nemo_mock.mock_server.media.generated import synthesize_clip, synthesize_voiceover

    if spec.kind == "clip":
        synthesize_clip(
            path,
            prompt=spec.prompt,
            seconds=spec.seconds,
            width=spec.width,
            height=spec.height,
            seed=spec.seed,
            full_size=False,
        )
    else:
        starts = list(spec.starts_ms) or None
        synthesize_voiceover(path, text=spec.prompt, seconds=spec.seconds, starts_ms=starts)


def _path_of(paths: dict[str, Path], entry: dict[str, Any]) -> str | None:
    path = paths.get(str(entry.get("id")))
    return None if path is None else str(path)


def _kind(plan: Plan) -> TurnKind:
    kinds = {s.kind for s in plan.steps}
    return "generation" if "generation" in kinds else "edit" if kinds else "text"


def _work(plan: Plan) -> TurnWork:
    """What the plan does, as far as money goes (the domain prices it)."""
    generations = sum(1 for s in plan.steps if s.kind == "generation")
    edits = sum(1 for s in plan.steps if s.kind == "edit")
    return TurnWork(generations=generations, edits=edits, intent=plan.intent)


def _sentence_lengths(sentences: list[str]) -> list[int]:
    """The synthesiser's timing for the agent's captions (estimated when it cannot speak)."""
    from nemo_mock.mock_server.media.speech import SpeechUnavailable, sentence_lengths

    try:
        return sentence_lengths(sentences)
    except SpeechUnavailable:
        return [max(400, len(s.split()) * 400) for s in sentences]
