"""The dashboard's snapshot actions and Reports page in a real browser, the network blocked
except the mock: a snapshot taken and restored from the Control page (through the control
API) brings the state back; a check-client report is rendered with its failed rule and the
evidence links open the journal entry it cites. Screenshots are saved for people to look at."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from nemo_mock.client_tests.live_mock import LiveMock, start_mock
from tests.ui.pixels import ink

pytestmark = pytest.mark.live
ATTRIBUTION = {"X-Skill-Source": "nemo-video", "X-Skill-Version": "1.9", "X-Skill-Platform": "t"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real check-client run of the careless client, which breaks render-poll-cadence (its
    waits at 0.02 of real time: the stuck render it polls until it gives up takes ~6 s, not
    ~30 s at check-client's default 0.1)."""
    folder = tmp_path_factory.mktemp("reports")
    command = [sys.executable, "-m", "nemo_mock", "check-client", "--scenario", "render-stuck",
               "--time-scale", "0.02", "--report", str(folder / "careless"), "--",
               sys.executable, "-m", "nemo_mock.client_tests.careless_client"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr  # the client failed, as it should
    return folder


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, reports: Path) -> Iterator[LiveMock]:
    mock = start_mock("--report-dir", str(reports), data_dir=tmp_path_factory.mktemp("ui-snap"))
    yield mock
    mock.stop()


def _user(url: str) -> tuple[dict[str, str], str]:
    answer = httpx.post(
        f"{url}/api/auth/anonymous-token", headers={**ATTRIBUTION, "X-Client-Id": str(uuid.uuid4())}
    )
    headers = {**ATTRIBUTION, "Authorization": f"Bearer {answer.json()['data']['token']}"}
    created = httpx.post(
        f"{url}/api/tasks/me/with-session/nemo_agent", headers=headers,
        json={"task_name": "snapshot", "language": "en"},
    )  # fmt: skip
    return headers, created.json()["data"]["session_id"]


def _state(url: str, headers: dict[str, str], sid: str) -> int:
    return httpx.get(f"{url}/api/state/nemo_agent/me/{sid}/latest", headers=headers).status_code


def test_a_snapshot_taken_and_restored_from_the_control_page(served, offline, screenshots):
    headers, sid = _user(served.url)
    offline.goto(f"{served.url}/_mock/ui/control")
    offline.fill("input[name=name]", "before-the-change")
    offline.click("form[data-api='/_mock/snapshots'] button")
    offline.wait_for_selector("#result.ok", timeout=30_000)
    offline.wait_for_selector('tr[data-snapshot="before-the-change"]', timeout=10_000)
    httpx.post(f"{served.url}/_mock/reset").raise_for_status()  # everything gone…
    assert _state(served.url, headers, sid) == 401
    offline.reload()
    row = offline.locator('tr[data-snapshot="before-the-change"]')
    assert "before-the-change" in row.inner_text()  # snapshots outlive a reset
    offline.screenshot(path=str(screenshots / "dashboard-snapshots.png"), full_page=True)
    ink_before = ink(screenshots / "dashboard-snapshots.png")
    assert ink_before > 0.01
    row.locator("button[data-post]").click()  # …and back
    offline.wait_for_selector("#result.ok", timeout=30_000)
    assert "restored" in offline.locator("#result").inner_text()
    assert _state(served.url, headers, sid) == 200
    export = row.locator("a[download]").get_attribute("href")
    assert httpx.get(served.url + export).headers["content-type"] == "application/x-tar"


def test_a_bad_snapshot_name_is_refused_with_the_reason(served, offline):
    offline.goto(f"{served.url}/_mock/ui/control")
    offline.evaluate("document.querySelector('input[name=name]').removeAttribute('pattern')")
    offline.fill("input[name=name]", "a..b")
    offline.click("form[data-api='/_mock/snapshots'] button")
    offline.wait_for_selector("#result.bad", timeout=10_000)
    assert "not usable" in offline.locator("#result").inner_text()


def test_a_snapshot_file_imported_from_the_control_page(served, offline, tmp_path):
    _user(served.url)
    httpx.post(f"{served.url}/_mock/snapshots", json={"name": "source"}).raise_for_status()
    file = tmp_path / "shared.snapshot.tar"
    file.write_bytes(httpx.get(f"{served.url}/_mock/snapshots/source/file").content)
    httpx.delete(f"{served.url}/_mock/snapshots/source").raise_for_status()
    offline.goto(f"{served.url}/_mock/ui/control")
    offline.set_input_files("form[data-upload] input[type=file]", str(file))
    offline.click("form[data-upload] button")
    offline.wait_for_selector("#result.ok", timeout=30_000)
    offline.wait_for_selector('tr[data-snapshot="source"]', timeout=10_000)


def test_the_reports_page_links_the_evidence_into_the_journal_view(served, offline, screenshots):
    offline.goto(f"{served.url}/_mock/ui/reports")
    row = offline.locator('tr[data-report="careless"]')
    assert "0 of 1" in row.inner_text() and "render-stuck" in row.inner_text()
    offline.screenshot(path=str(screenshots / "dashboard-reports.png"), full_page=True)
    row.locator("a").first.click()
    suite = offline.locator('section[data-suite="render-stuck"]')
    suite.wait_for()
    failed = suite.locator("tr.bad").filter(has_text="render-poll-cadence")
    assert "FAIL" in failed.inner_text()
    offline.screenshot(path=str(screenshots / "dashboard-report.png"), full_page=True)
    assert ink(screenshots / "dashboard-report.png") > 0.01
    evidence = failed.locator("ul.evidence a").first
    cited = evidence.inner_text()
    evidence.click()
    offline.wait_for_selector(".violations")
    seq = cited.split()[0]  # "#7"
    assert offline.locator("h1").inner_text().startswith(seq)
    assert "render-poll-cadence" in offline.locator(".violations").inner_text()
    assert "render-stuck" in offline.content()
    offline.screenshot(path=str(screenshots / "dashboard-report-entry.png"), full_page=True)
