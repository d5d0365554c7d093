"""Locate and run the ffmpeg binary used to generate and transform media."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import imageio_ffmpeg

from nemo_mock.mock_server.media import children

FFMPEG_ENV_VAR = "NEMO_MOCK_FFMPEG"
BUNDLED = "bundled"
SYSTEM = "system"
_STDERR_TAIL_LINES = 20


class FfmpegNotFound(RuntimeError):
    """The requested ffmpeg binary does not exist or cannot be executed."""


class FfmpegError(RuntimeError):
    """ffmpeg ran but exited with a non-zero status."""

    def __init__(self, message: str, *, returncode: int, stderr: str) -> None:
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


def resolve_ffmpeg(setting: str | None = None) -> str:
    """Return the path of the ffmpeg binary selected by ``setting``.

    ``setting`` is ``"bundled"`` (the imageio-ffmpeg static build, also the default),
    ``"system"`` (ffmpeg on ``PATH``) or an explicit path. When ``setting`` is None the
    ``NEMO_MOCK_FFMPEG`` environment variable is consulted first.
    """
    if setting is None:
        setting = os.environ.get(FFMPEG_ENV_VAR)
    choice = (setting or "").strip()
    if not choice or choice.lower() == BUNDLED:
        return _bundled_ffmpeg()
    if choice.lower() == SYSTEM:
        return _system_ffmpeg()
    return _explicit_ffmpeg(choice)


def _bundled_ffmpeg() -> str:
    try:
        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as exc:  # imageio-ffmpeg raises RuntimeError when missing
        raise FfmpegNotFound(f"bundled ffmpeg (imageio-ffmpeg) is not available: {exc}") from exc
    return str(exe)


def _system_ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if found is None:
        raise FfmpegNotFound(
            "ffmpeg setting is 'system' but no 'ffmpeg' executable was found on PATH; "
            f"install ffmpeg or set {FFMPEG_ENV_VAR}=bundled"
        )
    return found


def _explicit_ffmpeg(choice: str) -> str:
    path = Path(choice).expanduser()
    if not path.is_file():
        raise FfmpegNotFound(f"ffmpeg binary {str(path)!r} does not exist or is not a file")
    if not os.access(path, os.X_OK):
        raise FfmpegNotFound(f"ffmpeg binary {str(path)!r} is not executable")
    return str(path)


def run_ffmpeg(
    args: Sequence[str], *, ffmpeg: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ffmpeg quietly with ``args``; raise :class:`FfmpegError` on failure."""
    exe = ffmpeg if ffmpeg is not None else resolve_ffmpeg()
    command = [exe, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]
    try:
        completed = children.run(command, capture_output=True, text=True, timeout=timeout)
    except OSError as exc:
        raise FfmpegNotFound(f"cannot execute ffmpeg binary {exe!r}: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise FfmpegError(
            f"ffmpeg timed out after {timeout:g}s", returncode=-1, stderr=_as_text(exc.stderr)
        ) from exc
    if completed.returncode != 0:
        tail = _tail(completed.stderr)
        raise FfmpegError(
            f"ffmpeg exited with status {completed.returncode}:\n{tail}",
            returncode=completed.returncode,
            stderr=completed.stderr,
        )
    return completed


def _tail(text: str, lines: int = _STDERR_TAIL_LINES) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(kept[-lines:]) if kept else "(no output on stderr)"


def _as_text(data: str | bytes | None) -> str:
    if data is None:
        return ""
    if isinstance(data, bytes):
        return data.decode("utf-8", errors="replace")
    return data
