"""The "Try saying" lines of the four seeds as cases, each run as its user would (upload,
ask, export, in-process) and measured in the exported file: the subject not cut (the couple's
red face band, the product's yellow cap and green base), logos whole on a card, every text
legible where it stands, sound that is not silence, the uploaded song as the music when one
was given, the length asked for. The tests are ``tests/test_seed_try_saying*.py``, split
three ways so the slow tier's workers share the renders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.media.samples import make_clip, make_song
from tests.conftest import Api
from tests.helpers.seed_flow import export, loudness, samples, turn
from tests.render.helpers import (
    BASE,
    BODY,
    CAP,
    HEAD,
    LOGO_INK,
    Picture,
    close_to,
    frames_at,
    legible,
    logo,
    person,
    product,
    rows_of,
)

SCRIPT = (
    "Meet Aurora, the desk lamp that learns your day. It wakes you with a warm sunrise glow. "
    "At night it dims slowly, so you sleep better. Try Aurora today."
)
BANDS = {"top": (0.04, 0.3), "center": (0.3, 0.7), "bottom": (0.68, 0.97)}


def couples(folder: Path) -> list[Path]:
    return [person(folder / f"couple_{i}.png", 600, 800) for i in range(5)]


def products(folder: Path) -> list[Path]:
    colours = ("0x3050C0", "0xC03050", "0x30A0A0", "0x8040C0", "0x606060")
    return [product(folder / f"product_{i}.png", 800, 800, c) for i, c in enumerate(colours)]


def venue(folder: Path) -> Path:
    return make_clip(folder / "venue.mp4", seconds=2, width=640, height=360, color="#f4f4f4")


def footage(folder: Path) -> Path:
    return make_clip(folder / "footage.mp4", seconds=4, width=1280, height=720, color="#3060a0")


def song(folder: Path) -> Path:
    return make_song(folder / "our_song.mp3", seconds=8)


@dataclass(frozen=True)
class Case:
    prompt: str
    uploads: Callable[[Path], list[Path]]
    seconds: float | None = None  # the length asked for
    canvas: tuple[int, int] | None = None
    own_song: bool = False
    logo: bool = False
    voice: bool = False
    transitions: bool = False
    asks: bool = False  # the prompt asks for facts it does not give: placeholders + a question
    extra: dict[str, object] = field(default_factory=dict)


CASES = {
    "wedding-60s-names-date-music": Case(
        "create a 60-second wedding invitation video with our names, date, and romantic "
        "background music",
        couples, seconds=60, canvas=(1080, 1920), asks=True,
    ),
    "wedding-personalised-invitations": Case(
        "creating personalized wedding invitation videos to share with guests for couples and "
        "wedding planners",
        lambda f: [*couples(f), venue(f)], canvas=(1080, 1920),
    ),
    "promo-products-and-logo-1080p": Case(
        "create five product images and a logo file into a 1080p MP4",
        lambda f: [*products(f), logo(f / "logo.png")], canvas=(1920, 1080), logo=True,
    ),
    "promo-30s-music-overlays": Case(
        "turn these images into a 30-second promo video with music and text overlays",
        lambda f: [*products(f), logo(f / "logo.png")], seconds=30, logo=True,
    ),
    "promo-images-or-clips": Case(
        "creating videos from images or clips using AI automation for marketers and content "
        "creators",
        lambda f: [*products(f), footage(f)],
    ),
    "slideshow-products-and-music-1080p": Case(
        "convert five product photos and a background music file into a 1080p MP4",
        lambda f: [*products(f), song(f)], canvas=(1920, 1080), own_song=True,
    ),
    "slideshow-smooth-transitions-music": Case(
        "turn my photos into a smooth video slideshow with transitions and music",
        couples, transitions=True,
    ),
    "slideshow-photo-collections": Case(
        "turning photo collections into shareable videos for social media creators",
        lambda f: [*couples(f), *products(f)[:2]],
    ),
    "script-300-words-1080p": Case(
        f"create a 300-word blog post or product script into a 1080p MP4: {SCRIPT}",
        lambda f: [], canvas=(1920, 1080), voice=True,
    ),
    "script-marketing-from-footage": Case(
        "creating marketing or social media videos from text or footage for marketers and "
        "content creators",
        lambda f: [footage(f)],
    ),
}  # fmt: skip


def segments(draft: dict, kind: int) -> list[dict]:
    return [s for t in draft["t"] if t["tt"] == kind for s in t["sg"]]


def _column_has(picture: Picture, colour: tuple[int, int, int], ys: range) -> bool:
    xs = (0.44, 0.47, 0.5, 0.53, 0.56)
    return any(close_to(picture.patch(x, y / 100, 0.006), colour, 60) for x in xs for y in ys)


def _check_subject(picture: Picture, name: str, where: str) -> None:
    if name.startswith("couple"):
        assert _column_has(picture, HEAD, range(2, 45)), f"{where}: the face is cut"
        head, body = rows_of(picture, HEAD), rows_of(picture, BODY)
        # the head is a sixth of the photo and the body six tenths: neither cut nor covered
        # (the body's extent: a title in the middle may cross it)
        extent = body[-1] - body[0] + 1 if body else 0
        assert abs(3.6 * len(head) - extent) < 0.1 * extent, f"{where}: {len(head)} {extent}"
    elif name.startswith("product"):
        assert _column_has(picture, CAP, range(1, 40)), f"{where}: the product's top is cut"
        assert _column_has(picture, BASE, range(60, 99)), f"{where}: the product's base is cut"
        cap, base = rows_of(picture, CAP), rows_of(picture, BASE)
        # the cap and the base are as tall as each other: neither cut nor under a caption
        assert abs(len(cap) - len(base)) <= 3, f"{where}: cap {len(cap)} rows, base {len(base)}"
    elif name.startswith("logo"):
        row = [picture.pixel(x, picture.height // 2) for x in range(picture.width)]
        inked = [x for x, rgb in enumerate(row) if close_to(rgb, LOGO_INK, 60)]
        assert inked, f"{where}: no logo"
        assert (inked[-1] - inked[0]) < 0.66 * picture.width, f"{where}: the logo is stretched"
        assert min(picture.patch(0.03, 0.05, 0.02)) > 150, f"{where}: no light card behind"


def _track(draft: dict, name: str) -> list[dict]:
    return next((t["sg"] for t in draft["t"] if t.get("n") == name), [])


def _shot_middles(video: list[dict]) -> list[float]:
    """The middle of every shot before the end card, in seconds."""
    return [(s["s"] + s["d"] / 2) / 1000 for s in video[:-1]]


def _check_corner_logo(
    draft: dict, frames: dict[float, Picture], video: list[dict], by_id: dict[str, str]
) -> None:
    """The logo in the top-left corner over every shot before the end card, whole and small
    (``frames``: the export's frames at least at ``_shot_middles(video)``)."""
    (mark,) = _track(draft, "Logo")
    assert by_id[mark["src"]] == "logo.png" and mark["s"] == 0 and mark["d"] == video[-1]["s"]
    for at in _shot_middles(video):
        frame = frames[at]
        inked = [
            (x, y)
            for y in range(0, frame.height // 3, 2)
            for x in range(0, frame.width // 3, 2)
            if close_to(frame.pixel(x, y), LOGO_INK, 40)
        ]
        assert inked, f"no logo in the corner at {at}s"
        width = max(x for x, _ in inked) - min(x for x, _ in inked)
        assert 0.1 < width / min(frame.width, frame.height) < 0.2, f"logo {width} px at {at}s"
        assert min(x for x, _ in inked) < 0.1 * frame.width, f"not in the corner at {at}s"


def measure(case: Case, draft: dict, out: Path, reply: str, names: dict[str, str]) -> None:
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        size = (stream.codec_context.width, stream.codec_context.height)
        length = container.duration / 1e6
    assert length == pytest.approx(draft["d"] / 1000, abs=0.05)
    if case.canvas:
        assert size == case.canvas
    if case.seconds:
        assert draft["d"] == pytest.approx(case.seconds * 1000, abs=50)
    sound = samples(out)
    assert loudness(sound) > 200, "the sound is silent"
    music = [s["src"] for t in draft["t"] if t["tt"] == 1 and t.get("n") == "BGM" for s in t["sg"]]
    assert music, "no music"
    if case.own_song:
        assert music == [names["our_song.mp3"]], "not the uploaded song"
    video = _track(draft, "Video")
    if case.transitions:
        assert all(s.get("tr") for s in video[:-1])
    texts = segments(draft, 7)
    shown = [s["tx"] for s in texts]
    if case.asks:
        assert any("[" in t for t in shown) and "?" in reply  # asks for the missing facts
    else:
        assert not any("[" in t for t in shown), shown  # real copy, no placeholders
    times = {(s["s"] + s["d"] / 2) / 1000: s for s in [*video, *texts]}
    # every frame looked at, decoded in one pass (a 60 s 1080x1920 export: ~1,800 frames)
    frames = frames_at(out, [*times, *(_shot_middles(video) if case.logo else [])])
    by_id = {v: k for k, v in names.items()}
    for at, segment in times.items():
        if "tx" in segment:
            band = BANDS[segment.get("pos", "center")]
            assert legible(frames[at], band), f"text {segment['tx']!r} is not legible at {at}s"
        elif segment["src"] in by_id:
            _check_subject(frames[at], by_id[segment["src"]], f"{by_id[segment['src']]} at {at}s")
    if case.logo:
        assert by_id[video[-1]["src"]] == "logo.png", "the logo is not the end card"
        _check_corner_logo(draft, frames, video, by_id)
    if case.voice:
        assert any(t.get("n") == "Voiceover" for t in draft["t"] if t["tt"] == 1)
        for caption in texts[:4]:
            assert loudness(sound, caption["s"], min(1000, caption["d"])) > 300, caption


@dataclass
class Flow:
    """A user's session after one "Try saying" turn and its export."""

    client: TestClient
    api: Api
    headers: dict[str, str]
    sid: str
    names: dict[str, str]
    reply: str
    draft: dict
    out: Path


def run_case(case: Case, client: TestClient, folder: Path) -> Flow:
    """The case as its user runs it: upload, ask, export into ``folder``."""
    files = case.uploads(folder)
    api = Api(client)
    headers = api.auth()
    sid = api.session(headers, language="en")["session_id"]
    names = upload(client, headers, sid, files) if files else {}
    reply = turn(client, headers, sid, case.prompt)
    out = folder / "export.mp4"
    draft = export(api, headers, sid, out, limit=600)
    return Flow(client, api, headers, sid, names, reply, draft, out)


def upload(client: TestClient, headers: dict[str, str], sid: str, files: list[Path]) -> dict:
    parts = [("files", (p.name, p.read_bytes())) for p in files]
    up = client.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=headers, files=parts)
    return {f["filename"]: f["file_id"] for f in up.json()["data"]["files"]}


#: The case the iterative edits continue from (its session, after its export).
WEDDING = "wedding-60s-names-date-music"


def named(*prefixes: str) -> list[str]:
    """The cases whose names start with one of ``prefixes``."""
    return [name for name in CASES if name.startswith(prefixes)]


def try_saying(name: str, make_app: Callable[..., Any], folder: Path) -> None:
    """The case, run on a fresh app as its user would, measured in its export."""
    case = CASES[name]
    with TestClient(make_app(time_scale=0, silent_rate=0, temp_issue_rate=0)) as client:
        flow = run_case(case, client, folder)
    measure(case, flow.draft, flow.out, flow.reply, flow.names)
