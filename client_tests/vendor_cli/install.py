"""The vendor's own CLI (npm ``nemovideo-tools@0.1.8``), installed once into a cache folder.

``vendor_cli()`` returns the command that runs it, or the reason it cannot (no node or npm
on this machine, or npm could not install it). The folder is ``$NEMO_VENDOR_CLI_DIR``, else
``~/.cache/nemo-mock/nemovideo-cli``; npm is asked only when the pinned version is not
there yet.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

PACKAGE = "nemovideo-tools"
VERSION = "0.1.8"
INSTALL_TIMEOUT = 300
CACHE_ENV = "NEMO_VENDOR_CLI_DIR"


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "nemo-mock" / "nemovideo-cli"


def entry_point(cache: Path) -> Path:
    return cache / "node_modules" / PACKAGE / "dist" / "index.js"


def vendor_cli(cache: Path | None = None) -> tuple[list[str] | None, str]:
    """``([node, index.js], "")``, or ``(None, why not)``."""
    cache = cache if cache is not None else cache_dir()
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return None, "node and npm are needed to run the vendor CLI (nemovideo-tools)"
    why = npm_install(
        npm, f"{PACKAGE}@{VERSION}", cache, lambda: installed(cache), timeout=INSTALL_TIMEOUT
    )
    if why:
        return None, why
    return [node, str(entry_point(cache))], ""


def npm_install(
    npm: str, spec: str, cache: Path, installed: Callable[[], bool], *, timeout: float
) -> str:
    """Install the npm package ``spec`` into ``cache`` unless ``installed()`` says it is
    there; ``""``, or why npm could not. One install at a time, and no use of the folder
    while one runs: npm writes a package's own files before its dependencies, so a second
    process (a test worker, another check-client) that looked without the lock could start
    it half-installed."""
    cache.mkdir(parents=True, exist_ok=True)
    with FileLock(cache / ".install.lock", timeout=timeout + 60):
        if installed():
            return ""
        command = [npm, "install", "--prefix", str(cache), "--no-audit", "--no-fund", spec]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0 or not installed():
            return f"npm could not install {spec}: {done.stderr.strip()[-300:]}"
    return ""


def installed(cache: Path) -> bool:
    manifest = cache / "node_modules" / PACKAGE / "package.json"
    if not manifest.is_file() or not entry_point(cache).is_file():
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
    """The CLI in a home of its own (its config lives in ``$HOME/.config``); ``env`` adds
    variables (``NEMOVIDEO_API_KEY``)."""

    def __init__(self, command: list[str], home: Path, env: dict[str, str] | None = None) -> None:
        self.command = command
        self.home = home
        self.env = env or {}

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("XDG_CONFIG_HOME", "CI")}
        return env | {"HOME": str(self.home), "NO_UPDATE_NOTIFIER": "1", "NO_COLOR": "1"} | self.env

    def __call__(self, *args: str, timeout: float = 180) -> Run:
        done = subprocess.run(
            [*self.command, *args],
            cwd=self.home,
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return Run(done.returncode, done.stdout + done.stderr, done.stdout)
