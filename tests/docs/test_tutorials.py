"""The tutorials work verbatim: their bash blocks run, in order, against a live mock."""

from __future__ import annotations

import shutil

import av
import pytest

from nemo_mock.client_tests.live_mock import start_mock
from tests.docs.tutorial import DOCS, bash_blocks, run_page
from tests.helpers.prompts import QUICK_RENDERS

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not shutil.which("curl"), reason="the tutorials use curl"),
]


def test_every_tutorial_has_commands_to_run():
    for page in (DOCS / "tutorials").glob("*.md"):
        assert bash_blocks(page), f"{page.name} has no bash block"


def test_the_first_session_runs_verbatim_and_makes_a_video(tmp_path):
    mock = start_mock(data_dir=tmp_path / "data", env=QUICK_RENDERS)
    try:
        done = run_page(DOCS / "tutorials" / "first-session.md", mock.url, tmp_path)
    finally:
        mock.stop()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert '"code":4001' in done.stdout  # the refused text file
    assert "render completed" in done.stdout
    assert '"code":1001' in done.stdout  # the token after seven days
    with av.open(str(tmp_path / "my-first-video.mp4")) as video:
        assert video.streams.video[0].codec_context.name == "h264"
        assert video.streams.audio
        assert abs(video.duration / av.time_base - 6.0) < 0.2


def test_test_your_client_runs_verbatim(tmp_path):
    done = run_page(DOCS / "tutorials" / "test-your-client.md", "unused", tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "2 of 2 scenarios passed" in done.stdout
    assert "render-poll-cadence" in done.stdout
    assert "(getRender) → 200, render " in done.stdout


def test_the_readme_first_success_runs_verbatim(tmp_path):
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## First success in 30 seconds", 1)[1].split("\n## ", 1)[0]
    page = tmp_path / "first-success.md"
    page.write_text(section, encoding="utf-8")
    mock = start_mock(data_dir=tmp_path / "data", env=QUICK_RENDERS)
    try:
        done = run_page(page, mock.url, tmp_path)
    finally:
        mock.stop()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert '"credits":100' in done.stdout
    assert "1 of 1 scenarios passed" in done.stdout
    assert (tmp_path / "first-report" / "junit.xml").is_file()
