"""A restore the mock dies in: before its staging is ready the old state and files stay
whole; once ready, the next start finishes it (files swapped, state committed), whatever
step it died at. Never records of one state with the files of another."""

from __future__ import annotations

import os
import random
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.media.samples import SampleSet
from nemo_mock.mock_server.runtime import Mock
from nemo_mock.mock_server.settings import Settings
from nemo_mock.mock_server.snapshots.book import RESTORE_PREFIX, rebase
from tests.conftest import Api
from tests.helpers.renders import upload

START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _client(folder: Path) -> TestClient:
    settings = Settings(data_dir=folder, persist=True)
    return TestClient(create_app(settings, clock=ManualClock(START), rng=random.Random(0)))


def _mock(client: TestClient) -> Mock:
    mock: Mock = client.app.state.mock  # type: ignore[attr-defined]
    return mock


def _died_restoring(data: Path, samples: SampleSet, step: str) -> tuple[dict, str, str, str]:
    """A mock that saved a snapshot with one upload, took a second upload, then died at
    ``step`` of restoring the snapshot (never stopped: as after kill -9)."""
    client = TestClient(_client(data).app)
    api = Api(client)
    alice = api.auth("a")
    sid = api.session(alice)["session_id"]
    [kept] = upload(api, alice, sid, samples.path("photo_1.jpg"))
    assert client.post("/_mock/snapshots", json={"name": "one"}).status_code == 201
    [later] = upload(api, alice, sid, samples.path("photo_2.jpg"))
    mock = _mock(client)
    unpacked = mock.snapshots.unpack(mock.snapshots.path("one"))
    if step == "unpacked":
        return alice, sid, kept, later
    state = rebase(unpacked.state, unpacked.manifest.data_dir, str(data))
    mock.snapshots.prepare(unpacked.staging, state)
    if step == "uploads swapped":
        shutil.rmtree(data / "uploads")
        os.replace(unpacked.staging / "uploads", data / "uploads")
    elif step == "all swapped":
        mock.snapshots.swap_in(unpacked.staging)
    return alice, sid, kept, later


def _files_and_records(client: TestClient, alice: dict, sid: str) -> tuple[set[str], set[str]]:
    infos = Api(client).state(alice, sid)["state"]["video_infos"]
    for info in infos:
        assert client.get("/" + info["cdn_url"].split("/", 3)[3]).status_code == 200
    data = _mock(client).data_dir
    return {f["file_id"] for f in infos}, {p.name for p in (data / "uploads").iterdir()}


def test_a_restore_that_died_before_it_was_ready_leaves_the_state_as_it_was(
    tmp_path: Path, samples: SampleSet
):
    alice, sid, kept, later = _died_restoring(tmp_path, samples, "unpacked")
    with _client(tmp_path) as client:
        records, files = _files_and_records(client, alice, sid)
        assert records == files == {kept, later}
        assert not list(tmp_path.glob(f"{RESTORE_PREFIX}*"))


@pytest.mark.parametrize("step", ["ready", "uploads swapped", "all swapped"])
def test_a_restore_that_died_once_ready_is_finished_by_the_next_start(
    tmp_path: Path, samples: SampleSet, step: str
):
    alice, sid, kept, _later = _died_restoring(tmp_path, samples, step)
    with _client(tmp_path) as client:
        records, files = _files_and_records(client, alice, sid)
        assert records == files == {kept}, "records and files of different states"
        assert not list(tmp_path.glob(f"{RESTORE_PREFIX}*"))
    with _client(tmp_path) as client:  # and it was committed
        assert _files_and_records(client, alice, sid) == ({kept}, {kept})
