"""A real ``nemo-mock serve`` process on a free port, stopped by the fixture."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest


@dataclass
class LiveMock:
    url: str
    process: subprocess.Popen[str]
    banner: str
    ready_seconds: float


def start_mock(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> LiveMock:
    started = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mock_server",
            "serve",
            "--port",
            "0",
            "--log-level",
            "warning",
            "--data-dir",
            str(tmp_path / "data"),
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    assert process.stdout is not None
    banner = ""
    url = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        banner += line
        match = re.search(r"export NEMO_API_URL=(\S+)", line)
        url = match.group(1) if match else url
        if line.startswith("  seed "):  # the banner's last line
            break
    if url is None:
        process.kill()
        raise AssertionError(f"the mock printed no NEMO_API_URL line:\n{banner}")
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/_mock/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.02)
    return LiveMock(url, process, banner, time.monotonic() - started)


def stop_mock(mock: LiveMock) -> None:
    mock.process.terminate()
    try:
        mock.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        mock.process.kill()
        mock.process.wait()


@pytest.fixture
def live_mock(tmp_path: Path) -> Iterator[LiveMock]:
    mock = start_mock(tmp_path)
    yield mock
    stop_mock(mock)
