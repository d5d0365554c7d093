"""Running a docs page's ``bash`` blocks, in order, in one shell, against a live mock."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.helpers.prompts import QUICK_PROMPT, QUICK_RENDERS

DOCS = Path(__file__).resolve().parents[2] / "docs"
#: The address the pages use; replaced by the live mock's.
PAGE_URL = "http://127.0.0.1:8000"
BASH_BLOCK = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)


def bash_blocks(page: Path) -> list[str]:
    return BASH_BLOCK.findall(page.read_text(encoding="utf-8"))


def run_page(
    page: Path, url: str, workdir: Path, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Every bash block of ``page`` in one ``bash -euo pipefail``, in ``workdir``, with this
    Python's scripts (``nemo-mock``) first on PATH."""
    script = "\n".join(bash_blocks(page)).replace(PAGE_URL, url)
    scripts = str(Path(sys.executable).parent)
    # the mocks a page starts (check-client's) encode quickly: the commands are judged
    path = f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"
    # and check-client gives its clients short waits (``NEMO_CHECK_TIME_SCALE``, its
    # ``--time-scale``): the careless client's 200 render polls take 10 s instead of 20
    # and short videos (``NEMO_CHECK_PROMPT``, its ``--prompt``): the clients are judged
    quick = {"NEMO_CHECK_TIME_SCALE": "0.02", "NEMO_CHECK_PROMPT": QUICK_PROMPT}
    env = {**os.environ, **QUICK_RENDERS, **quick, "PATH": path}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
