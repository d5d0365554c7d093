"""Start a mock (or any server that prints ``NEMO_API_URL=…``) as a real process on a free port.

Used by the project's live tests and benchmarks, and meant for users' own tests.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from nemo_mock.client_tests.forked_start import ForkedProcess, fork_serve, forking

URL_LINE = re.compile(r"NEMO_API_URL=(\S+)")
BANNER_END = "  seed "  # the last line of nemo-mock's start-up banner


#: A mock's process: started by ``subprocess``, or forked (``forked_start.py``).
MockProcess = subprocess.Popen[str] | ForkedProcess

#: Lines of output kept after the banner (the oldest are dropped).
KEPT_LINES = 2000


@dataclass
class LiveMock:
    """A running mock. ``stop()`` ends it (or use it as a context manager); one that is
    dropped without being stopped (a test that failed before its ``finally``, a script that
    forgot) is ended when it is collected, or when Python exits: no mock outlives its user."""

    url: str
    process: MockProcess
    banner: str
    ready_seconds: float
    #: What the process printed after its banner, read continuously so that it never blocks
    #: on a full pipe (the last ``KEPT_LINES`` lines).
    lines: deque[str] = field(default_factory=lambda: deque(maxlen=KEPT_LINES))
    _reader: threading.Thread | None = field(default=None, init=False, repr=False)
    _end: weakref.finalize[[MockProcess], LiveMock] | None = field(
        default=None, init=False, repr=False
    )

    def __post_init__(self) -> None:
        # the reader holds the stream and the lines, not this object, which can then be
        # collected while the mock runs
        self._reader = threading.Thread(target=_drain, args=(self.process, self.lines), daemon=True)
        self._reader.start()
        self._end = weakref.finalize(self, _end_process, self.process)

    def __enter__(self) -> LiveMock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def output(self) -> str:
        """The output after the banner so far (access log, warnings)."""
        return "".join(self.lines)

    def stop(self) -> None:
        if self._end is not None:
            self._end()  # once: a finaliser runs at most once
        if self._reader is not None:
            self._reader.join(timeout=5)  # output() then holds everything the process printed


def _drain(process: MockProcess, lines: deque[str]) -> None:
    if process.stdout is None:
        return
    for line in process.stdout:
        lines.append(line)


def _end_process(process: MockProcess) -> None:
    """Terminate the mock, and kill it if it has not ended 10 s later."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def launch(
    command: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 90
) -> LiveMock:
    """Run ``command``, read its banner up to the URL (and the banner's end), wait for health."""
    started = time.monotonic()
    process = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    return _ready(process, command, started, timeout)


def _ready(
    process: MockProcess, command: Sequence[str], started: float, timeout: float
) -> LiveMock:
    """The started process's banner read up to its URL, then its health awaited."""
    deadline = started + timeout
    url, banner = _read_banner(process, deadline)
    if url is None:
        process.kill()
        raise RuntimeError(f"{command[0]} printed no NEMO_API_URL line:\n{banner}")
    _wait_healthy(url, deadline)
    return LiveMock(url, process, banner, time.monotonic() - started)


def serve_args(*args: str) -> list[str]:
    """The arguments of ``nemo-mock`` for ``serve`` on a free port, quiet, with extra flags."""
    return ["serve", "--port", "0", "--log-level", "warning", *args]


def serve_command(*args: str) -> list[str]:
    """``nemo-mock serve`` on a free port, quiet, in this Python, with extra flags."""
    return [sys.executable, "-m", "nemo_mock", *serve_args(*args)]


def start_mock(
    *args: str,
    data_dir: Path | None = None,
    env: dict[str, str] | None = None,
    fork: bool | None = None,
) -> LiveMock:
    """``nemo-mock serve`` with ``args`` on a free port, ready. ``fork``: forked from a warm
    process (``forked_start.py``) or started cold; by default as ``NEMO_FORKED_MOCKS`` says."""
    extra = ["--data-dir", str(data_dir)] if data_dir is not None else []
    if forking() if fork is None else fork:  # the same command, forked from a warm process
        started = time.monotonic()
        argv = serve_args(*extra, *args)
        process = fork_serve(argv, {**os.environ, **(env or {})})
        return _ready(process, ["nemo-mock", *argv], started, timeout=90)
    return launch(serve_command(*extra, *args), env=env)


def _read_banner(process: MockProcess, deadline: float) -> tuple[str | None, str]:
    """The banner's lines up to its end. A process silent past ``deadline`` is killed (its
    output then ends); lines already printed are read whole even if the deadline passed
    while the first one was on its way (a slow start on a loaded machine)."""
    assert process.stdout is not None
    url, banner = None, ""
    watchdog = threading.Timer(max(deadline - time.monotonic(), 0), _kill_unless, (process,))
    watchdog.daemon = True
    watchdog.start()
    try:
        while line := process.stdout.readline():
            banner += line
            match = URL_LINE.search(line)
            url = match.group(1) if match else url
            if url and (line.startswith(BANNER_END) or "nemo-mock" not in banner):
                break
    finally:
        watchdog.cancel()
    return url, banner


def _kill_unless(process: MockProcess) -> None:
    """The watchdog: a process that has not finished its banner in time is killed."""
    if process.poll() is None:
        process.kill()


def _wait_healthy(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/_mock/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.005)
    raise RuntimeError(f"{url}/_mock/health did not answer 200 in time")
