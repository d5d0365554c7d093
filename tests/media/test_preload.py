"""``media/preload.py``: ``serve`` loads PyAV whole before it serves, so a probe made while
the process is out of file descriptors imports nothing (a compiled module imported halfway
left a second copy of a type, and every later probe failed with a 500)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from nemo_mock.mock_server.media.samples import SampleSet

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="sets RLIMIT_NOFILE and counts on its errno"
)

#: Probes ``PHOTO`` with one file descriptor free (the photo's own): what it found, and the
#: modules the probe imported.
ONE_DESCRIPTOR_LEFT = """
import os, resource, sys
from pathlib import Path
from nemo_mock.mock_server.media.preload import preload_media
from nemo_mock.mock_server.media.probe import probe
preload_media()
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
held = []
try:
    while True:
        held.append(os.open("/dev/null", os.O_RDONLY))
except OSError:
    pass
os.close(held.pop())
before = set(sys.modules)
try:
    found = probe(Path(PHOTO)).kind
except Exception as exc:
    found = f"{type(exc).__name__}: {exc}"
imported = sorted(set(sys.modules) - before)
for fd in held:
    os.close(fd)
print(found, imported)
"""


def test_after_preloading_a_probe_with_one_descriptor_left_imports_nothing(samples: SampleSet):
    script = ONE_DESCRIPTOR_LEFT.replace("PHOTO", repr(str(samples.path("photo_1.jpg"))))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "image []", done.stdout + done.stderr


def test_serve_preloads_pyav_before_it_serves():
    """``serve`` up to the point where uvicorn would run: PyAV's lazily imported modules are
    loaded (the first container PyAV opens imports ``av.subtitles``)."""
    script = textwrap.dedent(
        """
        import sys, uvicorn
        def report(self, sockets=None):
            print("subtitles loaded:", "av.subtitles.stream" in sys.modules)
        uvicorn.Server.run = report
        assert "av" not in sys.modules
        from nemo_mock.mock_server.cli import app
        app(["serve", "--port", "0", "--no-access-log"], standalone_mode=False)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert "subtitles loaded: True" in done.stdout, done.stdout + done.stderr


def test_the_apps_lifespan_preloads_pyav_under_any_asgi_server():
    script = textwrap.dedent(
        """
        import sys
        from fastapi.testclient import TestClient
        from nemo_mock.mock_server.app import create_app
        assert "av" not in sys.modules
        with TestClient(create_app()):
            print("subtitles loaded:", "av.subtitles.stream" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert "subtitles loaded: True" in done.stdout, done.stdout + done.stderr


#: The first ``import av`` of a process meets the descriptor limit halfway (simulated: the
#: import of ``FAILING`` fails once with EMFILE), then probes ``PHOTO``.
HALFWAY = """
import errno, importlib.abc, sys
from pathlib import Path
class OutOfDescriptorsOnce(importlib.abc.MetaPathFinder):
    failed = False
    def find_spec(self, name, path, target=None):
        if name == FAILING and not OutOfDescriptorsOnce.failed:
            OutOfDescriptorsOnce.failed = True
            raise OSError(errno.EMFILE, "Too many open files", name)
        return None
PRELOAD
sys.meta_path.insert(0, OutOfDescriptorsOnce())
from nemo_mock.mock_server.media.probe import probe
try:
    found = probe(Path(PHOTO)).kind
except Exception as exc:
    found = f"{type(exc).__name__}: {exc}"
print(found)
"""


def test_once_preloaded_an_import_failing_later_cannot_break_the_probes(samples: SampleSet):
    """Why the preload: without it, this script's first ``import av`` fails halfway (at
    ``av.plane``) and every probe of the process after it fails with ``TypeError: Cannot
    convert av.video.frame.VideoFrame to av.frame.Frame`` (two copies of a compiled type):
    what a fresh-clone CI saw after an upload met the descriptor limit. Preloaded, the
    failing import never comes: probing imports nothing."""
    preload = "from nemo_mock.mock_server.media.preload import preload_media\npreload_media()\n"
    script = (
        HALFWAY.replace("FAILING", repr("av.plane"))
        .replace("PHOTO", repr(str(samples.path("photo_1.jpg"))))
        .replace("PRELOAD\n", preload)
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.strip() == "image", done.stdout + done.stderr
