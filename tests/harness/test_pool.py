"""check-client's pool of mocks: one mock lent scenario after scenario, reset and re-seeded
before each, its media copied out for a post-mortem, a dead one replaced."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from nemo_mock.client_tests.harness.pool import MockPool, PooledMock
from nemo_mock.client_tests.harness.runner import scenario_document
from nemo_mock.mock_server.media.samples import make_photo
from nemo_mock.mock_server.scenarios.library import ScenarioLibrary
from tests.conftest import ATTRIBUTION, Api

pytestmark = pytest.mark.live


def _first_steps(mock: PooledMock, photo: Path) -> tuple[str, int, str]:
    """A token (its user and credits) and a session with one upload; the session id."""
    with httpx.Client(base_url=mock.url, timeout=30) as http:
        api = Api(http)  # type: ignore[arg-type]
        token = api.anonymous_token("c-1")
        headers = {**ATTRIBUTION, "Authorization": f"Bearer {token['token']}"}
        sid = api.session(headers)["session_id"]
        files = [("files", (photo.name, photo.read_bytes()))]
        upload = http.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=headers, files=files)
        assert upload.status_code == 200, upload.text
    return token["user_id"], token["credits"], sid


def test_one_mock_is_lent_again_reset_reseeded_and_loaded(tmp_path: Path):
    library = ScenarioLibrary()
    photo = make_photo(tmp_path / "photo.png", width=64, height=64, color="red")
    with MockPool(["--time-scale", "0"], tmp_path / "mocks") as pool:
        with pool.lease() as mock:
            first_url = mock.url
            mock.fresh(scenario_document(library.get("out-of-credits")), seed=5)
            user, credits, sid = _first_steps(mock, photo)
            assert credits == 0  # the scenario is loaded
            mock.keep_media(tmp_path / "kept")
        assert [p.name for p in (tmp_path / "kept" / "uploads").rglob("*.png")] == ["photo.png"]

        with pool.lease() as mock:
            assert mock.url == first_url  # the same mock, not a new one
            journal = httpx.get(f"{mock.url}/_mock/journal").json()["entries"]
            assert journal  # what the last scenario did is there until the reset
            mock.fresh(scenario_document(library.get("baseline")), seed=5)
            assert httpx.get(f"{mock.url}/_mock/journal").json()["entries"] == []
            assert not list((mock.data_dir / "uploads").rglob("*.png"))  # its files are gone
            again = _first_steps(mock, photo)
            assert again == (user, 100, sid)  # the same seed replays; the scenario is new
            mock.fresh(scenario_document(library.get("baseline")), seed=6)
            assert _first_steps(mock, photo)[0] != user  # another seed, another user id
            mock.process.process.kill()
            mock.process.process.wait()

        with pool.lease() as mock:  # the dead one is replaced
            assert mock.url != first_url and mock.alive()
            with pool.lease() as other:  # two at once: two mocks
                assert other.url not in (first_url, mock.url)
        assert pool.started == 3
        processes = [m.process.process for m in pool._all]
    assert all(p.poll() is not None for p in processes)  # closed: every mock stopped
    assert not list((tmp_path / "mocks").iterdir())
