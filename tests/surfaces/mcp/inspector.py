"""The MCP Inspector's CLI (npm ``@modelcontextprotocol/inspector``, pinned), installed once
into ``.cache/``. ``inspector_cli()`` returns the command, or why it cannot run (tests skip)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from filelock import FileLock

PACKAGE = "@modelcontextprotocol/inspector"
VERSION = "2.12.0"
CACHE = Path(__file__).resolve().parents[3] / ".cache" / "mcp-inspector"
BIN = CACHE / "node_modules" / ".bin" / "mcp-inspector"
INSTALL_TIMEOUT = 480


def inspector_cli() -> tuple[list[str] | None, str]:
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None, "node and npm are needed to run the MCP Inspector CLI"
    CACHE.mkdir(parents=True, exist_ok=True)
    # one install at a time, and no use while one runs (as the vendor CLI's install)
    with FileLock(CACHE / ".install.lock", timeout=INSTALL_TIMEOUT + 60):
        if not _installed():
            spec = f"{PACKAGE}@{VERSION}"
            npm = shutil.which("npm") or "npm"
            command = [npm, "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", spec]
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
            )
            if done.returncode != 0 or not _installed():
                return None, f"npm could not install {spec}: {done.stderr.strip()[-300:]}"
    return [str(BIN), "--cli"], ""


def _installed() -> bool:
    manifest = CACHE / "node_modules" / "@modelcontextprotocol" / "inspector" / "package.json"
    if not manifest.is_file() or not BIN.exists():
        return False
    return bool(json.loads(manifest.read_text()).get("version") == VERSION)
