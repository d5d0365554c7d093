"""The vendor's own CLI (npm ``nemovideo-tools@0.1.8``), installed once into ``.cache/``.

``vendor_cli()`` returns the command that runs it, or the reason it cannot (no node or
npm on this machine, or npm could not install it): tests skip with that reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "nemovideo-tools"
VERSION = "0.1.8"
CACHE = Path(__file__).resolve().parents[3] / ".cache" / "nemovideo-cli"
ENTRY = CACHE / "node_modules" / PACKAGE / "dist" / "index.js"
INSTALL_TIMEOUT = 300


def vendor_cli() -> tuple[list[str] | None, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return None, "node and npm are needed to run the vendor CLI (nemovideo-tools)"
    if not _installed():
        CACHE.mkdir(parents=True, exist_ok=True)
        spec = f"{PACKAGE}@{VERSION}"
        command = [npm, "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", spec]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
        )
        if done.returncode != 0 or not _installed():
            return None, f"npm could not install {spec}: {done.stderr.strip()[-300:]}"
    return [node, str(ENTRY)], ""


def _installed() -> bool:
    manifest = CACHE / "node_modules" / PACKAGE / "package.json"
    if not manifest.is_file() or not ENTRY.is_file():
        return False
    return bool(json.loads(manifest.read_text()).get("version") == VERSION)


@dataclass
class Run:
    code: int
    #: stdout and stderr together (the spinners write to stderr)
    out: str
    stdout: str

    def __str__(self) -> str:
        return f"exit {self.code}:\n{self.out}"


class Cli:
    """The CLI in a home of its own (its config lives in ``$HOME/.config``)."""

    def __init__(self, command: list[str], home: Path) -> None:
        self.command = command
        self.home = home

    def __call__(self, *args: str, timeout: float = 180) -> Run:
        env = {k: v for k, v in os.environ.items() if k not in ("XDG_CONFIG_HOME", "CI")}
        env |= {"HOME": str(self.home), "NO_UPDATE_NOTIFIER": "1", "NO_COLOR": "1"}
        done = subprocess.run(
            [*self.command, *args],
            cwd=self.home,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return Run(done.returncode, done.stdout + done.stderr, done.stdout)
