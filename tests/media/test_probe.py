"""Probing and sniffing media files against the generated sample set."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from nemo_mock.mock_server.media.ffmpeg import run_ffmpeg
from nemo_mock.mock_server.media.probe import (
    ProbeError,
    ProbeResult,
    probe,
    sniff_bytes,
    sniff_kind,
)
from nemo_mock.mock_server.media.samples import SampleSet, make_clip, make_sample_set

pytestmark = pytest.mark.ffmpeg

VALID = [
    "photo_1.jpg", "photo_2.jpg", "photo_3.jpg", "photo_4.jpg", "photo_5.jpg",
    "photo.png", "photo.webp", "anim.gif",
    "venue_clip.mp4", "clip.mov", "clip.webm", "clip.mkv", "clip.avi",
    "song.mp3", "song.wav", "song.m4a", "song.aac",
]  # fmt: skip
INVALID = ["notes.txt", "random.mp4", "text_as.png"]


@pytest.fixture(scope="module")
def sample_set(tmp_path_factory: pytest.TempPathFactory) -> SampleSet:
    # Same directory as the suite-wide ``samples`` fixture: generated once per test session.
    return make_sample_set(tmp_path_factory.getbasetemp() / "samples")


def test_the_lists_cover_the_sample_set(sample_set: SampleSet):
    assert set(VALID) == set(sample_set.expected)
    assert set(INVALID) == set(sample_set.invalid)


@pytest.mark.parametrize("name", VALID)
def test_probe_matches_expected(sample_set: SampleSet, name: str):
    expected = sample_set.expected[name]
    result = probe(sample_set.path(name))
    assert isinstance(result, ProbeResult)
    assert result.kind == expected.kind
    assert result.width == expected.width
    assert result.height == expected.height
    if expected.fps is None:
        assert result.fps is None
    else:
        assert result.fps == pytest.approx(expected.fps, abs=0.01)
    if expected.duration is None:
        assert result.duration is None
    else:
        assert result.duration == pytest.approx(expected.duration, abs=0.15)
    assert result.has_audio == expected.has_audio
    assert result.format_name


@pytest.mark.parametrize("name", [n for n in VALID if n.startswith("song.")])
def test_audio_has_no_picture(sample_set: SampleSet, name: str):
    result = probe(sample_set.path(name))
    assert (result.kind, result.width, result.height, result.fps) == ("audio", None, None, None)
    assert result.has_audio
    assert result.video_codec is None
    assert result.audio_codec


@pytest.mark.parametrize("name", [n for n in VALID if n.startswith(("photo", "anim"))])
def test_images_have_no_duration_unless_animated(sample_set: SampleSet, name: str):
    result = probe(sample_set.path(name))
    assert result.kind == "image"
    assert result.fps is None
    assert result.video_codec
    if name == "anim.gif":
        assert result.duration == pytest.approx(1.0, abs=0.15)
    else:
        assert result.duration is None


def test_venue_clip_details(sample_set: SampleSet):
    result = probe(sample_set.path("venue_clip.mp4"))
    assert result.kind == "video"
    assert result.has_audio
    assert (result.video_codec, result.audio_codec) == ("h264", "aac")
    assert "mp4" in result.format_name


def test_video_without_audio(tmp_path: Path):
    path = make_clip(tmp_path / "silent.mp4", seconds=0.5, width=64, height=48, with_audio=False)
    result = probe(path)
    assert (result.kind, result.has_audio, result.audio_codec) == ("video", False, None)


def test_mp3_with_cover_art_is_audio(sample_set: SampleSet, tmp_path: Path):
    covered = tmp_path / "covered.mp3"
    inputs = ["-i", str(sample_set.path("song.mp3")), "-i", str(sample_set.path("photo.png"))]
    cover = ["-map", "0", "-map", "1", "-c", "copy", "-disposition:v", "attached_pic"]
    run_ffmpeg([*inputs, *cover, str(covered)])
    result = probe(covered)
    assert result.kind == "audio"
    assert (result.width, result.height, result.video_codec) == (None, None, None)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("notes.txt", "not a media file"),
        ("random.mp4", "not a media file"),
        ("text_as.png", "not a media file"),
    ],
)
def test_probe_refuses_invalid_files(sample_set: SampleSet, name: str, message: str):
    with pytest.raises(ProbeError, match=message) as caught:
        probe(sample_set.path(name))
    assert len(str(caught.value)) > len(message)  # says why, not just that it failed


def test_probe_refuses_an_empty_file(tmp_path: Path):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(ProbeError, match="empty"):
        probe(empty)


def test_probe_of_a_missing_file_is_file_not_found(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        probe(tmp_path / "missing.mp4")


def test_probe_refuses_random_bytes_named_like_media(tmp_path: Path):
    for seed, suffix in enumerate((".mp4", ".mov", ".mp3", ".png", ".webm")):
        path = tmp_path / f"noise{suffix}"
        path.write_bytes(random.Random(seed).randbytes(8192))
        with pytest.raises(ProbeError, match="not a media file"):
            probe(path)


def test_liberal_demuxers_need_a_known_signature(sample_set: SampleSet, tmp_path: Path):
    # ffmpeg finds mp3 frames after leading junk; without a known signature we refuse it.
    path = tmp_path / "junk_then_mp3.mp3"
    path.write_bytes(b"junk-junk-junk!!" + sample_set.path("song.mp3").read_bytes())
    assert sniff_kind(path) is None
    with pytest.raises(ProbeError, match="does not look like mp3"):
        probe(path)


@pytest.mark.parametrize("name", VALID)
def test_sniff_identifies_valid_samples(sample_set: SampleSet, name: str):
    assert sniff_kind(sample_set.path(name)) == sample_set.expected[name].kind


@pytest.mark.parametrize("name", INVALID)
def test_sniff_rejects_invalid_samples(sample_set: SampleSet, name: str):
    assert sniff_kind(sample_set.path(name)) is None


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "video"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "video"),
        (b"\x00\x00\x00\x1cftypM4A \x00\x00\x02\x00", "audio"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "video"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81", "video"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image"),
        (b"GIF89a\x10\x00", "image"),
        (b"ID3\x04\x00\x00", "audio"),
        (b"\xff\xfb\x90\x64", "audio"),
        (b"\xff\xf3\x90\x64", "audio"),
        (b"\xff\xf1\x50\x80", "audio"),
        (b"\xff\xf9\x50\x80", "audio"),
        (b"", None),
        (b"RIFF", None),
        (b"RIFF\x00\x00\x00\x00ABCD", None),
        (b"hello world", None),
        (b"\x00\x00\x00\x20ftyp", None),
    ],
)
def test_sniff_bytes(head: bytes, kind: str | None):
    assert sniff_bytes(head) == kind
