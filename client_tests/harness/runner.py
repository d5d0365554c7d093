"""Run one client under one scenario and collect what the judge needs.

Isolated mode starts a mock of its own per scenario (on a free port, the scenario
loaded at start), so scenarios run in parallel. ``--url`` mode reuses a running
mock: reset, load the scenario, run; one scenario at a time.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from client_tests.harness.outcome import ClientRun, OutcomeVerdict, judge_outcome
from client_tests.harness.tasks import materialise
from client_tests.live_mock import start_mock
from contracts.rules import RuleContext, RuleResult, judge
from mock_server.journal.entry import JournalEntry
from mock_server.scenarios.model import Scenario


@dataclass(frozen=True)
class RunOptions:
    command: Sequence[str]
    workdir: Path
    time_scale: float = 0.05
    agent_time_scale: float = 0.01
    timeout: float = 300.0
    seed: int = 0
    url: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)


@dataclass
class ScenarioResult:
    scenario: Scenario
    rules: dict[str, RuleResult]
    outcome: OutcomeVerdict
    run: ClientRun
    entries: list[JournalEntry]
    log: Path

    @property
    def ok(self) -> bool:
        return self.outcome.ok and all(r.status != "fail" for r in self.rules.values())


def run_scenario(scenario: Scenario, options: RunOptions) -> ScenarioResult:
    folder = options.workdir / scenario.name
    folder.mkdir(parents=True, exist_ok=True)
    files = materialise(scenario.task.files, options.workdir / "files")
    output = folder / "output.mp4"
    output.unlink(missing_ok=True)
    if options.url is not None:
        url = _fresh_start(options.url, scenario)
        run = _run_client(scenario, options, url, files, output, folder)
        entries = fetch_journal(url)
    else:
        mock = start_mock(*_serve_args(scenario, options), data_dir=folder / "mock-data")
        try:
            run = _run_client(scenario, options, mock.url, files, output, folder)
            entries = fetch_journal(mock.url)
        finally:
            mock.stop()
    rules = judge(entries, RuleContext(time_scale=options.time_scale))
    outcome = judge_outcome(scenario, run, entries)
    return ScenarioResult(scenario, rules, outcome, run, entries, folder / "client.log")


def fetch_journal(url: str) -> list[JournalEntry]:
    response = httpx.get(f"{url}/_mock/journal", timeout=30)
    response.raise_for_status()
    return [JournalEntry.model_validate(e) for e in response.json()["entries"]]


def _serve_args(scenario: Scenario, options: RunOptions) -> list[str]:
    return [
        "--scenario",
        scenario.name,
        "--seed",
        str(options.seed),
        "--time-scale",
        str(options.agent_time_scale),
        "--journal-size",
        "100000",
    ]


def _fresh_start(url: str, scenario: Scenario) -> str:
    base = url.rstrip("/")
    httpx.post(f"{base}/_mock/reset", timeout=30).raise_for_status()
    body = {"scenario": scenario.model_dump(mode="json", exclude_none=True)}
    httpx.post(f"{base}/_mock/scenarios", json=body, timeout=30).raise_for_status()
    return base


def _run_client(
    scenario: Scenario,
    options: RunOptions,
    url: str,
    files: list[Path],
    output: Path,
    folder: Path,
) -> ClientRun:
    task = {
        "prompt": scenario.task.prompt,
        "files": ":".join(str(f) for f in files),
        "output": str(output),
    }
    command = [_fill(part, task) for part in options.command]
    env = {
        **os.environ,
        **options.extra_env,
        "NEMO_API_URL": url,
        "NEMO_CHECK_PROMPT": task["prompt"],
        "NEMO_CHECK_FILES": task["files"],
        "NEMO_CHECK_OUTPUT": task["output"],
        "NEMO_CHECK_TIME_SCALE": str(options.time_scale),
        "NEMO_CHECK_SCENARIO": scenario.name,
    }
    for inherited in ("NEMO_TOKEN", "NEMO_CLIENT_ID"):
        env.pop(inherited, None)
    started = time.monotonic()
    with (folder / "client.log").open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            code: int | None = process.wait(timeout=options.timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            code = None
    return ClientRun(code, output, time.monotonic() - started)


def _fill(part: str, task: dict[str, str]) -> str:
    """``{prompt}``, ``{files}`` and ``{output}`` replaced; any other brace stays as written."""
    for key, value in task.items():
        part = part.replace("{" + key + "}", value)
    return part
