"""Running a client command against a mock freshly reset and loaded with one scenario, and
judging the mock's journal with the client rules. Runs are started in a small thread pool
(each one a client process on a mock lent by a pool), so a test module asks for the runs it
needs up front and waits only for its own."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from nemo_mock.client_tests.harness.client_time import in_client_time
from nemo_mock.client_tests.harness.pool import MockPool
from nemo_mock.client_tests.harness.runner import (
    fetch_journal,
    scenario_document,
    write_scenario,
)
from nemo_mock.contracts.rules import RuleContext, RuleResult, judge
from nemo_mock.mock_server.journal.entry import JournalEntry
from nemo_mock.mock_server.media.samples import make_photo
from nemo_mock.mock_server.scenarios.library import ScenarioLibrary
from tests.helpers.prompts import QUICK_PROMPT

REFERENCE = "nemo_mock.client_tests.reference_client"
CARELESS = "nemo_mock.client_tests.careless_client"
CLIENT_SCALE = 0.02
MOCK_SCALE = "0.01"
#: Short and small, so that each render takes about a second (the scenarios' own default
#: prompt asks for 10 s at 1080p: ten times the encoding work for the same checks).
PROMPT = QUICK_PROMPT
CLIENT_TIMEOUT_S = 240
WORKERS = 3
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, order=True)
class RunKey:
    client: str
    scenario: str
    time_scale: float = CLIENT_SCALE
    error_style: str = "http"

    @property
    def label(self) -> str:
        extra = "" if self.time_scale == CLIENT_SCALE else f"@{self.time_scale:g}"
        style = "" if self.error_style == "http" else f"[{self.error_style}]"
        return f"{self.client.rsplit('.', 1)[-1]}:{self.scenario}{extra}{style}"


@dataclass
class Run:
    key: RunKey
    exit_code: int | None
    stderr: str
    output: Path
    entries: list[JournalEntry]
    verdicts: dict[str, RuleResult]
    seconds: float
    files: list[Path] = field(default_factory=list)

    def failed(self) -> set[str]:
        return {rule for rule, verdict in self.verdicts.items() if verdict.status == "fail"}

    def status(self, rule: str) -> str:
        return self.verdicts[rule].status

    def report(self) -> str:
        """What went wrong, for an assertion message."""
        lines = [f"{self.key.label}: exit {self.exit_code} after {self.seconds:.1f} s"]
        for rule, verdict in self.verdicts.items():
            for v in verdict.violations:
                lines.append(f"  {rule}: {v.message} (journal entries {list(v.evidence)})")
        lines.append("  client log:")
        lines += [f"    {line}" for line in self.stderr.splitlines()[-40:]]
        return "\n".join(lines)


def scenario_files(scenario: str, folder: Path) -> list[Path]:
    """The scenario's task files, generated: PNG photos, anything else as a text file."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in ScenarioLibrary().get_by_name(scenario).task.files:
        path = folder / name
        if path.suffix == ".png":
            make_photo(path, width=640, height=360, color="red")
        else:
            path.write_text("notes, not a video\n", encoding="utf-8")
        paths.append(path)
    return paths


def run_client(key: RunKey, workdir: Path, mocks: MockPool) -> Run:
    workdir.mkdir(parents=True, exist_ok=True)
    files = scenario_files(key.scenario, workdir / "files")
    output = workdir / "out.mp4"
    started = time.monotonic()
    scenario = ScenarioLibrary().get_by_name(key.scenario)
    loaded = in_client_time(scenario, key.time_scale, float(MOCK_SCALE))
    write_scenario(loaded, workdir / "scenario.yaml")
    with mocks.lease() as mock:
        mock.fresh(scenario_document(loaded), seed=0)
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("NEMO_TOKEN", "NEMO_CLIENT_ID")},
            "NEMO_API_URL": mock.url,
            "NEMO_CHECK_PROMPT": PROMPT,
            "NEMO_CHECK_FILES": ":".join(str(f) for f in files),
            "NEMO_CHECK_OUTPUT": str(output),
            "NEMO_CHECK_TIME_SCALE": str(key.time_scale),
        }
        try:
            done = subprocess.run(
                [sys.executable, "-m", key.client],
                env=env,
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=CLIENT_TIMEOUT_S,
            )
            exit_code, stderr = done.returncode, done.stderr
        except subprocess.TimeoutExpired as exc:
            exit_code, stderr = None, str(exc.stderr or "") + "\n(killed at the time-out)"
        entries = fetch_journal(mock.url)
    verdicts = judge(entries, RuleContext(time_scale=key.time_scale))
    seconds = time.monotonic() - started
    return Run(key, exit_code, stderr, output, entries, verdicts, seconds, files)


class RunBook:
    """Runs by key, each started at most once, WORKERS at a time, on mocks reused from run to
    run (reset between: ``nemo_mock.client_tests.harness.pool``), one pool per error style."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="client-run")
        self.futures: dict[RunKey, Future[Run]] = {}
        self.mocks: dict[str, MockPool] = {}
        self.lock = threading.Lock()

    def start(self, keys: list[RunKey]) -> None:
        with self.lock:
            for key in keys:
                if key not in self.futures:
                    folder = self.root / key.label.replace(":", "-").replace("@", "-")
                    mocks = self._mocks(key.error_style)
                    self.futures[key] = self.pool.submit(run_client, key, folder, mocks)

    def _mocks(self, error_style: str) -> MockPool:
        if error_style not in self.mocks:
            args = ("--time-scale", MOCK_SCALE, "--error-style", error_style)
            self.mocks[error_style] = MockPool(args, self.root / f".mocks-{error_style}")
        return self.mocks[error_style]

    def get(self, key: RunKey) -> Run:
        self.start([key])
        return self.futures[key].result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        for mocks in self.mocks.values():
            mocks.close()
