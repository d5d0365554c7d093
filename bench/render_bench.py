"""Render speed against the encoder's floor and against a competent hand-written command.

Three ways to make the same video, interleaved in every round (the order rotates):

- engine: ``plan_render`` + ``run_render`` on the draft (what an export does);
- floor: x264 encoding the engine's own frames with the engine's encoder settings. The
  engine's filter graph is run once, untimed, into a lossless file (x264 ``-qp 0``, FLAC
  sound), so the floor sees the very frames the engine encodes (not a re-decoded output,
  whose coding noise would make the floor slower); one ffmpeg decodes it to raw yuv420p
  and pipes it into another that encodes it (and the sound) exactly as the engine does.
  The floor's CPU is the encoding process alone; its wall time includes the pipe (the
  decoder runs beside it, so on two cores the floor's wall is a little pessimistic);
- hand-written (portrait draft only): one ``ffmpeg -filter_complex`` command written by hand
  for the same composite (blurred fill for landscape pictures, ``zoompan`` on the photos,
  cross-fades that blend only the transition frames in yuv420p, ``drawtext``, ``amix``), the
  way a competent person writes it; the old baseline chained ``xfade`` (yuv444p) over the
  whole video and flattered the engine.

The machine is shared (other processes take the cores), so the primary figure is CPU time
(user + system of the ffmpeg children, from ``wait4``); wall times are shown with the load
average before and after each round. Ratios are medians over the rounds.

Drafts: ``portrait`` — 30 s 1080x1920 at quality high: five photos (alternately landscape and
portrait) with zoom and 0.5 s fades, a 5 s landscape clip with its own sound, looping music
at 35 % with fades, a title; ``wedding`` — 60 s 1080x1920: five portrait couple photos
(10 s each, zoom, fades), a 10 s venue clip, music, the names and the date.
Targets (issue 18): engine / floor <= 1.10 in CPU and wall; portrait <= 15 s wall and
wedding <= 30 s wall on two idle cores.

    python bench/render_bench.py [--draft portrait|wedding|both] [--rounds 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nemo_mock.mock_server.domain.drafts import Draft, parse_draft
from nemo_mock.mock_server.media.ffmpeg import resolve_ffmpeg
from nemo_mock.mock_server.media.probe import probe
from nemo_mock.mock_server.media.samples import make_clip, make_photo, make_song
from nemo_mock.mock_server.render import MissingMedia, ResolvedMedia, plan_render, run_render
from nemo_mock.mock_server.render.fonts import bundled_font
from nemo_mock.mock_server.render.quality import output_options

W, H, FPS = 1080, 1920, 30
PHOTOS = ("#c0392b", "#2471a3", "#1e8449", "#b9770e", "#7d3c98")
TITLE = "Golden Hour 黄金时刻"
FADE = {"type": "fade", "d": 500}


def make_media(folder: Path) -> dict[str, Path]:
    """Photos 1, 3, 5 landscape and 2, 4 portrait; couple photos all portrait; clip; song."""
    media: dict[str, Path] = {}
    for i, color in enumerate(PHOTOS, start=1):
        for name, size in ((f"photo_{i}", (1280, 720) if i % 2 else (720, 1280)),
                           (f"couple_{i}", (900, 1200))):  # fmt: skip
            path = folder / f"{name}.jpg"
            if not path.is_file():
                make_photo(path, width=size[0], height=size[1], color=color, label=name)
            media[name] = path
    for name, seconds in (("clip", 5), ("venue", 10)):
        media[name] = folder / f"{name}.mp4"
        if not media[name].is_file():
            make_clip(media[name], seconds=seconds, width=1280, height=720, fps=30)
    media["music"] = folder / "music.mp3"
    if not media["music"].is_file():
        make_song(media["music"], seconds=12)
    return media


def _draft(seconds: int, video: list[dict], captions: list[dict]) -> Draft:
    music = {"s": 0, "d": seconds * 1000, "src": "music", "fi": 1000, "fo": 2000}
    return parse_draft(
        {
            "d": seconds * 1000,
            "m": {"title": "bench", "width": W, "height": H, "fps": FPS},
            "t": [
                {"tt": 0, "sg": video},
                {"tt": 1, "n": "BGM", "sg": [music]},
                {"tt": 7, "sg": captions},
            ],
        }
    )


def portrait_draft() -> Draft:
    photos = [
        {"s": i * 5000, "d": 5000, "src": f"photo_{i + 1}", "tr": FADE, "z": True} for i in range(5)
    ]
    title = {"s": 0, "d": 4000, "tx": TITLE, "fi": 500, "fo": 500}
    return _draft(30, [*photos, {"s": 25000, "d": 5000, "src": "clip"}], [title])


def wedding_draft() -> Draft:
    photos = [
        {"s": i * 10000, "d": 10000, "src": f"couple_{i + 1}", "tr": FADE, "z": True}
        for i in range(5)
    ]
    captions = [
        {"s": 0, "d": 5000, "tx": "Emma & James", "fi": 500, "fo": 500, "pos": "top"},
        {"s": 5000, "d": 5000, "tx": "Saturday 14 June 2026", "fi": 500, "fo": 500},
        {"s": 50000, "d": 10000, "tx": "Join us at Rosewood Hall", "fi": 500, "fo": 500},
    ]
    return _draft(60, [*photos, {"s": 50000, "d": 10000, "src": "venue"}], captions)


def resolver(media: dict[str, Path]) -> Callable[[str], ResolvedMedia]:
    def resolve(src: str) -> ResolvedMedia:
        if src not in media:
            raise MissingMedia(src)
        info = probe(media[src])
        return ResolvedMedia(
            media[src], info.kind, info.duration, info.width, info.height, info.has_audio
        )

    return resolve


def _encoder_args(quality: str = "high") -> list[str]:
    options = output_options(quality, FPS)  # type: ignore[arg-type]
    return [arg for key, value in options.items() for arg in (f"-{key}", value)]


def _fill(label: str, out: str) -> str:
    """A landscape picture whole over a blurred, dimmed fill of itself (the engine's look)."""
    tv = "out_range=tv:out_color_matrix=bt709"
    return (
        f"[{label}]split[{out}b][{out}f];"
        f"[{out}b]scale=134:240:force_original_aspect_ratio=increase:{tv},crop=134:240,"
        f"format=yuv420p,boxblur=6:2:3,eq=brightness=-0.18:saturation=0.8,"
        f"scale={W}:{H}:flags=fast_bilinear[{out}bg];"
        f"[{out}f]scale={W}:-2:{tv},format=yuv420p[{out}fg];"
        f"[{out}bg][{out}fg]overlay=(W-w)/2:(H-h)/2:format=yuv420,setsar=1[{out}]"
    )


def hand_written(media: dict[str, Path], output: Path, title_file: Path) -> list[str]:
    """The portrait draft written by hand, blending only the 15 frames of each fade."""
    chains, parts = [], []
    zoom = "zoompan=z='1+0.08*on/164':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=165"
    zoom += f":s={W}x{H}:fps={FPS}"
    for i in range(5):
        if i % 2 == 0:  # photos 1, 3, 5 are landscape
            chains.append(_fill(f"{i}:v", f"f{i}"))
            chains.append(f"[f{i}]{zoom}[z{i}]")
        else:
            tv = "out_range=tv:out_color_matrix=bt709"
            chains.append(f"[{i}:v]scale={W}:{H}:{tv},format=yuv420p,setsar=1,{zoom}[z{i}]")
    chains.append(f"[5:v]fps={FPS},trim=end_frame=150,setpts=PTS-STARTPTS[c]")
    chains.append(_fill("c", "z5"))
    for i in range(6):  # head (blended into the previous tail), body, tail
        outs = ("h", "b", "t") if 0 < i < 5 else (("b", "t") if i == 0 else ("h", "b"))
        ranges = {"h": (0, 15), "b": (15 if i else 0, 150), "t": (150, 165)}
        chains.append(f"[z{i}]split={len(outs)}" + "".join(f"[{o}{i}s]" for o in outs))
        for o in outs:
            a, b = ranges[o]
            chains.append(
                f"[{o}{i}s]trim=start_frame={a}:end_frame={b},setpts=PTS-STARTPTS[{o}{i}]"
            )
        if i:
            chains.append(
                f"[h{i}]format=yuva420p,fade=t=in:nb_frames=15:alpha=1[a{i}];"
                f"[t{i - 1}][a{i}]overlay=format=yuv420:shortest=1[x{i}]"
            )
            parts.append(f"[x{i}]")
        parts.append(f"[b{i}]")
    font = bundled_font()
    chains.append(
        "".join(parts) + f"concat=n={len(parts)}:v=1:a=0,"
        f"drawtext=fontfile={font}:textfile={title_file}:expansion=none"
        f":fontsize=81:fontcolor=white:text_align=C:x=(w-text_w)/2:y=(h-text_h)/2"
        ":borderw=2:bordercolor=black@0.55:shadowx=4:shadowy=4:shadowcolor=black@0.5"
        ":alpha='clip(min(t/0.5,(4-t)/0.5),0,1)':enable='lt(t,4)'[v]"
    )
    chains.append("[6:a]volume=0.35,afade=t=in:d=1,afade=t=out:st=28:d=2[music]")
    chains.append("[5:a]atrim=duration=5,asetpts=PTS-STARTPTS,adelay=25000:all=1[clipsound]")
    chains.append("[music][clipsound]amix=inputs=2:duration=first:normalize=0[a]")
    inputs = [arg for i in range(5) for arg in ("-i", str(media[f"photo_{i + 1}"]))]
    inputs += ["-t", "5.1", "-i", str(media["clip"])]
    inputs += ["-stream_loop", "-1", "-t", "30", "-i", str(media["music"])]
    return [
        *("-hide_banner", "-nostdin", "-loglevel", "error", "-y", *inputs),
        *("-filter_complex", ";".join(chains), "-map", "[v]", "-map", "[a]"),
        *_encoder_args(),
        *("-t", "30", str(output)),
    ]


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    cpu: float  # user + system seconds of the measured ffmpeg process(es)


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def run_engine(draft: Draft, media: dict[str, Path], output: Path) -> Timing:
    plan = plan_render(draft, resolver(media), output, quality="high")
    before, started = _children_cpu(), time.perf_counter()
    run_render(plan)
    return Timing(time.perf_counter() - started, _children_cpu() - before)


def engine_frames(draft: Draft, media: dict[str, Path], output: Path) -> Path:
    """The engine's own frames and sound, stored losslessly (x264 ``-qp 0``, FLAC): untimed."""
    plan = plan_render(draft, resolver(media), output, quality="high")
    maps = plan.args.index("-map")
    args = [*plan.args[: maps + 4], "-t", f"{draft.duration / 1000:.3f}",
            "-c:v", "libx264", "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "flac", str(output)]  # fmt: skip
    for path, text in plan.text_files.items():
        path.write_text(text, encoding="utf-8")
    subprocess.run([resolve_ffmpeg(), *args], check=True)
    return output


def run_floor(frames: Path, output: Path) -> Timing:
    """x264 (and AAC) encoding the engine's frames; the CPU of the encoding process alone."""
    ffmpeg = resolve_ffmpeg()
    decode = [ffmpeg, "-hide_banner", "-loglevel", "error", "-i", str(frames),
              "-map", "0:v", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"]  # fmt: skip
    encode = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
              "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{W}x{H}", "-r", str(FPS),
              "-i", "-", "-i", str(frames), "-map", "0:v", "-map", "1:a",
              *_encoder_args(), str(output)]  # fmt: skip
    started = time.perf_counter()
    decoder = subprocess.Popen(decode, stdout=subprocess.PIPE)
    encoder = subprocess.Popen(encode, stdin=decoder.stdout)
    assert decoder.stdout is not None
    decoder.stdout.close()
    _, status, usage = os.wait4(encoder.pid, 0)
    wall = time.perf_counter() - started
    decoder.wait()
    if status or decoder.returncode:
        raise SystemExit(f"floor failed: decoder {decoder.returncode}, encoder {status}")
    return Timing(wall, usage.ru_utime + usage.ru_stime)


def run_hand_written(media: dict[str, Path], output: Path) -> Timing:
    title = output.with_suffix(".txt")
    title.write_text(TITLE, encoding="utf-8")
    process = subprocess.Popen([resolve_ffmpeg(), *hand_written(media, output, title)])
    started = time.perf_counter()
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"hand-written command failed: {status}")
    return Timing(time.perf_counter() - started, usage.ru_utime + usage.ru_stime)


def bench(name: str, draft: Draft, media: dict[str, Path], folder: Path, rounds: int) -> None:
    runs: dict[str, list[Timing]] = {"engine": [], "floor": []}
    if name == "portrait":
        runs["hand"] = []
    frames = engine_frames(draft, media, folder / f"{name}.frames.mkv")
    loads = [os.getloadavg()[0]]
    for round_no in range(rounds):
        order = list(runs)
        order = order[round_no % len(order) :] + order[: round_no % len(order)]
        for which in order:
            if which == "engine":
                runs[which].append(run_engine(draft, media, folder / f"{name}.engine.mp4"))
            elif which == "floor":
                runs[which].append(run_floor(frames, folder / f"{name}.floor.mp4"))
            else:
                runs[which].append(run_hand_written(media, folder / f"{name}.hand.mp4"))
        loads.append(os.getloadavg()[0])
    report(name, draft, runs, loads)


def report(name: str, draft: Draft, runs: dict[str, list[Timing]], loads: list[float]) -> None:
    seconds = draft.duration / 1000
    print(f"\n{name}: {seconds:g} s {W}x{H} @ {FPS} fps, quality high")
    shown = ", ".join(f"{v:.1f}" for v in loads)
    print(f"load average (1 min) before and after each round: {shown}")
    for which, timings in runs.items():
        listed = ", ".join(f"{t.wall:.1f}/{t.cpu:.1f}" for t in timings)
        print(f"  {which:<7} wall/cpu s per round: {listed}")
    for other in ("floor", "hand"):
        if other in runs:
            cpu = statistics.median(
                e.cpu / o.cpu for e, o in zip(runs["engine"], runs[other], strict=True)
            )
            wall = statistics.median(
                e.wall / o.wall for e, o in zip(runs["engine"], runs[other], strict=True)
            )
            target = "  (target <= 1.10)" if other == "floor" else ""
            print(f"  engine / {other}: cpu {cpu:.3f}  wall {wall:.3f}{target}")
    best = min(runs["engine"], key=lambda t: t.cpu)
    print(
        f"  engine: {seconds / best.wall:.2f} s of video per wall second; "
        f"CPU {best.cpu:.1f} s, so >= {best.cpu / 2:.1f} s of wall on two idle cores"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draft", choices=("portrait", "wedding", "both"), default="portrait")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the media and outputs here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        media = make_media(folder)
        drafts = {"portrait": portrait_draft, "wedding": wedding_draft}
        chosen = list(drafts) if args.draft == "both" else [args.draft]
        for name in chosen:
            bench(name, drafts[name](), media, folder, args.rounds)


if __name__ == "__main__":
    main()
