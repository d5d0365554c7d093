"""Media the agent synthesises: clips, the music library, voiceovers."""

from __future__ import annotations

from array import array
from pathlib import Path

import av
import pytest

from nemo_mock.mock_server.media import speech
from nemo_mock.mock_server.media.generated import (
    MUSIC_MOODS,
    clip_look,
    music_path,
    music_track,
    synthesize_clip,
    synthesize_voiceover,
)
from nemo_mock.mock_server.media.probe import probe

pytestmark = pytest.mark.ffmpeg


def mean_rgb(path: Path, at_seconds: float = 1.0) -> tuple[float, float, float]:
    """The mean (r, g, b) of the first frame at or after ``at_seconds`` (decoded with PyAV)."""
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            if frame.time is not None and frame.time >= at_seconds:
                small = frame.reformat(width=64, height=36, format="rgb24")
                plane = small.planes[0]
                rows = [
                    bytes(plane)[y * plane.line_size : y * plane.line_size + 64 * 3]
                    for y in range(36)
                ]
                data = b"".join(rows)
                count = len(data) // 3
                return tuple(sum(data[c::3]) / count for c in range(3))  # type: ignore[return-value]
    raise AssertionError(f"no frame at {at_seconds}s in {path}")


def audio_samples(path: Path) -> list[int]:
    """Mono 16-bit samples of the whole file."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=22050)
    samples = array("h")
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            for converted in resampler.resample(frame):
                samples.frombytes(bytes(converted.planes[0])[: converted.samples * 2])
    return list(samples)


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values)


@pytest.fixture(scope="module")
def music_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("music")
    for mood in MUSIC_MOODS:
        music_track(mood, directory)
    return directory


# --------------------------------------------------------------------------- clips


def test_clip_has_the_asked_size_and_length(tmp_path):
    path = synthesize_clip(
        tmp_path / "clip.mp4",
        prompt="sunset timelapse",
        seconds=2.5,
        width=1280,
        height=720,
        seed=1,
    )
    result = probe(path)
    assert (result.kind, result.width, result.height) == ("video", 1280, 720)
    assert result.duration == pytest.approx(2.5, abs=0.1)
    assert result.video_codec == "h264" and not result.has_audio
    assert result.fps == pytest.approx(30)


def test_portrait_full_hd_clip(tmp_path):
    path = synthesize_clip(
        tmp_path / "p.mp4", prompt="city at night", seconds=1, width=1080, height=1920, seed=3
    )
    result = probe(path)
    assert (result.width, result.height) == (1080, 1920)
    assert result.duration == pytest.approx(1, abs=0.1)


def test_clip_is_deterministic(tmp_path):
    args = {"prompt": "ocean waves", "seconds": 1.5, "width": 640, "height": 360, "seed": 9}
    first = synthesize_clip(tmp_path / "a.mp4", **args).read_bytes()
    second = synthesize_clip(tmp_path / "b.mp4", **args).read_bytes()
    assert first == second


def test_seed_changes_the_clip(tmp_path):
    args = {"prompt": "something abstract", "seconds": 1, "width": 320, "height": 180}
    a = synthesize_clip(tmp_path / "a.mp4", seed=1, **args).read_bytes()
    b = synthesize_clip(tmp_path / "b.mp4", seed=2, **args).read_bytes()
    assert a != b


def test_sunset_is_warmer_than_ocean(tmp_path):
    common = {"seconds": 2, "width": 320, "height": 180, "seed": 4}
    sunset = mean_rgb(synthesize_clip(tmp_path / "s.mp4", prompt="sunset timelapse", **common))
    ocean = mean_rgb(synthesize_clip(tmp_path / "o.mp4", prompt="ocean waves", **common))
    forest = mean_rgb(synthesize_clip(tmp_path / "f.mp4", prompt="forest walk", **common))
    city = mean_rgb(synthesize_clip(tmp_path / "c.mp4", prompt="city at night", **common))
    assert sunset[0] > sunset[2] + 40 and sunset[0] > ocean[0] + 40  # red dominates
    assert ocean[2] > ocean[0] + 40  # blue dominates
    assert forest[1] > forest[0] and forest[1] > forest[2]  # green dominates
    assert mean(city) < 60 and mean(city) < mean(sunset)  # dark


def test_clip_moves(tmp_path):
    path = synthesize_clip(
        tmp_path / "m.mp4", prompt="sunset", seconds=3, width=320, height=180, seed=5
    )
    start, end = mean_rgb(path, 0.1), mean_rgb(path, 2.8)
    assert sum(abs(a - b) for a, b in zip(start, end, strict=True)) > 1


def test_unknown_subjects_get_a_hashed_palette():
    assert clip_look("a purple cat", 1) == clip_look("a purple cat", 1)
    assert clip_look("a purple cat", 1) != clip_look("a purple cat", 2)
    assert clip_look("sunset over the sea", 1) == clip_look("SUNSET", 99)


@pytest.mark.parametrize(
    ("seconds", "width", "height"), [(0, 320, 180), (1, 321, 180), (1, 8, 8), (901, 320, 180)]
)
def test_bad_clip_arguments(tmp_path, seconds, width, height):
    with pytest.raises(ValueError):
        synthesize_clip(
            tmp_path / "x.mp4", prompt="x", seconds=seconds, width=width, height=height, seed=1
        )


# --------------------------------------------------------------------------- music


def test_every_mood_is_a_minute_of_stereo_audio(music_dir):
    for mood in MUSIC_MOODS:
        path = music_path(mood, music_dir)
        assert path.name == f"bgm_{mood}.mp3"
        result = probe(path)
        assert result.kind == "audio"
        assert result.duration == pytest.approx(60, abs=0.1)


def test_moods_differ(music_dir):
    contents = {music_path(mood, music_dir).read_bytes() for mood in MUSIC_MOODS}
    assert len(contents) == len(MUSIC_MOODS)
    for mood in MUSIC_MOODS:
        samples = audio_samples(music_path(mood, music_dir))[44_100:88_200]
        assert mean(abs(s) for s in samples) > 300, mood  # audible, not silence


def test_music_is_cached_and_deterministic(music_dir, tmp_path):
    path = music_path("lofi", music_dir)
    before = path.stat().st_mtime_ns
    assert music_track("lofi", music_dir) == path
    assert path.stat().st_mtime_ns == before  # reused, not regenerated
    fresh = music_track("lofi", tmp_path)
    assert fresh.read_bytes() == path.read_bytes()
    assert not list(tmp_path.glob(".partial-*"))


def test_shorter_music(tmp_path):
    path = music_track("calm", tmp_path, seconds=5)
    assert probe(path).duration == pytest.approx(5, abs=0.1)
    assert path != music_path("calm", tmp_path)


def test_unknown_mood_lists_the_moods(tmp_path):
    with pytest.raises(ValueError, match="romantic, lofi, upbeat, cinematic, calm"):
        music_track("jazz", tmp_path)


# --------------------------------------------------------------------------- voiceover


@pytest.fixture
def no_tts(monkeypatch):
    def unavailable(text: str, voice: str):
        raise speech.SpeechUnavailable("no espeak-ng in this test")

    monkeypatch.setattr(speech, "speak", unavailable)


@pytest.mark.parametrize("suffix", [".wav", ".m4a"])
def test_tone_voiceover_lasts_exactly(tmp_path, no_tts, suffix):
    path = synthesize_voiceover(
        tmp_path / f"vo{suffix}", text="Meet Aurora, the smart lamp.", seconds=7.3
    )
    result = probe(path)
    assert result.kind == "audio"
    assert result.duration == pytest.approx(7.3, abs=0.1)


def test_tone_voiceover_is_deterministic_and_speechlike(tmp_path, no_tts):
    a = synthesize_voiceover(tmp_path / "a.wav", text="Hello there", seconds=4)
    b = synthesize_voiceover(tmp_path / "b.wav", text="Hello there", seconds=4)
    c = synthesize_voiceover(tmp_path / "c.wav", text="Something else", seconds=4)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    samples = [abs(s) for s in audio_samples(a)]
    windows = [mean(samples[i : i + 1100]) for i in range(0, len(samples) - 1100, 1100)]
    assert max(windows) > 4 * max(min(windows), 1)  # syllables and pauses, not a drone


def _loud_windows(path, window=1102) -> list[bool]:
    """Per 50 ms (22.05 kHz samples): whether the voice is sounding."""
    samples = [abs(s) for s in audio_samples(path)]
    return [mean(samples[i : i + window]) > 300 for i in range(0, len(samples), window)]


def test_voiceover_is_real_speech_deterministic_and_fitted(tmp_path):
    text = "Meet Aurora, the smart lamp. It wakes you gently every morning."
    a = synthesize_voiceover(tmp_path / "a.wav", text=text, seconds=8)
    b = synthesize_voiceover(tmp_path / "b.wav", text=text, seconds=8)
    assert a.read_bytes() == b.read_bytes()
    assert probe(a).duration == pytest.approx(8, abs=0.1)
    loud = _loud_windows(a)
    assert sum(loud[:60]) > 25  # speech in the first three seconds, not silence
    assert not any(loud[-20:])  # padded with silence after the last word
    fitted = synthesize_voiceover(tmp_path / "fit.wav", text=text, seconds=2)
    assert probe(fitted).duration == pytest.approx(2, abs=0.1)
    assert sum(_loud_windows(fitted)) > 20  # sped up to fit, not cut to the first words


def test_sentences_start_where_the_plan_puts_them(tmp_path):
    text = "One small step. Then a giant leap."
    path = synthesize_voiceover(tmp_path / "vo.wav", text=text, seconds=6, starts_ms=[0, 3000])
    loud = _loud_windows(path)
    said = speech.sentence_lengths(["One small step."])[0] // 50
    assert any(loud[:10]) and not any(loud[said + 2 : 59])  # quiet until 3 s
    assert any(loud[60:64])  # the second sentence starts at 3 s


def test_chinese_text_is_spoken_by_the_mandarin_voice(tmp_path):
    assert speech.voice_for("你好，世界。") == speech.CHINESE
    assert speech.voice_for("Hello") == speech.ENGLISH
    zh = speech.speak("欢迎来到我们的婚礼。", speech.CHINESE)
    en = speech.speak("欢迎来到我们的婚礼。", speech.ENGLISH)
    assert zh.ms > 1000 and zh.samples != en.samples


def test_sentence_lengths_come_from_the_synthesiser():
    short, long = speech.sentence_lengths(["Hi.", "This sentence takes much longer to say."])
    assert long > 2 * short
    assert speech.sentences_of("One. Two! 三。四？") == ["One.", "Two!", "三。", "四？"]


def test_a_system_library_override_that_is_missing_falls_back_to_the_tone(tmp_path, monkeypatch):
    monkeypatch.setenv(speech.LIB_ENV_VAR, str(tmp_path / "libespeak-ng.so.404"))
    speech.speak.cache_clear()
    try:
        assert not speech.available()
        path = synthesize_voiceover(tmp_path / "vo.wav", text="Hello there", seconds=3)
        assert probe(path).duration == pytest.approx(3, abs=0.1)
    finally:
        speech.speak.cache_clear()


def test_voiceover_refuses_other_formats(tmp_path):
    with pytest.raises(ValueError, match=".wav"):
        synthesize_voiceover(tmp_path / "vo.ogg", text="x", seconds=1)
