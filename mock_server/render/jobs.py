"""Render jobs in the background: a bounded pool of worker threads running ffmpeg.

``RenderService.submit`` records the job (the backend checks attribution,
session, draft and id) and queues it; a worker plans the ffmpeg graph, runs it
with progress reported into the job, and records the output or the reason it
failed. Cancelling sets the job's event; the runner kills ffmpeg.
"""

from __future__ import annotations

import logging
import shlex
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.renders import RenderJob
from nemo_mock.mock_server.domain.tokens import AccessToken
from nemo_mock.mock_server.media.fair import FairQueue
from nemo_mock.mock_server.render import RenderCancelled, RenderError, plan_render, run_render
from nemo_mock.mock_server.render.errors import RenderFailed
from nemo_mock.mock_server.render.overrides import RenderOverrides
from nemo_mock.mock_server.render.quality import Quality, capped
from nemo_mock.mock_server.render.sources import resolver_for

log = logging.getLogger("nemo_mock.render")

#: How far a job seems to get before a failure it was told to have.
FAILED_AT = 0.3
SLOW_POLL_SECONDS = 0.05
FAILED_COMMANDS_KEPT = 100


class RenderService:
    def __init__(
        self,
        backend: NemoBackend,
        data_dir: Path,
        *,
        workers: int = 1,
        ffmpeg: str | None = None,
        timeout: float = 900,
        quality_cap: Quality | None = None,
    ) -> None:
        self._backend = backend
        self._quality_cap = quality_cap
        self.output_dir = data_dir / "renders"
        self.library_dir = data_dir / "library"
        self._ffmpeg = ffmpeg
        self._timeout = timeout
        #: Round-robin across users: one user's 30 jobs never hold back another's one.
        self._queue: FairQueue[RenderJob] = FairQueue()
        self._worker_count = max(1, workers)
        self._workers: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._overrides: dict[tuple[str, str], RenderOverrides] = {}
        #: The ffmpeg command line of the last failed renders, by render id, for the
        #: dashboard (kept in memory, not in the state: it names the data dir's paths).
        self._failed_commands: dict[str, str] = {}
        #: Called once a job has ended (done, failed, cancelled) with nobody's request in
        #: flight: the durable store commits it (``Mock``), so a kill right after loses nothing.
        self.on_settled: Callable[[], object] | None = None

    def submit(
        self,
        token: AccessToken,
        headers: Mapping[str, str | None],
        body: Any,
        overrides: RenderOverrides | None = None,
    ) -> RenderJob:
        """Record and queue a job; ``overrides`` (fail, pending, slow) change how it ends."""
        job = self._backend.start_render(
            token,
            headers,
            render_id=body.id,
            session_id=body.session_id,
            draft=body.draft,
            quality=body.output.quality,
        )
        self.enqueue(job, overrides)
        return job

    def enqueue(self, job: RenderJob, overrides: RenderOverrides | None = None) -> None:
        """Queue a recorded job (``submit``'s, or one the MCP surface's render_video recorded
        itself); ``overrides`` (fail, pending, slow) change how it ends."""
        if overrides is not None and overrides.any:
            self._overrides[(job.user_id, job.render_id)] = overrides
        if overrides is not None and overrides.pending:
            return  # never queued: it stays pending until cancelled
        self._ensure_workers()
        self._queue.put(job)

    def _ensure_workers(self) -> None:
        """Workers start with the first job, so an app that never renders runs no threads."""
        with self._lock:
            while len(self._workers) < self._worker_count:
                worker = threading.Thread(
                    target=self._work, name=f"render-{len(self._workers)}", daemon=True
                )
                worker.start()
                self._workers.append(worker)

    def output_file(self, job: RenderJob) -> Path:
        return self.output_dir / job.output_key / f"{job.render_id}.mp4"

    def stop(self) -> None:
        """Cancel what runs, let the workers finish their current step, and end them."""
        self._backend.renders.cancel_all()
        for _ in self._workers:
            self._queue.put(None)
        for worker in self._workers:
            worker.join(timeout=10)

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                self._render(job)
            except Exception as exc:  # a worker must survive anything one job does
                log.exception("render %s crashed", job.render_id)
                self._backend.renders.fail(job, f"internal error in the mock: {type(exc).__name__}")
            self._settled(job)

    def _settled(self, job: RenderJob) -> None:
        if self.on_settled is None:
            return
        try:
            self.on_settled()
        except Exception:  # committed with the next request's answer instead
            log.exception("render %s: its end could not be committed yet", job.render_id)

    def forget_all(self) -> None:
        """For a reset: stop every job (queued ones never start) and drop pending overrides."""
        self._backend.renders.cancel_all()
        self._overrides.clear()
        self._failed_commands.clear()

    def _render(self, job: RenderJob) -> None:
        book = self._backend.renders
        if job.cancel_requested.is_set() or not book.start(job):
            return  # cancelled, or forgotten by a reset, while pending
        overrides = self._overrides.pop((job.user_id, job.render_id), None) or RenderOverrides()
        if overrides.fail is not None:
            book.advance(job, FAILED_AT)
            book.fail(job, overrides.fail)
            return
        slow = overrides.slow
        session = self._backend.session_of_render(job)
        canvas = (session.state.canvas.width, session.state.canvas.height)
        output = self.output_file(job)
        output.parent.mkdir(parents=True, exist_ok=True)
        try:
            plan = plan_render(
                job.draft,
                resolver_for(self._backend, session, self.library_dir),
                output,
                quality=capped(job.quality, self._quality_cap),  # type: ignore[arg-type]
                canvas=canvas,
            )
            run_render(
                plan,
                ffmpeg=self._ffmpeg,
                on_progress=lambda fraction: book.advance(job, self._held(job, fraction, slow)),
                cancel=job.cancel_requested,
                timeout=self._timeout,
            )
            if slow is not None:
                self._wait_until_due(job, slow)
        except RenderCancelled:
            return
        except RenderError as exc:
            if isinstance(exc, RenderFailed) and exc.command:
                self._remember_failed_command(job.render_id, exc.command)
            book.fail(job, exc.reason)
            return
        book.complete(job, str(output), output.stat().st_size, _duration(output))

    def failed_command(self, render_id: str) -> str | None:
        """The ffmpeg command line a failed render ran, if ffmpeg ran at all."""
        return self._failed_commands.get(render_id)

    def _remember_failed_command(self, render_id: str, command: list[str]) -> None:
        while len(self._failed_commands) >= FAILED_COMMANDS_KEPT:
            del self._failed_commands[next(iter(self._failed_commands))]
        self._failed_commands[render_id] = shlex.join(command)

    def _held(self, job: RenderJob, fraction: float, slow: float | None) -> float:
        """Progress as shown: no further than the share of ``slow`` seconds gone by."""
        if slow is None or job.started_at is None:
            return fraction
        elapsed = (self._backend.clock.now() - job.started_at).total_seconds()
        return min(fraction, elapsed / slow)

    def _wait_until_due(self, job: RenderJob, slow: float) -> None:
        """A slow job (fault) completes ``slow`` seconds after it started, on the mock clock."""
        while not job.cancel_requested.is_set():
            self._backend.renders.advance(job, self._held(job, 1.0, slow))
            if self._held(job, 1.0, slow) >= 1.0:
                return
            time.sleep(SLOW_POLL_SECONDS)
        raise RenderCancelled()


def _duration(path: Path) -> float:
    from nemo_mock.mock_server.media.probe import probe

    return round(probe(path).duration or 0.0, 3)
