"""The whole check: pick scenarios, run them (in parallel where they can), report."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from nemo_mock.client_tests.harness.pool import MockPool
from nemo_mock.client_tests.harness.report import era_matrix, table, write_reports
from nemo_mock.client_tests.harness.runner import (
    RunOptions,
    ScenarioResult,
    pool_for,
    prune_media,
    run_scenario,
)
from nemo_mock.mock_server.scenarios.library import ScenarioLibrary
from nemo_mock.mock_server.scenarios.model import Scenario

ALL = "all"


def choose(
    library: ScenarioLibrary, names: Sequence[str], surface: str = "skill"
) -> list[Scenario]:
    """``all`` (the default): every scenario for clients of ``surface``; or the named
    scenarios (names or .yaml paths, of any surface), in order."""
    if not names or ALL in names:
        return library.all(surface)
    return [library.get(name) for name in names]


def check_client(
    scenarios: Sequence[Scenario],
    options: RunOptions,
    *,
    jobs: int = 2,
    report_dir: Path | None = None,
    echo: Callable[[str], None] = print,
) -> tuple[bool, list[ScenarioResult]]:
    """Run every scenario; print the table; write the reports; True when all passed."""
    workers = 1 if options.url is not None else max(1, jobs)
    # a mock per parallel run, reused from scenario to scenario (none with --url or --isolate)
    mocks: MockPool | None = None
    if options.url is None and not options.isolate:
        mocks = pool_for(options)

    running = Running(echo)

    def one(scenario: Scenario) -> ScenarioResult:
        running.start(scenario.name)
        result = run_scenario(scenario, options, mocks)
        if result.ok and not options.keep_media:
            prune_media(result.log.parent)
        running.finish(scenario.name, "passed" if result.ok else "FAILED")
        return result

    echo(f"checking {len(scenarios)} scenario(s), {workers} at a time…")
    try:
        with running, ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(one, scenarios))
    finally:
        if mocks is not None:
            mocks.close()
    echo("")
    echo(table(results))
    if report_dir is not None:
        written = write_reports(results, report_dir)
        echo("reports: " + ", ".join(str(p) for p in written))
    return all(r.ok for r in results), results


def check_client_eras(
    scenarios: Sequence[Scenario],
    options: RunOptions,
    eras: Sequence[str],
    *,
    jobs: int = 2,
    report_dir: Path | None = None,
    echo: Callable[[str], None] = print,
) -> tuple[bool, dict[str, list[ScenarioResult]]]:
    """Every scenario under each era (a folder of runs and reports per era), then the
    client x era matrix; True when the client passed in every era."""
    by_era: dict[str, list[ScenarioResult]] = {}
    for era in eras:
        echo(f"== era {era} ==")
        in_era = replace(options, era=era, workdir=options.workdir / era)
        where = report_dir / era if report_dir is not None else None
        _, by_era[era] = check_client(scenarios, in_era, jobs=jobs, report_dir=where, echo=echo)
        echo("")
    matrix = era_matrix(by_era)
    echo(matrix)
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        (report_dir / "eras.txt").write_text(matrix + "\n", encoding="utf-8")
        echo(f"matrix: {report_dir / 'eras.txt'}")
    return all(r.ok for results in by_era.values() for r in results), by_era


class Running:
    """Live progress: a line when a scenario starts and ends (with its time), and every
    ``every`` seconds the ones still running, so a long run never looks stuck."""

    def __init__(self, echo: Callable[[str], None], every: float = 15.0) -> None:
        self._echo = echo
        self._every = every
        self._started: dict[str, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, daemon=True)

    def __enter__(self) -> Running:
        self._ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._ticker.join()

    def start(self, name: str) -> None:
        with self._lock:
            self._started[name] = time.monotonic()
        self._echo(f"  {name}: running…")

    def finish(self, name: str, verdict: str) -> None:
        with self._lock:
            seconds = time.monotonic() - self._started.pop(name)
        self._echo(f"  {name}: {verdict} ({seconds:.1f} s)")

    def _tick(self) -> None:
        while not self._stop.wait(self._every):
            now = time.monotonic()
            with self._lock:
                busy = [f"{n} ({now - t:.0f} s)" for n, t in self._started.items()]
            if busy:
                self._echo("  still running: " + ", ".join(busy))
