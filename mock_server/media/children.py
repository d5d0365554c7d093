"""ffmpeg children never outlive the mock, and what a killed mock left behind is swept.

Every ffmpeg the mock runs is started by :func:`popen` (or :func:`run`). On Linux the kernel
is asked (``PR_SET_PDEATHSIG``, SIGKILL) to kill the child when the thread that started it
ends, which happens for every thread when the mock exits, even by ``kill -9``. The request
is made by util-linux's ``setpriv --pdeathsig KILL``, which then executes the command, so
that Python can start it with ``vfork`` and runs no code of its own between fork and exec:
a ``preexec_fn`` makes CPython ``fork`` the whole multi-threaded mock and run Python in the
child, and a library holding a lock at that instant (PyAV 18.1.1 did) left the child stuck
before exec. Only where ``setpriv`` cannot do it does ``die_with_parent`` run as the
``preexec_fn``. A graceful stop also cancels renders (the runner kills ffmpeg).
``sweep_leftovers`` removes, at start, the partial files a killed render or synthesis left
in a data dir and the temporary data dirs of mocks that are no longer running.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1
#: The prefix of a temporary data dir; the pid says whose it is.
TEMP_PREFIX = "nemo-mock-"
_TEMP_DIR = re.compile(rf"{TEMP_PREFIX}(\d+)-")
#: Files a render or a synthesis writes before renaming or removing them.
LEFTOVER_PATTERNS = (".*.partial.mp4", ".*.caption*.txt", ".partial-*")


def _pdeathsig() -> Callable[[], None] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    kill = int(signal.SIGKILL)

    def set_pdeathsig() -> None:  # runs in the child: nothing but the call
        prctl(PR_SET_PDEATHSIG, kill, 0, 0, 0)

    return set_pdeathsig


#: The ``preexec_fn`` that ties a child to its thread where ``setpriv`` cannot (None where
#: the OS has no such call).
die_with_parent = _pdeathsig()


#: ``launcher``'s answer once it is known (None: not yet).
_launcher: tuple[str, ...] | None = None


def launcher() -> tuple[str, ...]:
    """The words put before a command to tie it to its thread; () where none does it.

    ``setpriv --pdeathsig`` (util-linux 2.33 and later, on every Debian-based image) is tried
    once: an older ``setpriv``, busybox's or none at all gives (). A try the host could not
    run (out of descriptors or memory) says () this time and is made again next time.
    """
    global _launcher
    if _launcher is not None:
        return _launcher
    if not sys.platform.startswith("linux"):
        _launcher = ()
        return _launcher
    setpriv = shutil.which("setpriv")
    true = shutil.which("true")
    if setpriv is None or true is None:
        _launcher = ()
        return _launcher
    words = (setpriv, "--pdeathsig", "KILL", "--")
    try:
        tried = subprocess.run([*words, true], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()  # not known yet
    _launcher = words if tried.returncode == 0 else ()
    return _launcher


def forget_launcher() -> None:
    """Look for the launcher again at the next ``launcher()`` (a changed ``PATH``, a test)."""
    global _launcher
    _launcher = None


def popen(command: Sequence[str], **options: Any) -> subprocess.Popen[Any]:
    """``subprocess.Popen(command, **options)``, the child tied to the calling thread.

    A program that cannot be executed raises ``OSError`` here, as ``Popen`` itself would,
    not an exit status of the launcher's.
    """
    words = launcher()
    if not words:
        return subprocess.Popen(list(command), preexec_fn=die_with_parent, **options)
    _check_executable(command[0])
    return subprocess.Popen([*words, *command], **options)


def run(
    command: Sequence[str],
    *,
    timeout: float | None = None,
    capture_output: bool = False,
    **options: Any,
) -> subprocess.CompletedProcess[Any]:
    """``subprocess.run(command, …, check=False)`` through :func:`popen`."""
    if capture_output:
        options |= {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    with popen(command, **options) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            raise subprocess.TimeoutExpired(list(command), timeout or 0, out, err) from None
        except BaseException:
            process.kill()
            raise
    return subprocess.CompletedProcess(list(command), process.returncode, out, err)


def _check_executable(program: str) -> None:
    found = shutil.which(program)
    if found is not None:
        return
    if os.sep in program and os.path.isfile(program):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), program)
    raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), program)


def temp_data_dir() -> Path:
    """A fresh temporary data dir named for this process, so a later mock can sweep it."""
    return Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))


def sweep_leftovers(data_dir: Path) -> list[Path]:
    """Remove partial files under ``data_dir`` and dead mocks' temp dirs; what was removed."""
    removed: list[Path] = []
    for pattern in LEFTOVER_PATTERNS:
        for path in data_dir.rglob(pattern):
            if path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
    for folder in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*-*"):
        match = _TEMP_DIR.match(folder.name)
        if match and folder.is_dir() and folder != data_dir and not _alive(int(match[1])):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
