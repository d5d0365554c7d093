"""Instructions per request, in-process, counted by valgrind: the REST path without the noise.

``rest_bench.py`` and ``asgi_bench.py`` time the CPU, and on a shared 2-core machine a run's
figures move by ±5-10 % with the load and the host: more than most single changes to the
request path are worth. Instructions executed are the same from one run to the next (within
~0.5 %), so this bench counts them (``valgrind --tool=cachegrind``, no cache simulation) for
one fixed ``GET /api/credits/balance/simple`` driven through each ASGI app in process: the
count of a run with ``--requests`` calls minus that of a run with none, over the calls. Every
run first warms its app (``--warm`` calls), with a journal of ``JOURNAL_SIZE`` entries, so
the measured calls find it full and evicting, as a long-running mock does.

    python bench/instructions_bench.py [--requests 600] [--warm 400] [--baseline REF]

The apps: a bare FastAPI app answering the same envelope (``asgi_bench.bare_app``), the mock
as ``serve`` builds it without the access log, and with ``--no-control`` (no journal); with
``--baseline REF``, the two mocks again from git ``REF`` (a temporary worktree), so a change
is measured against the code before it. Instructions are not time: a cache miss costs many,
and under ``wrk`` the mock's extra work costs about twice its in-process share. They say
where a change moved the work, not what a client waits. Needs ``valgrind`` (Debian's
package); without it the bench says so and stops.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.rest_bench import checkout

ROOT = Path(__file__).resolve().parent.parent
#: The journal's capacity in the measured apps: the warm-up fills it.
JOURNAL_SIZE = 200

#: What each counted run executes: ``ROOT SUBJECT WARM COUNT``. It imports the app and the
#: driver from ``ROOT`` (this tree or a baseline's worktree), warms, then drives ``COUNT``.
CHILD = """
import asyncio, gc, sys
root, subject, warm, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, root)
from bench.asgi_bench import Subject, bare_app, drive, token_for
from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.settings import Settings

async def main():
    if subject == "bare":
        app = Subject("bare", bare_app())
    else:
        settings = Settings(ip_token_limit=0, access_log=False, journal_size=JOURNAL_SIZE,
                            control=subject != "no-control")
        app = Subject(subject, create_app(settings))
        app.token = await token_for(app.app)
    await drive(app, warm)
    gc.collect()
    gc.freeze()
    if count:
        await drive(app, count)

asyncio.run(main())
""".replace("JOURNAL_SIZE", str(JOURNAL_SIZE))


@dataclass
class Subject:
    name: str
    kind: str  # bare, mock or no-control
    root: Path
    per_request: float = 0.0


def instructions(subject: Subject, warm: int, count: int) -> int:
    """Instructions one run of ``subject`` executes (the interpreter's start included)."""
    command = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
        sys.executable, "-c", CHILD, str(subject.root), subject.kind, str(warm), str(count),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same hashes, the same work
    run = subprocess.run(command, capture_output=True, text=True, env=env)
    found = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr)
    if run.returncode != 0 or found is None:
        sys.exit(f"{subject.name}: the counted run failed:\n{run.stderr[-3000:]}")
    return int(found.group(1).replace(",", ""))


def measure(subject: Subject, warm: int, count: int) -> None:
    with ThreadPoolExecutor(2) as pool:  # the two runs side by side, one per core
        base, full = pool.map(lambda n: instructions(subject, warm, n), (0, count))
    subject.per_request = (full - base) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600, help="counted calls per app")
    parser.add_argument("--warm", type=int, default=400, help="calls before counting")
    parser.add_argument("--baseline", metavar="REF", help="also the mocks from git REF")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind): nothing to count with")
    with contextlib.ExitStack() as stack:
        subjects = [
            Subject("bare fastapi", "bare", ROOT),
            Subject("nemo-mock", "mock", ROOT),
            Subject("nemo-mock --no-control", "no-control", ROOT),
        ]
        if args.baseline:
            tree = checkout(stack, args.baseline)
            subjects += [
                Subject(f"nemo-mock@{args.baseline}", "mock", tree),
                Subject(f"nemo-mock@{args.baseline} --no-control", "no-control", tree),
            ]
        for subject in subjects:
            measure(subject, args.warm, args.requests)
    report(subjects, args)


def report(subjects: list[Subject], args: argparse.Namespace) -> None:
    bare = subjects[0].per_request
    print(f"\ninstructions per request ({args.requests} counted after {args.warm}, in process):")
    for s in subjects:
        print(f"  {s.name:<34} {s.per_request:10,.0f}   {s.per_request / bare:5.3f}x bare")
    by = {s.name: s.per_request for s in subjects}
    print(f"  the journal: {by['nemo-mock'] - by['nemo-mock --no-control']:,.0f} per request")
    if args.baseline:
        ratio = by["nemo-mock"] / by[f"nemo-mock@{args.baseline}"]
        print(f"  nemo-mock / nemo-mock@{args.baseline} = {ratio:.3f}  (this / REF)")


if __name__ == "__main__":
    main()
