"""Locating and running ffmpeg."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from nemo_mock.mock_server.media.ffmpeg import (
    FFMPEG_ENV_VAR,
    FfmpegError,
    FfmpegNotFound,
    resolve_ffmpeg,
    run_ffmpeg,
)


@pytest.fixture(autouse=True)
def _no_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FFMPEG_ENV_VAR, raising=False)


def _is_executable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def test_default_is_the_bundled_executable():
    exe = resolve_ffmpeg()
    assert _is_executable(exe)
    assert resolve_ffmpeg("bundled") == exe
    assert resolve_ffmpeg("") == exe


def test_system_without_ffmpeg_on_path_is_not_found(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(FfmpegNotFound, match="PATH"):
        resolve_ffmpeg("system")


def test_system_uses_the_one_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert resolve_ffmpeg("system") == str(fake)


def test_explicit_missing_path_is_not_found(tmp_path: Path):
    with pytest.raises(FfmpegNotFound, match="does not exist"):
        resolve_ffmpeg(str(tmp_path / "no-such-ffmpeg"))


def test_explicit_path_must_be_executable(tmp_path: Path):
    plain = tmp_path / "ffmpeg"
    plain.write_text("not a program")
    plain.chmod(0o644)
    if os.access(plain, os.X_OK):  # e.g. running as root on some filesystems
        pytest.skip("file system does not honour the executable bit")
    with pytest.raises(FfmpegNotFound, match="not executable"):
        resolve_ffmpeg(str(plain))


def test_environment_variable_is_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(FFMPEG_ENV_VAR, str(tmp_path / "missing"))
    with pytest.raises(FfmpegNotFound, match="missing"):
        resolve_ffmpeg()
    bundled = resolve_ffmpeg("bundled")
    monkeypatch.setenv(FFMPEG_ENV_VAR, bundled)
    assert resolve_ffmpeg() == bundled
    monkeypatch.setenv(FFMPEG_ENV_VAR, "system")
    monkeypatch.setenv("PATH", "")
    with pytest.raises(FfmpegNotFound):
        resolve_ffmpeg()


def test_explicit_setting_wins_over_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(FFMPEG_ENV_VAR, str(tmp_path / "missing"))
    assert _is_executable(resolve_ffmpeg("bundled"))


@pytest.mark.ffmpeg
def test_run_ffmpeg_succeeds(tmp_path: Path):
    out = tmp_path / "tone.wav"
    result = run_ffmpeg(["-f", "lavfi", "-i", "sine=d=0.1", str(out)])
    assert result.returncode == 0
    assert out.stat().st_size > 0


@pytest.mark.ffmpeg
def test_run_ffmpeg_failure_carries_stderr(tmp_path: Path):
    with pytest.raises(FfmpegError) as caught:
        run_ffmpeg(["-i", str(tmp_path / "does-not-exist.mp4"), str(tmp_path / "out.mp4")])
    assert "does-not-exist.mp4" in str(caught.value)
    assert caught.value.returncode != 0
    assert "No such file" in caught.value.stderr


@pytest.mark.ffmpeg
def test_run_ffmpeg_rejects_unknown_option(tmp_path: Path):
    with pytest.raises(FfmpegError, match="no-such-option"):
        run_ffmpeg(["-no-such-option", str(tmp_path / "out.mp4")])


def test_run_ffmpeg_with_missing_binary(tmp_path: Path):
    with pytest.raises(FfmpegNotFound):
        run_ffmpeg(["-version"], ffmpeg=str(tmp_path / "nope"))
