"""Fixtures for render tests: solid-colour media and a resolver over them."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nemo_mock.mock_server.domain.drafts import Draft
from nemo_mock.mock_server.render import RenderPlan, Resolver, plan_render, run_render

from .helpers import catalogue_resolver


def _make_media(folder: Path) -> None:
    from nemo_mock.mock_server.media.samples import make_clip, make_photo, make_song

    folder.mkdir(parents=True, exist_ok=True)
    make_photo(folder / "red.jpg", width=640, height=360, color="red")
    make_photo(folder / "blue.png", width=640, height=360, color="blue")
    make_photo(folder / "green.jpg", width=360, height=640, color="lime")
    make_clip(folder / "yellow.mp4", seconds=1.0, width=320, height=180, color="yellow")
    make_song(folder / "song.mp3", seconds=1.5)
    (folder / "corrupt.mp4").write_bytes(random.Random(7).randbytes(8192))


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("render-media")
    _make_media(folder)
    return folder


@pytest.fixture(scope="session")
def resolve(media_dir: Path) -> Resolver:
    return catalogue_resolver(media_dir)


@pytest.fixture(scope="session")
def render(resolve: Resolver) -> Callable[..., tuple[RenderPlan, list[float]]]:
    """Plan and run a draft at quality low; returns the plan and the progress reported."""

    def run(value: Draft, output: Path, **options: Any) -> tuple[RenderPlan, list[float]]:
        plan = plan_render(value, resolve, output, quality="low", **options)
        progress: list[float] = []
        run_render(plan, on_progress=progress.append, timeout=60)
        return plan, progress

    return run
