"""Render a 30-second 1080x1920 slideshow with the engine and with one hand-written command.

The draft: five photos (5 s each, 0.5 s fades between them and into the clip), a 5-second
clip with its own sound, looping background music at 35% with fades, and a title. The
hand-written ffmpeg command does the same composite the way it is usually written by hand
(scale and crop each input, one ``xfade`` chain, ``drawtext``, ``amix``) with the same encoder
settings (quality=high). Each is run ``--rounds`` times, alternating; the best wall times are
compared, and the CPU time of the ffmpeg processes is shown too (steadier on a busy machine).
A pure-Python CPU probe before and after each round tells how busy the machine was.
Targets: ours / hand-written <= 1.10, and the 30 s render in <= 15 s of wall time.

    python bench/render_bench.py [--rounds 2] [--keep DIR] [--preset P] [--crf N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mock_server.domain.drafts import Draft, parse_draft
from mock_server.media.ffmpeg import resolve_ffmpeg
from mock_server.media.probe import probe
from mock_server.media.samples import make_clip, make_photo, make_song
from mock_server.render import (
    QUALITY_SETTINGS,
    MissingMedia,
    ResolvedMedia,
    plan_render,
    run_render,
)
from mock_server.render.fonts import bundled_font

W, H, FPS, SECONDS = 1080, 1920, 30, 30
PHOTOS = ("#c0392b", "#2471a3", "#1e8449", "#b9770e", "#7d3c98")
TITLE = "Golden Hour 黄金时刻"


def make_media(folder: Path) -> dict[str, Path]:
    media: dict[str, Path] = {}
    for i, color in enumerate(PHOTOS, start=1):
        size = (1280, 720) if i % 2 else (720, 1280)
        path = folder / f"photo_{i}.jpg"
        if not path.is_file():
            make_photo(path, width=size[0], height=size[1], color=color, label=f"photo {i}")
        media[f"photo_{i}"] = path
    media["clip"] = folder / "clip.mp4"
    if not media["clip"].is_file():
        make_clip(media["clip"], seconds=5, width=1280, height=720, fps=30)
    media["music"] = folder / "music.mp3"
    if not media["music"].is_file():
        make_song(media["music"], seconds=12)
    return media


def bench_draft() -> Draft:
    fade = {"type": "fade", "d": 500}
    photos = [{"s": i * 5000, "d": 5000, "src": f"photo_{i + 1}", "tr": fade} for i in range(5)]
    return parse_draft(
        {
            "d": SECONDS * 1000,
            "m": {"title": "bench", "width": W, "height": H, "fps": FPS},
            "t": [
                {"tt": 0, "sg": [*photos, {"s": 25000, "d": 5000, "src": "clip"}]},
                {
                    "tt": 1,
                    "n": "BGM",
                    "sg": [{"s": 0, "d": 30000, "src": "music", "fi": 1000, "fo": 2000}],
                },
                {"tt": 7, "sg": [{"s": 0, "d": 4000, "tx": TITLE, "fi": 500, "fo": 500}]},
            ],
        }
    )


def resolver(media: dict[str, Path]):
    def resolve(src: str) -> ResolvedMedia:
        if src not in media:
            raise MissingMedia(src)
        info = probe(media[src])
        return ResolvedMedia(
            media[src], info.kind, info.duration, info.width, info.height, info.has_audio
        )

    return resolve


def hand_written(media: dict[str, Path], output: Path, title_file: Path) -> list[str]:
    """The same composite written by hand: scale each photo once, loop it, xfade, drawtext."""
    fit = f"scale={W}:{H}:force_original_aspect_ratio=increase,crop={W}:{H},setsar=1,format=yuv420p"
    chains = []
    for i in range(5):
        frames = 165  # 5 s + the 0.5 s fade into the next shot
        chains.append(f"[{i}:v]{fit},loop={frames - 1}:1:0,setpts=N/{FPS}/TB,fps={FPS}[v{i}]")
    chains.append(f"[5:v]fps={FPS},{fit},tpad=stop=-1:stop_mode=clone,trim=end_frame=150[v5]")
    previous = "v0"
    for i in range(1, 6):
        chains.append(f"[{previous}][v{i}]xfade=transition=fade:duration=0.5:offset={5 * i}[x{i}]")
        previous = f"x{i}"
    font = bundled_font()
    chains.append(
        f"[{previous}]drawtext=fontfile={font}:textfile={title_file}:expansion=none"
        f":fontsize=81:fontcolor=white:text_align=C:x=(w-text_w)/2:y=(h-text_h)/2"
        ":borderw=2:bordercolor=black@0.55:shadowx=4:shadowy=4:shadowcolor=black@0.5"
        ":alpha='clip(min(t/0.5,(4-t)/0.5),0,1)':enable='lt(t,4)'[v]"
    )
    chains.append("[6:a]volume=0.35,afade=t=in:d=1,afade=t=out:st=28:d=2[music]")
    chains.append("[5:a]atrim=duration=5,adelay=25000:all=1[clipsound]")
    chains.append("[music][clipsound]amix=inputs=2:duration=first:normalize=0[a]")
    high = QUALITY_SETTINGS["high"]
    inputs = [arg for i in range(5) for arg in ("-i", str(media[f"photo_{i + 1}"]))]
    inputs += ["-t", "5", "-i", str(media["clip"])]
    inputs += ["-stream_loop", "-1", "-t", "30", "-i", str(media["music"])]
    video = ["-c:v", "libx264", "-preset", high["preset"], "-crf", high["crf"]]
    video += ["-pix_fmt", "yuv420p", "-r", str(FPS), "-colorspace", "bt709"]
    video += ["-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv"]
    audio = ["-c:a", "aac", "-b:a", high["b:a"], "-ar", "48000", "-ac", "2"]
    return [
        *("-hide_banner", "-nostdin", "-loglevel", "error", "-y", *inputs),
        *("-filter_complex", ";".join(chains), "-map", "[v]", "-map", "[a]"),
        *video,
        *audio,
        *("-movflags", "+faststart", "-t", str(SECONDS), str(output)),
    ]


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    cpu: float  # user + system seconds of the ffmpeg process


def measured(work: Callable[[], object]) -> Timing:
    before, started = os.times(), time.perf_counter()
    work()
    after, wall = os.times(), time.perf_counter() - started
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return Timing(wall, cpu)


def run_ours(media: dict[str, Path], output: Path) -> None:
    plan = plan_render(bench_draft(), resolver(media), output, quality="high")
    run_render(plan)


def run_hand_written(media: dict[str, Path], output: Path) -> None:
    title = output.with_suffix(".txt")
    title.write_text(TITLE, encoding="utf-8")
    subprocess.run([resolve_ffmpeg(), *hand_written(media, output, title)], check=True)


def cpu_probe() -> float:
    """Seconds for a fixed pure-Python loop: tells how fast (or busy) the machine was."""
    started = time.perf_counter()
    sum(range(30_000_000))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="write the media and outputs here")
    parser.add_argument("--preset", help="try another x264 preset for quality=high")
    parser.add_argument("--crf", help="try another CRF for quality=high")
    args = parser.parse_args()
    QUALITY_SETTINGS["high"].update(
        {k: v for k, v in (("preset", args.preset), ("crf", args.crf)) if v}
    )
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        media = make_media(folder)
        probes = [cpu_probe()]
        ours, theirs = [], []
        for _ in range(args.rounds):
            ours.append(measured(lambda: run_ours(media, folder / "ours.mp4")))
            theirs.append(measured(lambda: run_hand_written(media, folder / "hand.mp4")))
            probes.append(cpu_probe())
        report(ours, theirs, probes)


def report(ours: list[Timing], theirs: list[Timing], probes: list[float]) -> None:
    settings = QUALITY_SETTINGS["high"]
    best_ours, best_theirs = min(t.wall for t in ours), min(t.wall for t in theirs)
    print(f"draft: {SECONDS} s {W}x{H} @ {FPS} fps, 5 photos + 1 clip + music + title")
    print(
        f"quality=high: preset {settings['preset']}, crf {settings['crf']}, aac {settings['b:a']}"
    )
    print(f"cpu probe (lower is faster): {_fmt(probes)} s")
    print(f"engine (plan_render + run_render): best {best_ours:.2f} s  {_runs(ours)}")
    print(f"hand-written ffmpeg command:       best {best_theirs:.2f} s  {_runs(theirs)}")
    print(f"ratio ours / hand-written (wall): {best_ours / best_theirs:.3f}  (target <= 1.10)")
    cpu_ratio = min(t.cpu for t in ours) / min(t.cpu for t in theirs)
    print(f"ratio ours / hand-written (cpu):  {cpu_ratio:.3f}")
    print(f"engine speed: {SECONDS / best_ours:.2f} s of video per s of wall time (target >= 2.0)")
    print(f"hand-written speed: {SECONDS / best_theirs:.2f} s of video per s of wall time")


def _runs(timings: list[Timing]) -> str:
    return "(runs, wall/cpu s: " + ", ".join(f"{t.wall:.2f}/{t.cpu:.2f}" for t in timings) + ")"


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
