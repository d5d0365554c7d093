"""The Reports page in-process: a report folder found at the root or one level down, an
--explore report told apart, evidence lines parsed for their journal entry, and names
outside the report folders refused."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.settings import Settings
from nemo_mock.mock_server.ui import reports

JUNIT = """<?xml version='1.0' encoding='utf-8'?>
<testsuites name="nemo-mock check-client">
  <testsuite name="explore" tests="1" failures="1" skipped="0" time="12.5">
    <testcase classname="explore" name="schedules"><failure message="2 rules" type="explore">
fault f1 on runSse</failure></testcase>
  </testsuite>
  <testsuite name="baseline" tests="2" failures="1" skipped="1" time="3.0">
    <testcase classname="baseline" name="token-refresh">
      <failure message="no new token" type="x">token-refresh: no new token
  #7 2026-11-01T12:00:00+00:00 GET /api/state/nemo_agent/me/s1/latest → 401 code 1001</failure>
    </testcase>
    <testcase classname="baseline" name="rate-limit-retry">
      <skipped message="the situation never arose"/></testcase>
  </testsuite>
</testsuites>
"""


def _report(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "junit.xml").write_text(JUNIT, encoding="utf-8")
    (folder / "report.md").write_text("# nemo-mock check-client --explore report\n", "utf-8")
    return folder


def test_reports_are_found_and_read_from_junit(tmp_path):
    _report(tmp_path / "nightly")
    (tmp_path / "not-a-report").mkdir()
    assert list(reports.find(tmp_path)) == ["nightly"]
    report = reports.load(tmp_path, "nightly")
    assert report.kind == "explore" and [s.name for s in report.scenarios] == ["baseline"]
    failed = report.scenarios[0].failed[0]
    assert failed.name == "token-refresh" and [line.seq for line in failed.lines] == [7]
    assert report.passed == 0
    assert list(reports.find(_report(tmp_path / "solo"))) == ["_"]  # the folder itself


def test_the_page_shows_the_verdicts_and_refuses_other_paths(tmp_path):
    _report(tmp_path / "nightly")
    app = create_app(Settings(data_dir=tmp_path / "data", report_dir=tmp_path))
    with TestClient(app) as client:
        listing = client.get("/_mock/ui/reports")
        assert 'data-report="nightly"' in listing.text and "0 of 1" in listing.text
        page = client.get("/_mock/ui/reports/nightly")
        assert page.status_code == 200 and "token-refresh" in page.text
        assert "No saved journal for this scenario" in page.text  # so #7 is not a link
        for path in (
            "/_mock/ui/reports/%2E%2E",
            "/_mock/ui/reports/data",
            "/_mock/ui/reports/nightly/journal/..%2Fx/7",
            "/_mock/ui/reports/nightly/journal/baseline/7",
        ):
            assert client.get(path).status_code == 404, path


def test_without_a_report_dir_the_page_says_how_to_get_one(tmp_path):
    with TestClient(create_app(Settings(data_dir=tmp_path / "data"))) as client:
        assert "--report-dir DIR" in client.get("/_mock/ui/reports").text
