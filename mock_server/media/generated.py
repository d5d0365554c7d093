"""Media the agent synthesises: text-to-video clips, the music library and voiceovers.

Everything is written with ffmpeg through :func:`run_ffmpeg`, deterministically: the same
arguments give byte-identical files (metadata stripped, bit-exact muxing, fixed encoder
thread count, seeded sources). Clips are H.264/yuv420p MP4 **without an audio stream**;
music is MP3; voiceovers are WAV (PCM) or M4A (AAC) by the path's extension.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from nemo_mock.mock_server.media.atomic import write_atomically
from nemo_mock.mock_server.media.ffmpeg import run_ffmpeg

MUSIC_MOODS: tuple[str, ...] = ("romantic", "lofi", "upbeat", "cinematic", "calm")
TTS_BINARIES: tuple[str, ...] = ("espeak-ng", "espeak")

_BITEXACT = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact"]
_BITEXACT_AUDIO = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact"]
# A fixed thread count (not "auto") keeps x264's output independent of the machine; one
# thread, because syntheses run side by side, about one per core (sse/turns.py).
_X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-pix_fmt", "yuv420p"]
_X264_THREADS = ["-threads", "1"]
_AUDIO_CODECS: dict[str, list[str]] = {
    ".m4a": ["-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart"],
    ".wav": ["-c:a", "pcm_s16le"],
}
_RENDER_LONG_SIDE = 480  # clips are drawn small, then scaled to the requested size
_SAMPLE_RATE = 44100


# --------------------------------------------------------------------------- clips


@dataclass(frozen=True)
class ClipLook:
    """How a synthesised clip looks: gradient colours, rotation speed, optional city lights."""

    colors: tuple[str, ...]
    speed: float
    lights: bool = False


_LOOKS: tuple[tuple[tuple[str, ...], ClipLook], ...] = (
    (
        ("sunset", "sunrise", "golden hour", "dusk", "fire", "autumn", "日落", "夕阳", "黄昏"),
        ClipLook(("#ff7e29", "#d7263d", "#ffb347", "#8c1c13"), 0.008),
    ),
    (
        ("ocean", "sea", "beach", "wave", "water", "lake", "river", "underwater", "海", "湖"),
        ClipLook(("#0b3d91", "#1e90ff", "#00a6c8", "#0a2a5e"), 0.012),
    ),
    (
        ("forest", "jungle", "tree", "garden", "nature", "mountain", "grass", "森林", "山"),
        ClipLook(("#14532d", "#2e8b57", "#7cb342", "#0b3d20"), 0.010),
    ),
    (
        ("city", "night", "urban", "street", "neon", "skyline", "城市", "夜"),
        ClipLook(("#05070f", "#141a33", "#1f1147", "#0a0a0a"), 0.006, lights=True),
    ),
    (
        ("snow", "winter", "ice", "frost", "雪", "冬"),
        ClipLook(("#e8f1ff", "#b3cde0", "#ffffff", "#8fb1d0"), 0.006),
    ),
    (
        ("wedding", "love", "romantic", "flower", "rose", "婚礼", "浪漫", "花"),
        ClipLook(("#f7c6d0", "#e75480", "#fff0f5", "#b03060"), 0.008),
    ),
)


def clip_look(prompt: str, seed: int) -> ClipLook:
    """The look for ``prompt``: a themed palette for known subjects, else one hashed from it."""
    lowered = prompt.lower()
    for words, look in _LOOKS:
        if any(word in lowered for word in words):
            return look
    digest = hashlib.sha256(f"{prompt}\x00{seed}".encode()).digest()
    colors = tuple(_hashed_color(digest[i * 3 : i * 3 + 3]) for i in range(4))
    return ClipLook(colors, 0.004 + digest[12] / 255 * 0.02)


def _hashed_color(three: bytes) -> str:
    hue = three[0] / 255
    saturation = 0.45 + three[1] / 255 * 0.5
    value = 0.35 + three[2] / 255 * 0.6
    r, g, b = _hsv_to_rgb(hue, saturation, value)
    return f"#{r:02x}{g:02x}{b:02x}"


def _hsv_to_rgb(h: float, s: float, v: float) -> tuple[int, int, int]:
    i = int(h * 6) % 6
    f = h * 6 - int(h * 6)
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    rgb = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][i]
    return (round(rgb[0] * 255), round(rgb[1] * 255), round(rgb[2] * 255))


def _render_size(width: int, height: int) -> tuple[int, int]:
    scale = min(1.0, _RENDER_LONG_SIDE / max(width, height))
    return (max(16, round(width * scale / 2) * 2), max(16, round(height * scale / 2) * 2))


def _light_filters(w: int, h: int, seed: int) -> list[str]:
    digest = hashlib.sha512(f"lights\x00{seed}".encode()).digest()
    size = max(2, w // 80)
    filters = []
    for i in range(12):
        x = digest[i] * (w - size) // 255
        y = h // 3 + digest[i + 12] * (h * 2 // 3 - size) // 255
        period = 1.5 + digest[i + 24] % 5 * 0.5
        on = f"lt(mod(t+{i * 0.37:.2f},{period:g}),{period * 0.7:.2f})"
        filters.append(
            f"drawbox=x={x}:y={y}:w={size}:h={size}:color=#ffd27f@0.9:t=fill:enable='{on}'"
        )
    return filters


def _check_clip_args(seconds: float, width: int, height: int, fps: int) -> None:
    if not (math.isfinite(seconds) and 0 < seconds <= 900):
        raise ValueError(f"seconds must be in (0, 900], got {seconds!r}")
    if width < 16 or height < 16 or width % 2 or height % 2:
        raise ValueError(f"width and height must be even and at least 16, got {width}x{height}")
    if not 1 <= fps <= 60:
        raise ValueError(f"fps must be 1 to 60, got {fps}")


def synthesize_clip(
    path: Path,
    *,
    prompt: str,
    seconds: float,
    width: int,
    height: int,
    seed: int,
    fps: int = 30,
    full_size: bool = True,
) -> Path:
    """Write an MP4 (H.264, yuv420p, no audio) whose colours and motion follow ``prompt``.

    It is drawn at most 480 px on its long side; ``full_size`` scales it to ``width`` x
    ``height``, else it is written as drawn (the same shape, 3-4x cheaper to encode: the
    agent's clips, which the render scales to the canvas anyway)."""
    _check_clip_args(seconds, width, height, fps)
    look = clip_look(prompt, seed)
    small_w, small_h = _render_size(width, height)
    if not full_size:
        width, height = small_w, small_h
    colors = ":".join(f"c{i}={c}" for i, c in enumerate(look.colors))
    source = (
        f"gradients=s={small_w}x{small_h}:r={fps}:d={seconds:g}:{colors}"
        f":n={len(look.colors)}:seed={seed % 2**32}:speed={look.speed:g}"
    )
    filters = _light_filters(small_w, small_h, seed) if look.lights else []
    filters += [f"scale={width}:{height}:flags=bilinear", "format=yuv420p"]
    args = ["-f", "lavfi", "-i", source, "-vf", ",".join(filters), *_X264, *_X264_THREADS]
    run_ffmpeg([*args, "-an", "-t", f"{seconds:g}", *_BITEXACT, str(path)], timeout=300)
    return path


# --------------------------------------------------------------------------- music


@dataclass(frozen=True)
class MoodSpec:
    """A mood's synthesis recipe: a chord loop, its tempo and the feel of the notes."""

    chords: tuple[tuple[float, ...], ...]  # Hz of each chord's notes
    bar: float  # seconds per chord
    pulse: float  # seconds per rhythmic pulse
    pluck: float  # how strongly notes are plucked on each pulse (0 = pad)
    decay: float  # pluck decay rate
    bass: float  # level of the bass note (root an octave down)


_C3, _D3, _E3, _F3, _G3, _A3, _B3 = 130.81, 146.83, 164.81, 174.61, 196.00, 220.00, 246.94
_C4, _D4, _E4, _F4, _G4, _A4, _B4 = 261.63, 293.66, 329.63, 349.23, 392.00, 440.00, 493.88
_C5, _D5, _E5 = 523.25, 587.33, 659.26

MOOD_SPECS: dict[str, MoodSpec] = {
    "romantic": MoodSpec(
        ((_C4, _E4, _G4), (_A3, _C4, _E4), (_F3, _A3, _C4), (_G3, _B3, _D4)), 2.4, 0.6, 0.4, 3.0,
        0.15,
    ),
    "lofi": MoodSpec(
        ((_D4, _F4, _A4, _C5), (_G3, _B3, _D4, _F4), (_C4, _E4, _G4, _B4), (_A3, _C4, _E4, _G4)),
        3.0, 0.75, 0.6, 5.0, 0.3,
    ),
    "upbeat": MoodSpec(
        ((_C4, _E4, _G4), (_G3, _B3, _D4), (_A3, _C4, _E4), (_F3, _A3, _C4)), 1.875, 0.234375, 0.9,
        9.0, 0.35,
    ),
    "cinematic": MoodSpec(
        ((_A3, _C4, _E4), (_F3, _A3, _C4), (_C4, _E4, _G4), (_G3, _B3, _D4)), 4.0, 2.0, 0.5, 1.2,
        0.45,
    ),
    "calm": MoodSpec(
        ((_C4, _F4, _G4), (_D4, _G4, _A4), (_F3, _C4, _G4), (_E4, _A4, _D5)), 5.0, 5.0, 0.0, 0.5,
        0.1,
    ),
}  # fmt: skip


def _select(index: str, values: list[float]) -> str:
    """An expression picking ``values[index]`` (commas escaped for a filter graph)."""
    expr = f"{values[-1]:g}"
    for i in range(len(values) - 2, -1, -1):
        expr = f"if(eq({index}\\,{i})\\,{values[i]:g}\\,{expr})"
    return expr


def _mood_expression(spec: MoodSpec) -> str:
    """One loop of the mood (every chord once), commas escaped for a filter graph."""
    idx = f"mod(floor(t/{spec.bar:g})\\,{len(spec.chords)})"
    voices = max(len(chord) for chord in spec.chords)
    ramp = f"min(mod(t\\,{spec.bar:g})/0.08\\,({spec.bar:g}-mod(t\\,{spec.bar:g}))/0.08)"
    pluck = f"({1 - spec.pluck:g}+{spec.pluck:g}*exp(-{spec.decay:g}*mod(t\\,{spec.pulse:g})))"
    notes = []
    for v in range(voices):
        freqs = [chord[v % len(chord)] for chord in spec.chords]
        notes.append(f"sin(2*PI*{_select(idx, freqs)}*t)")
    pad = f"({'+'.join(notes)})*{0.5 / voices:g}*{pluck}"
    roots = [chord[0] / 2 for chord in spec.chords]
    bass = f"{spec.bass:g}*sin(2*PI*{_select(idx, roots)}*t)*exp(-2*mod(t\\,{spec.pulse * 2:g}))"
    return f"({pad}+{bass})*min(1\\,{ramp})"


def _write_music(path: Path, mood: str, seconds: float) -> None:
    """Synthesise one loop of the chord progression, then repeat it to ``seconds``."""
    spec = MOOD_SPECS[mood]
    loop_seconds = spec.bar * len(spec.chords)
    loop_samples = round(loop_seconds * _SAMPLE_RATE)
    source = f"aevalsrc=exprs={_mood_expression(spec)}:s={_SAMPLE_RATE}:d={loop_seconds:g}"
    filters = [
        f"aloop=loop=-1:size={loop_samples}",
        f"atrim=0:{seconds:g}",
        "afade=t=in:d=1",
        f"afade=t=out:st={seconds - 1.5:g}:d=1.5",
    ]
    args = ["-f", "lavfi", "-i", source, "-af", ",".join(filters), "-ac", "2"]
    codec = ["-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3"]
    run_ffmpeg([*args, *codec, *_BITEXACT_AUDIO, str(path)])


def music_path(mood: str, directory: Path, *, seconds: float = 60) -> Path:
    """Where :func:`music_track` keeps ``mood`` (``bgm_<mood>.mp3``, or with its length)."""
    check_mood(mood)
    suffix = "" if seconds == 60 else f"_{seconds:g}s"
    return directory / f"bgm_{mood}{suffix}.mp3"


def check_mood(mood: str) -> None:
    if mood not in MUSIC_MOODS:
        raise ValueError(f"unknown music mood {mood!r}: choose one of {', '.join(MUSIC_MOODS)}")


def music_track(mood: str, directory: Path, *, seconds: float = 60) -> Path:
    """The built-in library track for ``mood``, generated into ``directory`` once and reused."""
    check_mood(mood)
    if not (math.isfinite(seconds) and 3 <= seconds <= 900):
        raise ValueError(f"seconds must be 3 to 900, got {seconds!r}")
    target = music_path(mood, directory, seconds=seconds)
    if target.is_file() and target.stat().st_size > 0:
        return target
    directory.mkdir(parents=True, exist_ok=True)
    return write_atomically(target, lambda p: _write_music(p, mood, seconds))


# --------------------------------------------------------------------------- voiceover


def find_tts() -> str | None:
    """A local text-to-speech binary (espeak-ng or espeak) on PATH, or None (kept for tools
    that shell out; voiceovers use the espeak-ng library of
    :mod:`nemo_mock.mock_server.media.speech`)."""
    return next((found for name in TTS_BINARIES if (found := shutil.which(name))), None)


def _audio_codec(path: Path) -> list[str]:
    codec = _AUDIO_CODECS.get(path.suffix.lower())
    if codec is None:
        raise ValueError(f"cannot write {path.name!r}: use one of {', '.join(_AUDIO_CODECS)}")
    return codec


def _speechlike_expression(text: str, seconds: float) -> str:
    """Syllable-rate amplitude-modulated voiced tones with pauses, varied by the text."""
    digest = hashlib.sha256(text.encode()).digest()
    f0 = 105 + digest[0] % 60
    syllables = 3.5 + digest[1] / 255 * 1.5
    phrase = 2.2 + digest[2] / 255 * 1.2
    wobble = 12 + digest[3] % 12
    phase = f"2*PI*({f0}*t+{wobble / (2 * math.pi * 0.6):.4f}*(1-cos(2*PI*0.6*t)))"
    voiced = f"(sin({phase})+0.5*sin(2*{phase})+0.25*sin(3*{phase})+0.12*sin(4*{phase}))"
    syllable = f"pow(abs(sin(PI*{syllables:.3f}*t))\\,1.5)"
    pause = f"lt(mod(t\\,{phrase:.3f})\\,{phrase - 0.45:.3f})"
    fade = f"min(1\\,min(t/0.05\\,({seconds:g}-t)/0.05))"
    return f"0.25*{voiced}*{syllable}*{pause}*{fade}"


def _write_tone_voiceover(path: Path, text: str, seconds: float) -> None:
    expr = _speechlike_expression(text, seconds)
    source = f"aevalsrc=exprs={expr}:s=24000:d={seconds:g}"
    fmt = ["-f", "mp4"] if path.suffix.lower() == ".m4a" else ["-f", "wav"]
    codec = _audio_codec(path)
    run_ffmpeg(["-f", "lavfi", "-i", source, *codec, *fmt, *_BITEXACT_AUDIO, str(path)])


def _atempo_chain(factor: float) -> list[str]:
    """``atempo`` filters (each 0.5-2.0) whose product is ``factor``."""
    filters = []
    while factor > 2.0:
        filters.append("atempo=2.0")
        factor /= 2.0
    filters.append(f"atempo={factor:.4f}")
    return filters


def _write_speech_voiceover(
    path: Path, text: str, seconds: float, starts_ms: list[int] | None
) -> None:
    """The text's sentences spoken by espeak-ng: at ``starts_ms`` when the plan timed them
    (captions follow), else one after another; sped up to fit, padded with silence."""
    from nemo_mock.mock_server.media.speech import sentence_lengths, sentences_of, spoken_sentences

    sentences = sentences_of(text) or [text]
    if starts_ms is None or len(starts_ms) != len(sentences):
        lengths = sentence_lengths(sentences)
        starts_ms = [sum(lengths[:i]) for i in range(len(lengths))]
        natural = sum(lengths)
    else:
        last = sentence_lengths(sentences[-1:])[0]
        natural = max(round(seconds * 1000), starts_ms[-1] + last)
    speech = spoken_sentences(sentences, starts_ms, max(natural, 1))
    with tempfile.TemporaryDirectory(prefix="nemo-tts-") as tmp:
        spoken = Path(tmp) / "speech.wav"
        with wave.open(str(spoken), "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(speech.rate)
            writer.writeframes(speech.samples.tobytes())
        length = natural / 1000
        filters = _atempo_chain(length / seconds) if length > seconds + 0.01 else []
        filters += ["apad", f"atrim=0:{seconds:g}", "aresample=24000"]
        fmt = ["-f", "mp4"] if path.suffix.lower() == ".m4a" else ["-f", "wav"]
        args = ["-i", str(spoken), "-af", ",".join(filters), "-ac", "1", *_audio_codec(path)]
        run_ffmpeg([*args, *fmt, *_BITEXACT_AUDIO, str(path)])


def synthesize_voiceover(
    path: Path, *, text: str, seconds: float, starts_ms: list[int] | None = None
) -> Path:
    """Write a voiceover of ``text`` lasting ``seconds`` (``.wav`` or ``.m4a``).

    Real speech from espeak-ng (English or Mandarin by the text), each sentence at its
    ``starts_ms`` when given; a deterministic speech-like tone pattern only when no espeak-ng
    library can be loaded.
    """
    from nemo_mock.mock_server.media.speech import SpeechUnavailable

    _audio_codec(path)
    if not (math.isfinite(seconds) and 0 < seconds <= 900):
        raise ValueError(f"seconds must be in (0, 900], got {seconds!r}")
    if text.strip():
        try:
            _write_speech_voiceover(path, text, seconds, starts_ms)
            return path
        except SpeechUnavailable:
            pass
    _write_tone_voiceover(path, text, seconds)
    return path
