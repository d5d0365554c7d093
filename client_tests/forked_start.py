"""Mocks forked from a warm process instead of started from a cold interpreter.

A ``nemo-mock serve`` start spends most of its CPU importing (FastAPI, pydantic, the mock's
own modules: about 0.6 of 0.9 CPU-s). A suite that starts a hundred mocks pays that a
hundred times. With ``NEMO_FORKED_MOCKS=1`` in the environment, ``start_mock``
(``live_mock.py``) asks multiprocessing's *forkserver* instead: a clean, single-threaded
process that imported those modules once (``preload()``) forks each new mock, which then runs
the very ``nemo-mock serve`` command line with its own environment, working directory and
output pipe. The mock is a real process with its own pid and children, stopped by the same
signals; only the import is shared. Where the forkserver is not available (Windows), or
without the variable, a mock is a plain ``subprocess``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from typing import IO


def preload() -> list[str]:
    """What the forkserver imports once for every mock it forks (the surfaces are read when a
    forkserver starts, not when this module is imported: every client of ``live_mock``
    imports it)."""
    from nemo_mock.mock_server.edge.surfaces import SURFACES

    return [
        "nemo_mock.mock_server.cli",
        "nemo_mock.mock_server.app",
        # the surfaces, whose routers are built as they are imported: ``create_app`` would
        # otherwise import them in every mock
        *(surface.package for surface in SURFACES),
        # the MCP SDK, which a mock otherwise loads with its first MCP request (~0.5 CPU-s)
        "nemo_mock.mock_server.surfaces.mcp.sdk",
        # last: start-up caches filled, the heap frozen (``forkserver_warmup.py``)
        "nemo_mock.client_tests.forkserver_warmup",
    ]


#: The environment variable that turns forked starts on.
SWITCH = "NEMO_FORKED_MOCKS"

_context: ForkServerContext | None = None


def forking() -> bool:
    """Whether ``start_mock`` forks its mocks here: asked for, possible, and safe (a forked
    process imports the parent's main module again unless it is a package's ``__main__`` or
    has no file, as pytest-xdist's workers; a main script would run twice)."""
    return (
        os.environ.get(SWITCH) == "1"
        and "forkserver" in multiprocessing.get_all_start_methods()
        and not _main_runs_again()
    )


def _main_runs_again() -> bool:
    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None)
    if name is not None:
        return not (name == "__main__" or name.endswith(".__main__"))
    return getattr(main, "__file__", None) is not None


def _forkserver() -> ForkServerContext:
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        assert isinstance(context, ForkServerContext)
        context.set_forkserver_preload(preload())
        _context = context
    return _context


class ForkedProcess:
    """The parts of ``subprocess.Popen`` a ``LiveMock`` and its tests use, over a forked
    ``multiprocessing`` process (its exit status comes through the forkserver)."""

    def __init__(self, process: multiprocessing.process.BaseProcess, stdout: IO[str]) -> None:
        self._process = process
        self.stdout: IO[str] | None = stdout
        self.args = process.name

    @property
    def pid(self) -> int:
        pid = self._process.pid
        assert pid is not None
        return pid

    @property
    def returncode(self) -> int | None:
        return self._process.exitcode

    def poll(self) -> int | None:
        return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        code = self._process.exitcode
        if code is None:
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        return code

    def send_signal(self, sig: int) -> None:
        """Signal the process unless it is known to have ended; as ``Popen.send_signal``, a
        process that ended before its end was known is no error (the forkserver, not this
        process, reaps it: its pid may be gone before its exit status has come through)."""
        if self._process.exitcode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def fork_serve(argv: Sequence[str], env: dict[str, str]) -> ForkedProcess:
    """``nemo-mock <argv>`` in a process forked from the warm forkserver, its output
    (stdout and stderr) on a pipe read as text, as ``subprocess.Popen`` would give it."""
    read_fd, write_fd = os.pipe()
    writer = Connection(write_fd, readable=False)
    process = _forkserver().Process(
        target=_serve,
        args=(list(argv), env, os.getcwd(), writer),
        name=f"nemo-mock {' '.join(argv)}",
        daemon=False,
    )
    try:
        process.start()
    finally:
        writer.close()  # the child holds its own copy: the pipe ends when the child does
    return ForkedProcess(process, os.fdopen(read_fd, "r", encoding="utf-8", errors="replace"))


def _serve(argv: list[str], env: dict[str, str], cwd: str, output: Connection) -> None:
    """In the forked child: the caller's environment, folder and pipe, then the command."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os.dup2(output.fileno(), 1)
    os.dup2(output.fileno(), 2)
    output.close()
    sys.argv = ["nemo-mock", *argv]
    from nemo_mock.mock_server.cli import main

    main(argv)  # its SystemExit becomes the exit status, as for the command line
