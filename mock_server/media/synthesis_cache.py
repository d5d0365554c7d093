"""Synthesised media by what made it: the same arguments give the same file, made once.

The agent's clips and voiceovers are deterministic (``media/generated.py``): the same prompt,
length, size and seed give byte-identical files. ``SynthesisCache`` keeps each finished file
under the hash of its arguments and hands a later request for the same arguments a hard link
to it (a copy where links are impossible). A request that comes while the same file is being
made waits for it instead of making it again, so a thousand identical prompts cost one
synthesis (issue 18). If making fails, the waiters make their own (and see the failure
themselves). Several processes may share the folder (``--synthesis-cache``): each file is
written under a name of its maker's and moved into place whole, so a reader never sees a
part of one; two processes asking at once may both make it (the same bytes).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


class SynthesisCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._making: dict[str, threading.Event] = {}

    def obtain(self, path: Path, key: dict[str, Any], make: Callable[[Path], Any]) -> bool:
        """Put the file ``key`` describes at ``path``: linked from the cache, or made by
        ``make(path_to_write)`` and cached. Whether it came from the cache."""
        digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:32]
        cached = self.folder / f"{digest}{path.suffix}"
        with self._lock:
            being_made = self._making.get(digest)
            mine = being_made is None and not cached.exists()
            if mine:
                done = self._making[digest] = threading.Event()
        if not mine:
            if being_made is not None:
                being_made.wait()
            if cached.exists():
                _place(cached, path)
                with self._lock:
                    self.hits += 1
                return True
            make(path)  # the first maker failed: try for ourselves, uncached
            return False
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # named by process and thread: mocks may share the folder (--synthesis-cache)
            maker = f"{os.getpid()}.{threading.get_ident()}"
            partial = cached.with_name(f".{cached.name}.{maker}{path.suffix}")
            try:
                make(partial)
                os.replace(partial, cached)
            finally:
                partial.unlink(missing_ok=True)  # a half-made file is never cached
            _place(cached, path)
        finally:
            with self._lock:
                del self._making[digest]
                self.misses += 1
            done.set()
        return False


def _place(cached: Path, path: Path) -> None:
    path.unlink(missing_ok=True)
    try:
        os.link(cached, path)
    except OSError:
        shutil.copyfile(cached, path)
