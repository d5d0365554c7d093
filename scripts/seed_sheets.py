"""Run the four seeds' flows as their users would and make a contact sheet of each export.

    .venv/bin/python scripts/seed_sheets.py OUT_DIR [FLOW ...]

Each flow (wedding invitation, promo with a logo, photo slideshow, script video) uploads
generated media (portrait couple photos with a red face, square product shots with a yellow
cap and a green base, a transparent logo, a venue clip, a song), sends the seed's prompts
through /run_sse in-process, exports the draft and writes OUT_DIR/<flow>.mp4, the replies and
the draft (<flow>.json) and a 4x3 contact sheet (<flow>.png) of frames spread over the video,
each labelled with its time. Look at the sheets: renders are judged by people.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from nemo_mock.mock_server.app import create_app  # noqa: E402
from nemo_mock.mock_server.domain.clock import ManualClock  # noqa: E402
from nemo_mock.mock_server.media.ffmpeg import run_ffmpeg  # noqa: E402
from nemo_mock.mock_server.media.samples import make_clip, make_song  # noqa: E402
from nemo_mock.mock_server.render.fonts import font_for  # noqa: E402
from nemo_mock.mock_server.settings import Settings  # noqa: E402
from tests.conftest import Api  # noqa: E402
from tests.helpers.seed_flow import export, turn  # noqa: E402
from tests.render.helpers import logo, person, product  # noqa: E402

SCRIPT = (
    "Meet Aurora, the desk lamp that learns your day. It wakes you with a warm sunrise glow. "
    "At night it dims slowly, so you sleep better. Try Aurora today."
)
COLOURS = ("0x3050C0", "0xC03050", "0x30A0A0", "0x8040C0", "0x606060")


def _media(folder: Path) -> dict[str, list[Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    couples = [person(folder / f"couple_{i}.png", 600, 800) for i in range(5)]
    products = [product(folder / f"product_{i}.png", 800, 800, c) for i, c in enumerate(COLOURS)]
    mark = logo(folder / "logo.png")
    venue = make_clip(folder / "venue.mp4", seconds=2, width=640, height=360, color="#f4f4f4")
    song = make_song(folder / "our_song.mp3", seconds=8)
    return {"couples": couples, "products": products, "logo": [mark], "venue": [venue],
            "song": [song]}  # fmt: skip


def flows(m: dict[str, list[Path]]) -> dict[str, tuple[list[Path], list[str]]]:
    """Flow name -> (uploads, prompts in order)."""
    return {
        "000_wedding": ([*m["couples"], *m["venue"], *m["song"]], [
            "create a 60-second wedding invitation video with our names, date, and romantic "
            "background music",
            "our names are Emma and James, and the date is June 14, 2026",
        ]),
        "001_promo": ([*m["products"], *m["logo"]], [
            "turn these images into a 30-second promo video with music and text overlays",
        ]),
        "002_slideshow": ([*m["products"], *m["song"]], [
            "turn my photos into a smooth video slideshow with transitions and music",
        ]),
        "003_script": ([], [
            f"turn this script into a short promo video with voiceover and visuals: {SCRIPT}",
        ]),
    }  # fmt: skip


def sheet(video: Path, png: Path, seconds: float, count: int = 12) -> None:
    """``count`` frames spread evenly over the video, tiled 4 wide, each with its time."""
    rate = count / seconds
    font = font_for("sans", "0")
    label = (
        f"drawtext=fontfile={font}:text='%{{pts\\:hms}}':x=w-tw-6:y=h-th-6:fontsize=18"
        ":fontcolor=white:box=1:boxcolor=black@0.6"
    )
    rows = -(-count // 4)
    graph = f"fps={rate:.5f}:start_time={seconds / count / 2:.3f},scale=480:-2,{label},"
    graph += f"tile=4x{rows}:padding=4:color=0x202020"
    run_ffmpeg(["-i", str(video), "-vf", graph, "-frames:v", "1", "-update", "1", str(png)])


def run_flow(out: Path, name: str, uploads: list[Path], prompts: list[str]) -> dict:
    settings = Settings(data_dir=out / f"data_{name}", time_scale=0, silent_rate=0,
                        temp_issue_rate=0)  # fmt: skip
    app = create_app(settings, clock=ManualClock(), rng=random.Random(settings.seed))
    with TestClient(app) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers, language="en")["session_id"]
        if uploads:
            parts = [("files", (p.name, p.read_bytes())) for p in uploads]
            client.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=headers, files=parts)
        replies = [turn(client, headers, sid, prompt) for prompt in prompts]
        draft = export(api, headers, sid, out / f"{name}.mp4", limit=900)
    return {"replies": replies, "draft": draft}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for name, (uploads, prompts) in flows(_media(out / "media")).items():
        if argv[1:] and name not in argv[1:]:
            continue
        found = run_flow(out, name, uploads, prompts)
        (out / f"{name}.json").write_text(json.dumps(found, indent=1, ensure_ascii=False))
        sheet(out / f"{name}.mp4", out / f"{name}.png", found["draft"]["d"] / 1000)
        print(f"{name}: {found['draft']['d'] / 1000:g} s -> {out / name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
