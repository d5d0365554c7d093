"""The 60-second wedding invitation, a "Try saying" line of the wedding seed
(``tests/helpers/try_saying.py``), measured in its export; then its user's iterative edits
(names, date, song, title, canvas), made in the same session after that export, measured in
the re-export. The other lines: ``test_seed_try_saying_promos.py``,
``test_seed_try_saying_slideshows.py``."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.settings import Settings
from tests.helpers.seed_flow import export, turn
from tests.helpers.try_saying import (
    CASES,
    WEDDING,
    Case,
    Flow,
    couples,
    measure,
    run_case,
    segments,
    song,
    upload,
)

pytestmark = [pytest.mark.ffmpeg, pytest.mark.slow]


@pytest.fixture(scope="module")
def wedding(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flow]:
    folder = tmp_path_factory.mktemp("wedding")
    settings = Settings(data_dir=folder / "data", time_scale=0, silent_rate=0, temp_issue_rate=0)
    clock = ManualClock(datetime(2026, 11, 1, 12, 0, tzinfo=UTC))
    with TestClient(create_app(settings, clock=clock, rng=random.Random(settings.seed))) as client:
        yield run_case(CASES[WEDDING], client, folder)


def test_try_saying_the_60s_wedding(wedding: Flow):
    measure(CASES[WEDDING], wedding.draft, wedding.out, wedding.reply, wedding.names)


def test_iterative_edits_are_in_the_re_export(wedding: Flow, tmp_path: Path):
    """The same user goes on after the first export: gives the facts asked for, changes the
    music, uploads their song and uses it, retitles, turns the canvas and back, exports
    again."""
    client, headers, sid = wedding.client, wedding.headers, wedding.sid
    first = wedding.draft
    for message in (
        "our names are Emma and James, and the date is June 14, 2026",
        "change the music to upbeat",
    ):
        turn(client, headers, sid, message)
    names = {**wedding.names, **upload(client, headers, sid, [song(tmp_path)])}
    for message in (
        "use our_song.mp3 as the music",
        'change the title to "Save the Date"',
        "make it landscape",
        "make it portrait",
    ):
        turn(client, headers, sid, message)
    again = export(wedding.api, headers, sid, tmp_path / "again.mp4", limit=600)
    assert first != again
    texts = {s["tx"]: s for s in segments(again, 7)}
    assert {"Emma & James", "June 14, 2026", "Save the Date"} <= set(texts)
    assert not any("[" in t for t in texts)
    music = [s["src"] for t in again["t"] if t["tt"] == 1 for s in t["sg"]]
    assert music == [names["our_song.mp3"]]
    case = Case("", couples, seconds=60, canvas=(1080, 1920), own_song=True)
    measure(case, again, tmp_path / "again.mp4", "", names)


def test_every_case_runs_in_exactly_one_module():
    """The cases are split three ways by name (this module, the promos, the slideshows):
    a case added under another name must not go unrun."""
    from tests import test_seed_try_saying_promos as promos
    from tests import test_seed_try_saying_slideshows as slideshows

    groups = [[WEDDING], promos.NAMES, slideshows.NAMES]
    assert sorted(name for group in groups for name in group) == sorted(CASES)
