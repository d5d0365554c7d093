"""The generated sample set: complete, cached, deterministic."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from nemo_mock.mock_server.media.samples import (
    SampleSet,
    UnsupportedSampleFormat,
    make_clip,
    make_photo,
    make_sample_set,
    make_song,
)

pytestmark = pytest.mark.ffmpeg

VALID = {
    "photo_1.jpg", "photo_2.jpg", "photo_3.jpg", "photo_4.jpg", "photo_5.jpg",
    "photo.png", "photo.webp", "anim.gif",
    "venue_clip.mp4", "clip.mov", "clip.webm", "clip.mkv", "clip.avi",
    "song.mp3", "song.wav", "song.m4a", "song.aac",
}  # fmt: skip
INVALID = {"notes.txt", "random.mp4", "text_as.png"}


@pytest.fixture(scope="module")
def sample_set(tmp_path_factory: pytest.TempPathFactory) -> SampleSet:
    # Same directory as the suite-wide ``samples`` fixture: generated once per test session.
    return make_sample_set(tmp_path_factory.getbasetemp() / "samples")


def test_every_sample_exists_and_is_not_empty(sample_set: SampleSet):
    assert set(sample_set.expected) == VALID
    assert set(sample_set.invalid) == INVALID
    assert set(sample_set.names) == VALID | INVALID
    for name in sample_set.names:
        path = sample_set.path(name)
        assert path.parent == sample_set.directory
        assert path.is_file(), name
        assert path.stat().st_size > 0, name
    assert not list(sample_set.directory.glob(".partial-*"))


def test_unknown_sample_name_is_a_key_error(sample_set: SampleSet):
    with pytest.raises(KeyError, match="nope.mp4"):
        sample_set.path("nope.mp4")


def test_expected_properties_follow_the_brief(sample_set: SampleSet):
    expected = sample_set.expected
    portrait, landscape = (720, 1280), (1280, 720)
    for index in range(1, 6):
        photo = expected[f"photo_{index}.jpg"]
        assert (photo.width, photo.height) == (portrait if index % 2 else landscape)
    assert expected["venue_clip.mp4"].has_audio
    assert expected["venue_clip.mp4"].fps == 25
    assert expected["clip.mov"].fps == 30
    assert expected["song.mp3"].duration == 4.0
    assert expected["anim.gif"].duration == 1.0


def test_random_bytes_are_seeded(sample_set: SampleSet):
    assert sample_set.path("random.mp4").read_bytes() == random.Random(1234).randbytes(4096)


def test_regeneration_is_skipped_when_cached(sample_set: SampleSet):
    before = {name: sample_set.path(name).stat().st_mtime_ns for name in sample_set.names}
    again = make_sample_set(sample_set.directory)
    after = {name: again.path(name).stat().st_mtime_ns for name in again.names}
    assert after == before
    assert again == sample_set


def test_missing_files_are_regenerated_identically(sample_set: SampleSet, tmp_path: Path):
    copy = tmp_path / "copy"
    shutil.copytree(sample_set.directory, copy)
    regenerated = ("photo_2.jpg", "clip.webm", "clip.mkv", "song.mp3", "anim.gif")
    for name in regenerated:
        (copy / name).unlink()
    (copy / "song.wav").write_bytes(b"")  # empty files do not count as cached
    kept = {p.name: p.stat().st_mtime_ns for p in copy.iterdir() if p.name != "song.wav"}
    make_sample_set(copy)
    for name in (*regenerated, "song.wav"):
        assert (copy / name).read_bytes() == sample_set.path(name).read_bytes(), name
    for name, mtime in kept.items():
        assert (copy / name).stat().st_mtime_ns == mtime, name


def test_generators_are_deterministic(tmp_path: Path):
    for run in ("a", "b"):
        make_photo(tmp_path / f"{run}.png", width=64, height=48, color="#336699", label="Hi")
        make_clip(tmp_path / f"{run}.mp4", seconds=0.4, width=64, height=48, color="red")
        make_song(tmp_path / f"{run}.m4a", seconds=0.3)
    for ext in ("png", "mp4", "m4a"):
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes(), ext


def test_unsupported_extensions_are_refused(tmp_path: Path):
    with pytest.raises(UnsupportedSampleFormat, match=r"\.bmp"):
        make_photo(tmp_path / "x.bmp", width=8, height=8, color="red")
    with pytest.raises(UnsupportedSampleFormat):
        make_clip(tmp_path / "x.flv", seconds=1, width=8, height=8)
    with pytest.raises(UnsupportedSampleFormat):
        make_song(tmp_path / "x.ogg", seconds=1)


def test_colour_cannot_inject_filters(tmp_path: Path):
    with pytest.raises(ValueError, match="invalid colour"):
        make_photo(tmp_path / "x.png", width=8, height=8, color="red:s=9000x9000")
