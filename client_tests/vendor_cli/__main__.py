"""The vendor CLI as the client under test of ``check-client --surface gateway``.

    nemo-mock check-client --surface gateway --time-scale 1 -- \\
        python -m nemo_mock.client_tests.vendor_cli

It plays what a user of the CLI does with the harness's task, in a home of its own:
``config set base_url`` (the mock, ``NEMO_API_URL``), then, with the key the harness minted
(``NEMO_API_KEY``, given to the CLI as ``NEMOVIDEO_API_KEY``),
``create -p PROMPT [-d SECONDS] [-r RATIO] --export -o OUTPUT`` and, once exported,
``credits history --all-pages --page-size N`` (the whole usage history, page by page). Its
exit status is the CLI's. The CLI does not scale its waits: judge it at ``--time-scale 1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import typer

from nemo_mock.client_tests.vendor_cli.install import Cli, vendor_cli

#: Items per page of the usage history read after the export (small: the reads page).
HISTORY_PAGE_SIZE = 2


def main(
    cli: str = typer.Option(
        "", "--cli", help="The CLI's command (default: nemovideo-tools@0.1.8, installed once)."
    ),
    history_page_size: int = typer.Option(
        HISTORY_PAGE_SIZE, "--history-page-size", help="0: do not read the usage history."
    ),
) -> None:
    command = cli.split() if cli else _installed()
    with tempfile.TemporaryDirectory(prefix="nemovideo-home-") as home:
        cli_in_home = Cli(command, Path(home), {"NEMOVIDEO_API_KEY": _env("NEMO_API_KEY")})
        code = run_task(cli_in_home, history_page_size)
    raise typer.Exit(code)


def run_task(cli: Cli, history_page_size: int) -> int:
    steps = [["config", "set", "base_url", _env("NEMO_API_URL")], _create_args()]
    if history_page_size > 0:
        steps.append(["credits", "history", "--all-pages", "--page-size", str(history_page_size)])
    for args in steps:
        print(f"$ nemovideo {' '.join(args)}", flush=True)
        command = [*cli.command, *args]
        env = cli.environment()
        code = subprocess.run(
            command, cwd=cli.home, env=env, stdin=subprocess.DEVNULL, check=False
        ).returncode
        if code != 0:
            return code
    return 0


def _create_args() -> list[str]:
    args = ["create", "-p", _env("NEMO_CHECK_PROMPT")]
    duration = os.environ.get("NEMO_CHECK_DURATION")
    if duration:
        args += ["-d", f"{float(duration):g}"]
    ratio = os.environ.get("NEMO_CHECK_ASPECT_RATIO")
    if ratio:
        args += ["-r", ratio]
    return [*args, "--export", "-o", _env("NEMO_CHECK_OUTPUT")]


def _installed() -> list[str]:
    command, why = vendor_cli()
    if command is None:
        print(f"cannot run the vendor CLI: {why}", file=sys.stderr)
        raise typer.Exit(2)
    return command


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        print(f"{name} is not set (check-client sets it)", file=sys.stderr)
        raise typer.Exit(2)
    return value


if __name__ == "__main__":
    typer.run(main)
