"""The vendor CLI for the project's tests: installed once into the repository's ``.cache/``
(``nemo_mock.client_tests.vendor_cli.install`` does the work)."""

from __future__ import annotations

from pathlib import Path

from nemo_mock.client_tests.vendor_cli.install import Cli, Run
from nemo_mock.client_tests.vendor_cli.install import vendor_cli as _vendor_cli

CACHE = Path(__file__).resolve().parents[3] / ".cache" / "nemovideo-cli"

__all__ = ["CACHE", "Cli", "Run", "vendor_cli"]


def vendor_cli() -> tuple[list[str] | None, str]:
    """The command that runs the pinned CLI, or why it cannot run (tests skip with it)."""
    return _vendor_cli(CACHE)
