"""The vendor CLI's install (``client_tests/vendor_cli/install.py``) with a stand-in npm: no
process is handed the CLI while another is still installing it.

A fresh clone's test workers all ask for the CLI at once. npm writes the package's own files
(``package.json``, ``dist/index.js``) before its dependencies, so a worker that looked while
another's npm was running saw it "installed" and ran it half-installed
(``ERR_MODULE_NOT_FOUND``, 13 tests failed in one CI run).
"""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from nemo_mock.client_tests.vendor_cli.install import PACKAGE, VERSION, entry_point, vendor_cli

#: A stand-in npm: the package's own files first, its dependency a moment later, and one
#: line in ``calls`` per install.
FAKE_NPM = f"""#!/bin/sh
prefix="$3"
echo install >> "$prefix/../calls"
mkdir -p "$prefix/node_modules/{PACKAGE}/dist" "$prefix/node_modules/dependency"
printf '{json.dumps({"name": PACKAGE, "version": VERSION})}' \\
  > "$prefix/node_modules/{PACKAGE}/package.json"
echo 'import "dependency"' > "$prefix/node_modules/{PACKAGE}/dist/index.js"
sleep 0.6
echo 'export default 1' > "$prefix/node_modules/dependency/index.js"
"""


@pytest.fixture
def fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in (("npm", FAKE_NPM), ("node", "#!/bin/sh\nexit 0\n")):
        tool = bin_dir / name
        tool.write_text(text)
        tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return tmp_path


def test_no_caller_gets_the_cli_while_another_installs_it(fake_tools: Path) -> None:
    cache = fake_tools / "cache"
    dependency = cache / "node_modules" / "dependency" / "index.js"
    seen: list[tuple[bool, bool]] = []

    def ask() -> None:
        command, _ = vendor_cli(cache)
        seen.append((command is not None, dependency.is_file()))

    callers = [threading.Thread(target=ask) for _ in range(3)]
    for i, caller in enumerate(callers):
        caller.start()
        if i == 0:  # the others ask while the first one's npm is between its two writes
            deadline = time.monotonic() + 10
            while not entry_point(cache).is_file() and time.monotonic() < deadline:
                time.sleep(0.01)
    for caller in callers:
        caller.join(timeout=30)
    assert seen == [(True, True)] * 3  # every caller got the CLI, each with its dependency
    assert (fake_tools / "calls").read_text().split() == ["install"]  # npm ran once


def test_an_installed_cli_is_not_installed_again(fake_tools: Path) -> None:
    cache = fake_tools / "cache"
    first, _ = vendor_cli(cache)
    again, _ = vendor_cli(cache)
    assert first == again is not None and again[1] == str(entry_point(cache))
    assert (fake_tools / "calls").read_text().split() == ["install"]
