"""Filter chains for the sound: audio-track segments and clips' own sound, mixed over silence.

Each source is trimmed to its segment, set to its volume, faded, delayed to its start and
mixed (``amix`` with ``normalize=0``, so levels are what the draft says) over a silent track
(``anullsrc``) that lasts exactly the draft's duration; so every render has an AAC stream of
that length, even a draft with no sound at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import ffmpeg
from ffmpeg.nodes import FilterableStream

from nemo_mock.mock_server.render.inputs import InputSet
from nemo_mock.mock_server.render.quality import AUDIO_RATE
from nemo_mock.mock_server.render.timeline import Shot, Sound, Timeline


@dataclass(frozen=True)
class Placement:
    """Where and how a sound plays: all times in seconds."""

    start: float
    duration: float
    volume: float
    fade_in: float
    fade_out: float


def sound_stream(sound: Sound, inputs: InputSet) -> FilterableStream:
    """An audio-track segment read from its in-point, looped if asked, placed on the timeline."""
    duration = sound.duration_ms / 1000
    options: dict[str, str | int] = {"t": f"{duration:.6f}"}
    if sound.source_in_ms:
        options["ss"] = f"{sound.source_in_ms / 1000:.6f}"
    remaining = (sound.media.duration or 0.0) - sound.source_in_ms / 1000
    if sound.loop and remaining < duration:
        options["stream_loop"] = -1
    source = inputs.file(sound.media.path, **options).audio
    placement = Placement(
        start=sound.start_ms / 1000,
        duration=duration,
        volume=sound.volume,
        fade_in=sound.fade_in_ms / 1000,
        fade_out=sound.fade_out_ms / 1000,
    )
    return place(source, placement)


def clip_sound(shot: Shot, audio: FilterableStream, fps: int) -> FilterableStream:
    """A video clip's own sound, for the frames its segment owns on the timeline."""
    placement = Placement(
        start=shot.start_frame / fps,
        duration=shot.frames / fps,
        volume=shot.volume,
        fade_in=shot.fade_in_ms / 1000,
        fade_out=shot.fade_out_ms / 1000,
    )
    return place(_tempo(audio, shot.speed), placement)


def _tempo(audio: FilterableStream, speed: float) -> FilterableStream:
    """A clip's sound played ``speed`` times as fast, in pitch (``atempo`` takes 0.5-2 a stage)."""
    while abs(speed - 1) > 1e-6:
        stage = min(2.0, max(0.5, speed))
        audio = audio.filter("atempo", tempo=f"{stage:.6f}")
        speed /= stage
    return audio


def place(stream: FilterableStream, at: Placement) -> FilterableStream:
    """Trim, set the level, fade and delay a source (timestamps from zero)."""
    sound = stream.filter("asetpts", expr="PTS-STARTPTS").filter(
        "aformat", sample_fmts="fltp", sample_rates=AUDIO_RATE, channel_layouts="stereo"
    )
    sound = sound.filter("atrim", duration=f"{at.duration:.6f}")
    if at.volume != 1:
        sound = sound.filter("volume", volume=f"{at.volume:.4f}")
    if at.fade_in > 0:
        sound = sound.filter("afade", t="in", st=0, d=f"{min(at.fade_in, at.duration):.6f}")
    if at.fade_out > 0:
        fade = min(at.fade_out, at.duration)
        sound = sound.filter("afade", t="out", st=f"{at.duration - fade:.6f}", d=f"{fade:.6f}")
    delay = round(at.start * AUDIO_RATE)
    if delay > 0:
        sound = sound.filter("adelay", delays=f"{delay}S", all=1)
    return sound


def mix(sounds: list[FilterableStream], inputs: InputSet, tl: Timeline) -> FilterableStream:
    """Everything mixed over silence lasting exactly the draft's duration."""
    seconds = tl.duration_ms / 1000
    silence = inputs.lavfi(f"anullsrc=r={AUDIO_RATE}:cl=stereo:d={seconds:.6f}").audio
    silence = silence.filter("aformat", sample_fmts="fltp")
    if not sounds:
        return silence
    return ffmpeg.filter(
        [silence, *sounds],
        "amix",
        inputs=len(sounds) + 1,
        duration="first",
        dropout_transition=0,
        normalize=0,
    )
