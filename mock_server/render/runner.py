"""``run_render``: run a :class:`RenderPlan` with progress, cancellation and a time limit."""

from __future__ import annotations

import queue
import secrets
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import IO

from nemo_mock.mock_server.media import children
from nemo_mock.mock_server.media.ffmpeg import FfmpegNotFound, resolve_ffmpeg
from nemo_mock.mock_server.render.errors import RenderCancelled, RenderFailed
from nemo_mock.mock_server.render.failure import explain
from nemo_mock.mock_server.render.plan import RenderPlan
from nemo_mock.mock_server.render.progress import ProgressTracker

POLL_SECONDS = 0.05
STDERR_LINES = 200

ProgressCallback = Callable[[float], None]


def run_render(
    plan: RenderPlan,
    *,
    ffmpeg: str | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    timeout: float | None = None,
) -> None:
    """Render ``plan`` to ``plan.output``, atomically.

    ``ffmpeg`` is a binary path, ``"bundled"`` or ``"system"`` (default: ``NEMO_MOCK_FFMPEG``,
    else the bundled build). ffmpeg writes to a temporary name next to the output, renamed on
    success. Progress (0..1, monotonic, 1.0 only once finished) is reported in the calling
    thread. Setting ``cancel`` kills ffmpeg promptly and raises :class:`RenderCancelled`; a
    non-zero exit or the ``timeout`` raises :class:`RenderFailed`. No partial file or caption
    file is left behind.
    """
    command = _command(_binary(ffmpeg), plan, partial := _partial_path(plan.output))
    plan.output.parent.mkdir(parents=True, exist_ok=True)
    try:
        for path, text in plan.text_files.items():
            path.write_text(text, encoding="utf-8", newline="\n")
        _execute(command, plan, on_progress, cancel, timeout)
        if not partial.is_file():
            raise RenderFailed("ffmpeg finished but wrote no output")
        partial.replace(plan.output)
    finally:
        partial.unlink(missing_ok=True)
        for path in plan.text_files:
            path.unlink(missing_ok=True)
    if on_progress is not None:
        on_progress(1.0)


def _binary(ffmpeg: str | None) -> str:
    """``ffmpeg`` is a path, ``"bundled"`` or ``"system"``; None means the configured default."""
    try:
        return resolve_ffmpeg(ffmpeg)
    except FfmpegNotFound as exc:
        raise RenderFailed(str(exc)) from exc


def _partial_path(output: Path) -> Path:
    return output.with_name(f".{output.stem}.{secrets.token_hex(4)}.partial.mp4")


def _command(binary: str, plan: RenderPlan, partial: Path) -> list[str]:
    if not plan.args or plan.args[-1] != str(plan.output):
        raise RenderFailed("the plan's arguments do not end with its output path")
    return [binary, "-progress", "pipe:1", "-nostats", *plan.args[:-1], str(partial)]


def _execute(
    command: list[str],
    plan: RenderPlan,
    on_progress: ProgressCallback | None,
    cancel: threading.Event | None,
    timeout: float | None,
) -> None:
    process = _spawn(command)
    tracker = ProgressTracker(plan.duration_ms)
    updates: queue.Queue[float] = queue.Queue()
    errors: deque[str] = deque(maxlen=STDERR_LINES)
    readers = _start_readers(process, tracker, updates, errors)
    try:
        _supervise(process, updates, on_progress, cancel, timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for reader in readers:
            reader.join(timeout=5)
    if process.returncode != 0:
        raise RenderFailed(explain(errors, command, plan.sources), command)


def _spawn(command: list[str]) -> subprocess.Popen[str]:
    try:
        return children.popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as exc:
        raise RenderFailed(f"cannot run ffmpeg: {exc}") from exc


def _start_readers(
    process: subprocess.Popen[str],
    tracker: ProgressTracker,
    updates: queue.Queue[float],
    errors: deque[str],
) -> list[threading.Thread]:
    def read_progress(stream: IO[str]) -> None:
        for line in stream:
            fraction = tracker.feed(line)
            if fraction is not None:
                updates.put(fraction)

    def read_errors(stream: IO[str]) -> None:
        errors.extend(stream)

    assert process.stdout is not None and process.stderr is not None
    readers = [
        threading.Thread(target=read_progress, args=(process.stdout,), daemon=True),
        threading.Thread(target=read_errors, args=(process.stderr,), daemon=True),
    ]
    for reader in readers:
        reader.start()
    return readers


def _supervise(
    process: subprocess.Popen[str],
    updates: queue.Queue[float],
    on_progress: ProgressCallback | None,
    cancel: threading.Event | None,
    timeout: float | None,
) -> None:
    """Relay progress until ffmpeg exits; stop it on cancel or when time runs out."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        if cancel is not None and cancel.is_set():
            raise RenderCancelled()
        if deadline is not None and time.monotonic() > deadline:
            raise RenderFailed(f"render timed out after {timeout:g}s")
        exited = process.poll() is not None
        try:
            fraction = updates.get(timeout=0 if exited else POLL_SECONDS)
        except queue.Empty:
            if exited:
                return
            continue
        if on_progress is not None:
            on_progress(fraction)
