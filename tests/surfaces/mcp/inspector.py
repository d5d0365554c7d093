"""The MCP Inspector's CLI (npm ``@modelcontextprotocol/inspector``, pinned), installed once
into ``.cache/``. ``inspector_cli()`` returns the command, or why it cannot run (tests skip)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from nemo_mock.client_tests.vendor_cli.install import npm_install

PACKAGE = "@modelcontextprotocol/inspector"
VERSION = "2.12.0"
CACHE = Path(__file__).resolve().parents[3] / ".cache" / "mcp-inspector"
BIN = CACHE / "node_modules" / ".bin" / "mcp-inspector"
INSTALL_TIMEOUT = 480


def inspector_cli() -> tuple[list[str] | None, str]:
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        return None, "node and npm are needed to run the MCP Inspector CLI"
    why = npm_install(npm, f"{PACKAGE}@{VERSION}", CACHE, _installed, timeout=INSTALL_TIMEOUT)
    if why:
        return None, why
    return [str(BIN), "--cli"], ""


def _installed() -> bool:
    manifest = CACHE / "node_modules" / "@modelcontextprotocol" / "inspector" / "package.json"
    if not manifest.is_file() or not BIN.exists():
        return False
    return bool(json.loads(manifest.read_text()).get("version") == VERSION)
