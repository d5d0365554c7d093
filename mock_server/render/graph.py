"""Turn a laid-out :class:`Timeline` into an ffmpeg-python graph and its argument list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import ffmpeg
from ffmpeg.nodes import FilterableStream

from nemo_mock.mock_server.render.audio import clip_sound, mix, sound_stream
from nemo_mock.mock_server.render.inputs import InputSet
from nemo_mock.mock_server.render.placed import overlay_placed
from nemo_mock.mock_server.render.quality import Quality, output_options
from nemo_mock.mock_server.render.sequence import overlay_run, run_stream
from nemo_mock.mock_server.render.text import draw_captions
from nemo_mock.mock_server.render.timeline import Timeline

GLOBAL_ARGS = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]


@dataclass(frozen=True)
class Graph:
    """The final picture and sound streams, and the caption files their filters read."""

    picture: FilterableStream
    sound: FilterableStream
    text_files: dict[Path, str]


def build_graph(tl: Timeline, output: Path) -> Graph:
    """Composite the video tracks, draw the captions and mix the sound."""
    inputs = InputSet()
    picture, clips = run_stream(tl.base, inputs, tl)
    for run in tl.overlays:
        if run.place is not None:
            picture = overlay_placed(picture, run, inputs, tl)
            continue
        top, more = run_stream(run, inputs, tl)
        picture = overlay_run(picture, top, run)
        clips += more
    picture, text_files = draw_captions(picture, tl, output)
    sounds = [sound_stream(sound, inputs) for sound in tl.sounds]
    sounds += [clip_sound(shot, audio, tl.fps) for shot, audio in clips]
    return Graph(picture.filter("format", pix_fmts="yuv420p"), mix(sounds, inputs, tl), text_files)


def compile_args(graph: Graph, tl: Timeline, output: Path, quality: Quality) -> list[str]:
    """ffmpeg arguments (without the binary) writing an MP4 of exactly the draft's duration."""
    options = output_options(quality, tl.fps)
    stream = ffmpeg.output(
        graph.picture,
        graph.sound,
        str(output),
        format="mp4",
        t=f"{tl.duration_ms / 1000:.3f}",
        **options,
    )
    return [*GLOBAL_ARGS, *stream.get_args()]
