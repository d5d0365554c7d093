"""Leftovers of a killed mock are swept at start; ffmpeg children get a death signal."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from nemo_mock.mock_server.media.children import TEMP_PREFIX, die_with_parent, sweep_leftovers


def test_partials_and_caption_files_are_swept_and_renders_kept(tmp_path: Path):
    renders = tmp_path / "renders" / "r_1"
    renders.mkdir(parents=True)
    partial = renders / ".render_1.ab12cd34.partial.mp4"
    caption = renders / ".render_1.mp4.caption0.txt"
    synth = tmp_path / "generated" / "s" / ".partial-gen_1.mp4"
    synth.parent.mkdir(parents=True)
    done = renders / "render_1.mp4"
    upload = tmp_path / "uploads" / "f_1" / "clip.mp4"
    upload.parent.mkdir(parents=True)
    for path in (partial, caption, synth, done, upload):
        path.write_bytes(b"x")
    removed = sweep_leftovers(tmp_path)
    assert set(removed) >= {partial, caption, synth}
    assert done.exists() and upload.exists()
    assert not partial.exists() and not caption.exists() and not synth.exists()


def test_a_dead_mocks_temp_dir_is_swept_a_live_ones_kept(tmp_path: Path):
    probe = [sys.executable, "-c", "import os; print(os.getpid())"]
    dead_pid = subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip()
    dead = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{dead_pid}-"))
    live = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
    try:
        sweep_leftovers(tmp_path)
        assert not dead.exists()
        assert live.exists()
    finally:
        for folder in (dead, live):
            subprocess.run(["rm", "-rf", str(folder)], check=False)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_child_dies_when_the_thread_that_started_it_is_killed(tmp_path: Path):
    """A parent started with it is killed by -9; its sleeping child must go too."""
    assert die_with_parent is not None
    pid_file = tmp_path / "child.pid"
    script = (
        "import subprocess, sys, os\n"
        "from nemo_mock.mock_server.media.children import die_with_parent\n"
        "child = subprocess.Popen(['sleep', '60'], preexec_fn=die_with_parent)\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "child.wait()\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    for _ in range(200):
        if pid_file.exists() and pid_file.read_text():
            break
        subprocess.run(["sleep", "0.05"], check=True)
    child = int(pid_file.read_text())
    parent.kill()
    parent.wait()
    for _ in range(100):
        if not _running(child):
            break
        subprocess.run(["sleep", "0.05"], check=True)
    assert not _running(child), "the child outlived its killed parent"


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
