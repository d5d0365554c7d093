"""``NEMO_FORKED_MOCKS=1`` (the suite's default, ``tests/conftest.py``): ``start_mock`` forks
its mock from a warm forkserver (``client_tests/forked_start.py``). The mock must be what a
cold ``nemo-mock serve`` would be: its own process, the caller's environment, folder and
flags, its output on the pipe, stopped and killed by signals, its exit status known."""

from __future__ import annotations

import importlib.machinery
import os
import signal
import subprocess
import sys
import types
from pathlib import Path

import httpx
import pytest

from nemo_mock.client_tests.forked_start import (
    ForkedProcess,
    _main_runs_again,
    forking,
    preload,
)
from nemo_mock.client_tests.live_mock import start_mock
from nemo_mock.mock_server.edge.surfaces import SURFACES

pytestmark = pytest.mark.live


def _parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_a_forked_mock_is_its_own_process_with_the_callers_environment(tmp_path, monkeypatch):
    if _main_runs_again():
        pytest.skip("run under the pytest script: its mocks are plain processes (python -m pytest)")
    monkeypatch.chdir(tmp_path)
    assert forking()
    mock = start_mock("--seed", "7", data_dir=Path("relative-data"),
                      env={"NEMO_MOCK_INITIAL_CREDITS": "42"})  # fmt: skip
    try:
        assert isinstance(mock.process, ForkedProcess)
        assert mock.process.pid != os.getpid() and _parent_of(mock.process.pid) != os.getpid()
        assert mock.process.poll() is None
        client = {"X-Client-Id": "forked"}
        token = httpx.post(f"{mock.url}/api/auth/anonymous-token", headers=client).json()
        assert token["data"]["credits"] == 42  # the environment given
        assert "  seed 7" in mock.banner  # the flags given
        assert (tmp_path / "relative-data").is_dir()  # the caller's folder
    finally:
        mock.stop()
    assert mock.process.poll() is not None
    assert "POST /api/auth/anonymous-token" in mock.output()  # the access log, through the pipe


@pytest.mark.parametrize(
    ("spec", "file", "again"),
    [
        ("pytest.__main__", "/venv/pytest/__main__.py", False),  # python -m pytest
        (None, None, False),  # pytest-xdist's workers: python -c
        (None, "/venv/bin/pytest", True),  # the pytest script
        ("my_tests", "/src/my_tests.py", True),  # python -m my_tests
    ],
)
def test_only_a_main_module_that_would_run_again_turns_forking_off(monkeypatch, spec, file, again):
    main = types.ModuleType("__main__")
    main.__spec__ = importlib.machinery.ModuleSpec(spec, None) if spec else None
    if file:
        main.__file__ = file
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert _main_runs_again() is again
    assert forking() is not again


def test_a_killed_forked_mock_reports_the_signal():
    mock = start_mock()
    mock.process.kill()
    assert mock.process.wait(timeout=10) == -signal.SIGKILL
    assert mock.process.returncode == -signal.SIGKILL


def test_a_forked_mock_that_cannot_start_says_why(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    with pytest.raises(RuntimeError, match="--data-dir") as refused:
        start_mock(data_dir=a_file)
    assert "Traceback" not in str(refused.value)


def test_without_the_switch_a_mock_is_a_plain_subprocess(monkeypatch):
    monkeypatch.setenv("NEMO_FORKED_MOCKS", "0")
    mock = start_mock()
    try:
        assert isinstance(mock.process, subprocess.Popen)
        assert _parent_of(mock.process.pid) == os.getpid()
    finally:
        mock.stop()


def test_signalling_a_forked_mock_that_ended_unseen_is_no_error():
    """The forkserver reaps a forked mock: its pid can be gone while its exit status is
    still on the way (the race behind a start that failed, then was killed)."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # reaped: no process has this pid now (pids are not reused this soon)

    class Unseen:  # a multiprocessing process whose end has not come through yet
        pid, exitcode, name = gone.pid, None, "nemo-mock serve"

    process = ForkedProcess(Unseen(), stdout=None)  # type: ignore[arg-type]
    process.kill()
    process.terminate()
    with pytest.raises(ProcessLookupError):
        os.kill(gone.pid, signal.SIGKILL)  # the race itself, unguarded


def test_the_forkserver_is_warmed_last_and_the_warm_up_fills_the_caches_and_freezes():
    """What every forked mock inherits: the surfaces imported (their routers built), their
    operation indexes read from the contracts, the heap frozen; the warm-up imported last,
    after everything it freezes (in its own interpreter: the freeze is process-wide)."""
    modules = preload()
    assert modules[-1] == "nemo_mock.client_tests.forkserver_warmup"
    assert {surface.package for surface in SURFACES} <= set(modules)
    probe = (
        "import gc; import nemo_mock.client_tests.forkserver_warmup; "
        "from nemo_mock.mock_server.edge.surfaces import SURFACES; "
        "print(gc.get_freeze_count() > 10000, all('index' in vars(s) for s in SURFACES))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "True"], done.stderr
