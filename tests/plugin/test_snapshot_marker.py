"""The plugin's snapshot marker and helpers, used as a user would: a test starts from a
snapshot file (a session with two uploads), another without the marker starts empty."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import httpx
import pytest

from nemo_mock.client_tests.pytest_plugin import NemoMock
from nemo_mock.mock_server.media.samples import make_photo

pytestmark = pytest.mark.live
ATTRIBUTION = {"X-Skill-Source": "t", "X-Skill-Version": "1", "X-Skill-Platform": "p"}
#: Made by the fixture below before any test of this module starts (one per worker).
SNAPSHOT = Path(tempfile.gettempdir()) / f"nemo-mock-plugin-{os.getpid()}.snapshot.tar"


class Saved:
    token: str
    session_id: str


@pytest.fixture(scope="module")
def saved(nemo_mock_server, tmp_path_factory) -> Saved:
    """A session with two photos, saved and exported to ``SNAPSHOT``; then the mock reset."""
    mock = NemoMock(nemo_mock_server)
    mock.reset()
    folder = tmp_path_factory.mktemp("marker-media")
    photos = [folder / "a.jpg", folder / "b.jpg"]
    make_photo(photos[0], width=320, height=180, color="#aa3311", label="a")
    make_photo(photos[1], width=320, height=180, color="#1133aa", label="b")
    answer = mock.http.post(
        "/api/auth/anonymous-token", headers={**ATTRIBUTION, "X-Client-Id": "marker"}
    )
    result = Saved()
    result.token = answer.json()["data"]["token"]
    headers = {**ATTRIBUTION, "Authorization": f"Bearer {result.token}"}
    body = {"task_name": "marker", "language": "en"}
    created = mock.http.post("/api/tasks/me/with-session/nemo_agent", headers=headers, json=body)
    result.session_id = created.json()["data"]["session_id"]
    files = [("files", (p.name, p.read_bytes())) for p in photos]
    path = f"/api/upload-video/nemo_agent/me/{result.session_id}"
    assert mock.http.post(path, headers=headers, files=files).status_code == 200
    mock.save_snapshot("marker-source")
    mock.export_snapshot("marker-source", SNAPSHOT)
    mock.http.delete("/_mock/snapshots/marker-source").raise_for_status()
    mock.reset()
    yield result
    SNAPSHOT.unlink(missing_ok=True)


def _state(url: str, saved: Saved) -> httpx.Response:
    headers = {**ATTRIBUTION, "Authorization": f"Bearer {saved.token}"}
    return httpx.get(f"{url}/api/state/nemo_agent/me/{saved.session_id}/latest", headers=headers)


@pytest.mark.nemo_snapshot(SNAPSHOT)
def test_the_marker_starts_the_test_from_the_snapshot_file(saved, nemo_mock):
    state = _state(nemo_mock.url, saved)
    assert state.status_code == 200, state.text
    infos = state.json()["data"]["state"]["video_infos"]
    assert [i["filename"] for i in infos] == ["a.jpg", "b.jpg"]
    assert httpx.get(infos[0]["cdn_url"]).status_code == 200  # the file came with it
    assert [e.operation for e in nemo_mock.journal()] == ["getSessionState"]


def test_without_the_marker_the_test_starts_empty(saved, nemo_mock):
    assert _state(nemo_mock.url, saved).status_code == 401  # the token is unknown here


@pytest.mark.nemo_snapshot(SNAPSHOT)
def test_the_marker_imports_a_file_once_and_restores_it_each_time(saved, nemo_mock):
    listed = nemo_mock.http.get("/_mock/snapshots").json()["snapshots"]
    assert len([s for s in listed if s["name"].startswith("file-")]) == 1
    assert _state(nemo_mock.url, saved).status_code == 200


@pytest.mark.nemo_snapshot("no-such.snapshot.tar")
def test_a_marker_naming_a_missing_file_is_a_usage_error(request):
    with pytest.raises(pytest.UsageError, match="no snapshot file at .*no-such.snapshot.tar"):
        request.getfixturevalue("nemo_mock")
