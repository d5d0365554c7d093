"""Leftovers of a killed mock are swept at start; ffmpeg children get a death signal."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from nemo_mock.mock_server.media import children
from nemo_mock.mock_server.media.children import TEMP_PREFIX, die_with_parent, sweep_leftovers

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's"
)


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


@linux_only
@pytest.mark.parametrize("way", ["setpriv", "preexec_fn"])
def test_a_child_dies_when_the_thread_that_started_it_is_killed(tmp_path: Path, way: str):
    """A parent started with it is killed by -9; its sleeping child must go too, whether
    setpriv or the preexec_fn (where setpriv cannot) asked for the death signal."""
    assert die_with_parent is not None
    if way == "setpriv":
        assert children.launcher(), "setpriv --pdeathsig is on every Debian-based machine"
    pid_file = tmp_path / "child.pid"
    script = (
        "import sys\n"
        "from nemo_mock.mock_server.media import children\n"
        + ("children.launcher = lambda: ()\n" if way == "preexec_fn" else "")
        + "child = children.popen(['sleep', '60'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "child.wait()\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    for _ in range(200):
        if pid_file.exists() and pid_file.read_text():
            break
        subprocess.run(["sleep", "0.05"], check=True)
    child = int(pid_file.read_text())
    for _ in range(100):  # through setpriv, which execs sleep an instant later
        if Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")[0] == b"sleep":
            break
        subprocess.run(["sleep", "0.05"], check=True)
    assert Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")[0] == b"sleep"
    parent.kill()
    parent.wait()
    for _ in range(100):
        if not _running(child):
            break
        subprocess.run(["sleep", "0.05"], check=True)
    assert not _running(child), "the child outlived its killed parent"


@linux_only
def test_with_setpriv_python_runs_nothing_between_fork_and_exec(monkeypatch: pytest.MonkeyPatch):
    """No preexec_fn, so CPython may vfork: forking the whole multi-threaded mock and running
    Python in the child hung when a library held a lock at the fork (PyAV 18.1.1)."""
    assert children.launcher()
    seen: dict[str, object] = {}
    real = subprocess.Popen

    def spy(args: list[str], **options: object) -> subprocess.Popen[bytes]:
        seen.update(options, args=args)
        return real(args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(subprocess, "Popen", spy)
    done = children.run(["echo", "hi"], capture_output=True, text=True)
    assert done.stdout == "hi\n" and done.args == ["echo", "hi"]
    assert seen.get("preexec_fn") is None
    assert seen["args"] == [*children.launcher(), "echo", "hi"]


def test_a_program_that_cannot_run_raises_as_popen_would(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        children.popen([str(tmp_path / "nope")])
    with pytest.raises(FileNotFoundError):
        children.popen(["no-such-program-anywhere"])
    script = tmp_path / "not-executable"
    script.write_text("#!/bin/sh\n")
    with pytest.raises(PermissionError):
        children.popen([str(script)])


@linux_only
def test_run_kills_a_child_that_overstays_its_timeout():
    with pytest.raises(subprocess.TimeoutExpired) as caught:
        children.run(["sleep", "30"], capture_output=True, timeout=0.2)
    assert caught.value.cmd == ["sleep", "30"]
    assert not any(
        Path(f"/proc/{pid}/cmdline").read_bytes() == b"sleep\x0030\x00"
        for pid in _children_of(os.getpid())
    )


def test_no_setpriv_on_path_means_no_launcher(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))
    children.forget_launcher()
    try:
        assert children.launcher() == ()
    finally:
        monkeypatch.undo()
        children.forget_launcher()


@linux_only
def test_a_try_the_host_could_not_run_is_made_again(monkeypatch: pytest.MonkeyPatch):
    """Out of descriptors, the try's pipes cannot be made: () this time, not for good."""
    real = subprocess.run

    def out_of_descriptors(*args: object, **kwargs: object) -> object:
        raise OSError(24, "Too many open files")

    children.forget_launcher()
    try:
        monkeypatch.setattr(subprocess, "run", out_of_descriptors)
        assert children.launcher() == ()
        monkeypatch.setattr(subprocess, "run", real)
        assert children.launcher()[1:] == ("--pdeathsig", "KILL", "--")
    finally:
        children.forget_launcher()


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(stat[1]) == pid and stat[0] != "Z":
                found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
