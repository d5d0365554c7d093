"""Render jobs as the backend tracks them: who asked, for which draft, how far it got.

A job is keyed by (user, render id): ids are unique per user, and another
user's job is indistinguishable from a missing one. Status only moves
forward: pending → processing → completed | failed | cancelled. The work
itself (ffmpeg) happens elsewhere and reports back through ``RenderBook``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

from nemo_mock.mock_server.domain.changes import Watched
from nemo_mock.mock_server.domain.clock import Clock
from nemo_mock.mock_server.domain.drafts import Draft
from nemo_mock.mock_server.domain.errors import Conflict, ExportBlocked, NotFound

#: A render's quality, from the best picture to the quickest encode (the encoder settings of
#: each: ``render/quality.py``).
Quality = Literal["high", "medium", "low"]

ATTRIBUTION_HEADERS = ("X-Skill-Source", "X-Skill-Version", "X-Skill-Platform")
START_PROGRESS = 5


class RenderStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (RenderStatus.COMPLETED, RenderStatus.FAILED, RenderStatus.CANCELLED)


@dataclass
class RenderJob(Watched):
    render_id: str
    user_id: str
    session_id: str
    draft: Draft
    quality: str
    output_key: str
    created_at: datetime
    status: RenderStatus = RenderStatus.PENDING
    progress: int = START_PROGRESS
    started_at: datetime | None = None
    completed_at: datetime | None = None
    error: str | None = None
    output_path: str | None = None
    output_size: int | None = None
    output_duration: float | None = None
    cancel_requested: threading.Event = field(default_factory=threading.Event)


def check_attribution(headers: Mapping[str, str | None]) -> None:
    """Exports need all three attribution headers (§2); without them: HTTP 402."""
    missing = [name for name in ATTRIBUTION_HEADERS if not (headers.get(name) or "").strip()]
    if missing:
        raise ExportBlocked(
            "free plan export blocked: the request lacks "
            + ", ".join(missing)
            + " (every request must carry X-Skill-Source, X-Skill-Version and X-Skill-Platform);"
            " this is not a credit problem"
        )


class RenderBook:
    def __init__(self, jobs: dict[tuple[str, str], RenderJob], clock: Clock) -> None:
        self._jobs = jobs
        self._clock = clock
        self._lock = threading.Lock()

    def create(self, job: RenderJob) -> RenderJob:
        with self._lock:
            key = (job.user_id, job.render_id)
            if key in self._jobs:
                raise Conflict(
                    f"render id {job.render_id!r} is already used: send a new unique id "
                    "(e.g. render_<epoch ms>)"
                )
            self._jobs[key] = job
        return job

    def get(self, user_id: str, render_id: str) -> RenderJob:
        job = self._jobs.get((user_id, render_id))
        if job is None:
            raise NotFound(f"no render job {render_id[:128]!r}")
        return job

    def start(self, job: RenderJob) -> bool:
        """Mark a pending job as processing; False if it was cancelled meanwhile."""
        with self._lock:
            if job.status is not RenderStatus.PENDING:
                return False
            job.status = RenderStatus.PROCESSING
            job.started_at = self._clock.now()
            return True

    def advance(self, job: RenderJob, fraction: float) -> None:
        """Progress from the encoder: 5 % at start, at most 99 % until the file is done."""
        if job.status is RenderStatus.PROCESSING:
            value = START_PROGRESS + int((100 - START_PROGRESS) * min(max(fraction, 0.0), 1.0))
            job.progress = max(job.progress, min(value, 99))

    def complete(self, job: RenderJob, path: str, size: int, duration: float) -> None:
        with self._lock:
            if job.status.finished:
                return
            job.status, job.progress = RenderStatus.COMPLETED, 100
            job.output_path, job.output_size, job.output_duration = path, size, duration
            job.completed_at = self._clock.now()

    def fail(self, job: RenderJob, reason: str) -> None:
        with self._lock:
            if job.status.finished:
                return
            job.status, job.error = RenderStatus.FAILED, reason
            job.completed_at = self._clock.now()

    def cancel(self, job: RenderJob) -> RenderJob:
        with self._lock:
            if job.status.finished:
                raise Conflict(f"render {job.render_id!r} already ended ({job.status.value})")
            job.status = RenderStatus.CANCELLED
            job.completed_at = self._clock.now()
            job.cancel_requested.set()
        return job

    def cancel_all(self) -> None:
        """Ask every job to stop (at shutdown or reset): running ones end, queued ones never
        start."""
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.cancel_requested.set()

    def of_user(self, user_id: str) -> list[RenderJob]:
        return [job for (owner, _), job in self._jobs.items() if owner == user_id]
