"""Views of sessions for the agent tests: uploads built directly as MediaFile records."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import pytest

from nemo_mock.mock_server.agent import Plan, SessionView, plan_turn
from nemo_mock.mock_server.agent.plan import SentenceTimer
from nemo_mock.mock_server.domain.drafts import Draft, DraftMeta
from nemo_mock.mock_server.domain.media import MediaFile

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def media(
    index: int,
    filename: str,
    kind: str,
    *,
    duration: float | None = None,
    size: tuple[int, int] | None = None,
) -> MediaFile:
    width, height = size or (None, None)
    file_id = f"f_{index:016x}"
    return MediaFile(
        file_id=file_id,
        filename=filename,
        file_type=kind,  # type: ignore[arg-type]
        cdn_url=f"http://testserver/cdn/{file_id}/{filename}",
        duration=duration,
        width=width,
        height=height,
        fps=25.0 if kind == "video" else None,
        hash=f"{index:064x}",
        size=1000 + index,
        uploaded_at=WHEN,
        storage_path=f"/data/{file_id}",
    )


def photos(count: int = 5) -> list[MediaFile]:
    return [
        media(i, f"photo_{i}.jpg", "image", size=(720, 1280) if i % 2 else (1280, 720))
        for i in range(1, count + 1)
    ]


def venue_clip(index: int = 6, seconds: float = 3.0) -> MediaFile:
    return media(index, "venue_clip.mp4", "video", duration=seconds, size=(640, 360))


def song(index: int = 7, seconds: float = 4.0) -> MediaFile:
    return media(index, "song.mp3", "audio", duration=seconds)


def empty_draft(canvas: tuple[int, int] = (1920, 1080)) -> Draft:
    return Draft(meta=DraftMeta(width=canvas[0], height=canvas[1]))


def view(
    uploads: list[MediaFile] | tuple[MediaFile, ...] = (),
    draft: Draft | None = None,
    *,
    canvas: tuple[int, int] = (1920, 1080),
    language: str | None = None,
    generated: tuple[dict[str, Any], ...] = (),
    speech: SentenceTimer | None = None,
) -> SessionView:
    return SessionView(
        draft=draft if draft is not None else empty_draft(canvas),
        uploads=tuple(uploads),
        canvas=canvas,
        language=language,
        generated=generated,
        speech=speech,
    )


def run(message: str, session: SessionView, seed: int = 7) -> Plan:
    return plan_turn(message, session, random.Random(seed))


def after(plan: Plan, session: SessionView) -> SessionView:
    """The view of the session once the plan's steps are applied."""
    if not plan.steps:
        return session
    last = plan.steps[-1]
    generated = session.generated + tuple(g for s in plan.steps for g in s.generated)
    return SessionView(last.draft, session.uploads, last.canvas, session.language, generated)


@pytest.fixture
def wedding_uploads() -> list[MediaFile]:
    return [*photos(5), venue_clip()]


@pytest.fixture
def all_uploads() -> list[MediaFile]:
    return [*photos(5), venue_clip(), song()]


# --------------------------------------------------------------------------- checks


def tracks_of(draft: Draft, kind: int) -> list[Any]:
    return [t for t in draft.tracks if int(t.type) == kind]


def video_segments(draft: Draft) -> list[Any]:
    return [s for t in tracks_of(draft, 0) for s in t.segments]


def texts_of(draft: Draft) -> list[str]:
    return [s.text for t in tracks_of(draft, 7) for s in t.segments]


def bgm_of(draft: Draft) -> Any:
    tracks = [t for t in tracks_of(draft, 1) if t.name == "BGM"]
    assert len(tracks) == 1, draft.summary()
    assert len(tracks[0].segments) == 1
    return tracks[0].segments[0]


def assert_well_formed(draft: Draft, *, packed: bool = True) -> None:
    """Valid on the wire, video back to back from 0 (when ``packed``), everything inside d,
    limits kept."""
    assert Draft.model_validate(draft.to_wire()) == draft
    assert 0 <= draft.duration <= 900_000
    assert len(draft.tracks) <= 20
    for track in draft.tracks:
        assert len(track.segments) <= 500
        for segment in track.segments:
            assert segment.end <= draft.duration
    for track in tracks_of(draft, 0) if packed else ():
        start = 0
        for segment in track.segments:
            assert segment.start == start, draft.summary()
            start = segment.end
    width, height = draft.meta.width or 1920, draft.meta.height or 1080
    assert max(width, height) <= 1920 and min(width, height) <= 1080


def assert_plan_well_formed(plan: Plan, *, packed: bool = True) -> None:
    assert plan.language in ("en", "zh")
    if not plan.steps:
        assert plan.reply
    for step in plan.steps:
        assert_well_formed(step.draft, packed=packed)
        assert step.text
        assert step.kind in ("generation", "edit")
        assert step.tool == (
            "generate_video_with_seedance" if step.kind == "generation" else "edit_multitrack"
        )
        assert (step.draft.meta.width, step.draft.meta.height) in (step.canvas, (None, None))
        for spec in step.media:
            assert spec.media_id.startswith("gen_") and spec.seconds > 0
        assert [g["id"] for g in step.generated] == [m.media_id for m in step.media]
