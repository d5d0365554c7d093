"""The "Try saying" lines of the slideshow and script seeds, each run as its user would and
measured in its export (``tests/helpers/try_saying.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.helpers.try_saying import CASES, measure, run_case

pytestmark = [pytest.mark.ffmpeg, pytest.mark.slow]

NAMES = [name for name in CASES if name.startswith(("slideshow-", "script-"))]


@pytest.mark.parametrize("name", NAMES)
def test_try_saying(name: str, make_app, tmp_path: Path):
    case = CASES[name]
    with TestClient(make_app(time_scale=0, silent_rate=0, temp_issue_rate=0)) as client:
        flow = run_case(case, client, tmp_path)
    measure(case, flow.draft, flow.out, flow.reply, flow.names)
