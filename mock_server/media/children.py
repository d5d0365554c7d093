"""ffmpeg children never outlive the mock, and what a killed mock left behind is swept.

``die_with_parent`` runs in each child between fork and exec: on Linux it asks the kernel
(``prctl(PR_SET_PDEATHSIG, SIGKILL)``) to kill the child when the thread that started it
ends, which happens for every thread when the mock exits, even by ``kill -9``. A graceful
stop also cancels renders (the runner kills ffmpeg). ``sweep_leftovers`` removes, at start,
the partial files a killed render or synthesis left in a data dir and the temporary data
dirs of mocks that are no longer running.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

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


#: ``preexec_fn`` for every ffmpeg the mock starts (None where the OS has no such call).
die_with_parent = _pdeathsig()


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
