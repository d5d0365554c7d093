"""Identical synthesised media is made once (issue 18): a second request with the same
arguments gets the first file, one that comes while it is being made waits for it."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from nemo_mock.mock_server.media.synthesis_cache import SynthesisCache


class Maker:
    """Writes the key's text into the file, counting calls (slowly, to overlap callers)."""

    def __init__(self, text: str, delay: float = 0.0, fail_first: bool = False) -> None:
        self.text, self.delay, self.fail_first = text, delay, fail_first
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, path: Path) -> None:
        with self._lock:
            self.calls += 1
            failing = self.fail_first and self.calls == 1
        time.sleep(self.delay)
        if failing:
            raise RuntimeError("ffmpeg failed")
        path.write_text(self.text)


def test_the_same_arguments_are_made_once_and_shared(tmp_path):
    cache = SynthesisCache(tmp_path / "cache")
    make = Maker("sunset")
    key = {"prompt": "sunset", "seconds": 10}
    assert cache.obtain(tmp_path / "a.mp4", key, make) is False
    assert cache.obtain(tmp_path / "b.mp4", dict(key), make) is True
    assert make.calls == 1 and (cache.hits, cache.misses) == (1, 1)
    assert (tmp_path / "b.mp4").read_text() == "sunset"


def test_other_arguments_are_made_anew(tmp_path):
    cache = SynthesisCache(tmp_path / "cache")
    make = Maker("x")
    cache.obtain(tmp_path / "a.mp4", {"prompt": "sunset", "seed": 1}, make)
    cache.obtain(tmp_path / "b.mp4", {"prompt": "sunset", "seed": 2}, make)
    assert make.calls == 2 and cache.hits == 0


def test_removing_a_placed_file_leaves_the_cache_whole(tmp_path):
    cache = SynthesisCache(tmp_path / "cache")
    make = Maker("ocean")
    cache.obtain(tmp_path / "a.mp4", {"p": "ocean"}, make)
    (tmp_path / "a.mp4").unlink()  # a user forgotten: their files go
    assert cache.obtain(tmp_path / "b.mp4", {"p": "ocean"}, make) is True
    assert (tmp_path / "b.mp4").read_text() == "ocean" and make.calls == 1


def test_callers_that_come_while_it_is_made_wait_for_the_one_file(tmp_path):
    cache = SynthesisCache(tmp_path / "cache")
    make = Maker("city", delay=0.3)
    with ThreadPoolExecutor(8) as pool:
        hits = list(
            pool.map(lambda i: cache.obtain(tmp_path / f"{i}.mp4", {"p": "city"}, make), range(8))
        )
    assert make.calls == 1
    assert sorted(hits) == [False] + [True] * 7
    assert {(tmp_path / f"{i}.mp4").read_text() for i in range(8)} == {"city"}


def test_a_failed_making_lets_the_waiters_make_their_own(tmp_path):
    cache = SynthesisCache(tmp_path / "cache")
    make = Maker("snow", delay=0.2, fail_first=True)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(cache.obtain, tmp_path / "a.mp4", {"p": "snow"}, make)
        time.sleep(0.05)
        second = pool.submit(cache.obtain, tmp_path / "b.mp4", {"p": "snow"}, make)
        with pytest.raises(RuntimeError, match="ffmpeg failed"):
            first.result()
        assert second.result() is False
    assert (tmp_path / "b.mp4").read_text() == "snow"
    assert not list((tmp_path / "cache").glob("*.mp4"))  # nothing half-made was cached
