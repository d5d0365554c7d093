"""Mistakes on the command line get one clear line and exit 2, never a traceback."""

import re
import subprocess
import sys

import pytest

NEMO = [sys.executable, "-m", "nemo_mock"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NEMO, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["check-client", "--scenario", "nosuch", "--", sys.executable, "-c", "pass"],
            "no scenario 'nosuch'; known scenarios: baseline",
        ),
        (
            ["check-client", "--", "/nonexistent/client"],
            "the client command '/nonexistent/client' was not found",
        ),
        (["serve", "--port", "0", "--time-scale", "99"], "--time-scale: Input should be less"),
        (
            ["check-client", "--surface", "grpc", "--", sys.executable, "-c", "pass"],
            "no surface 'grpc'; surfaces: skill, gateway, mcp",
        ),
    ],
    ids=["unknown scenario", "missing client", "bad option", "unknown surface"],
)
def test_a_mistake_is_named_without_a_traceback(args, says):
    done = run(*args)
    assert done.returncode == 2
    # rich draws a box and wraps long lines: read the words only
    output = " ".join(re.sub("[│╭╮╰╯─]", " ", done.stdout + done.stderr).split())
    assert says in output
    assert "Traceback" not in output


def test_a_data_dir_that_is_a_file_is_refused(tmp_path):
    a_file = tmp_path / "data"
    a_file.write_text("not a folder")
    done = run("serve", "--port", "0", "--data-dir", str(a_file))
    assert done.returncode == 2
    assert f"--data-dir: {a_file} exists and is not a folder" in done.stderr
    assert "Traceback" not in done.stderr
