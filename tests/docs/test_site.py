"""The docs site: its generated reference pages match the code, and it builds (strict:
no broken link, no page left out of the navigation) without the network."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_generated_reference_pages_match_the_code():
    generator = runpy.run_path(str(ROOT / "scripts" / "reference_docs.py"))
    assert generator["drifted"]() == [], "run: python scripts/reference_docs.py"


def test_the_site_builds_strict(tmp_path):
    pytest.importorskip("material", reason="the docs site needs mkdocs-material (test extras)")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    page = (tmp_path / "tutorials" / "first-session" / "index.html").read_text()
    assert "nemo-mock samples media" in re.sub(r"<[^>]+>", "", page)  # highlighted: spans
    assert "fonts.googleapis" not in page  # nothing fetched from outside when read
