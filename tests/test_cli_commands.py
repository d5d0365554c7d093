"""Small commands of ``nemo-mock``: the version flag and the sample media a newcomer uploads."""

import subprocess
import sys
from pathlib import Path

from nemo_mock.mock_server import __version__
from nemo_mock.mock_server.media.probe import probe

NEMO = [sys.executable, "-m", "nemo_mock"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NEMO, *args], capture_output=True, text=True, timeout=120)


def test_version_flag():
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"nemo-mock {__version__}"


def test_samples_writes_media_that_probes_as_listed(tmp_path):
    done = run("samples", str(tmp_path / "media"))
    assert done.returncode == 0, done.stderr
    listed = [line.split() for line in done.stdout.splitlines() if "refused" not in line]
    assert len(listed) >= 10
    for path, kind, *facts in listed:
        probed = probe(Path(path))
        assert probed.kind == kind, path
        if facts and "x" in facts[0]:
            assert f"{probed.width}x{probed.height}" == facts[0], path
    assert (tmp_path / "media" / "song.mp3").stat().st_size > 1000
