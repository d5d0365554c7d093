"""``python -m nemo_mock.client_tests.mcp_agent reference|careless``: one run of the task in the
environment ``check-client`` sets; exit 0 with the MP4 written, 3 after a refusal."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import anyio

from nemo_mock.client_tests.mcp_agent.careless import CarelessAgent
from nemo_mock.client_tests.mcp_agent.connection import served, signed_in
from nemo_mock.client_tests.mcp_agent.reference import ReferenceAgent

AGENTS = {"reference": ReferenceAgent, "careless": CarelessAgent}


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


async def run(kind: str, url: str, files: list[Path], output: Path) -> int:
    with served(files) as base:
        async with signed_in(url, log, f"nemo-mock {kind} agent") as agent:
            return await AGENTS[kind](agent, files, base, output).run()


def main(argv: list[str]) -> int:
    kind = argv[0] if argv else "reference"
    if kind not in AGENTS:
        log(f"usage: python -m nemo_mock.client_tests.mcp_agent {'|'.join(AGENTS)}")
        return 64
    url = os.environ.get("NEMO_API_URL", "http://127.0.0.1:8000").rstrip("/")
    files = [Path(p) for p in os.environ.get("NEMO_CHECK_FILES", "").split(":") if p]
    output = Path(os.environ.get("NEMO_CHECK_OUTPUT", "output.mp4"))
    return anyio.run(run, kind, url, files, output)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
