"""The whole check: pick scenarios, run them (in parallel where they can), report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from client_tests.harness.report import table, write_reports
from client_tests.harness.runner import RunOptions, ScenarioResult, run_scenario
from mock_server.scenarios.library import ScenarioLibrary
from mock_server.scenarios.model import Scenario

ALL = "all"


def choose(library: ScenarioLibrary, names: Sequence[str]) -> list[Scenario]:
    """``all`` (the default), or the named scenarios (names or .yaml paths), in order."""
    if not names or ALL in names:
        return library.all()
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

    def one(scenario: Scenario) -> ScenarioResult:
        result = run_scenario(scenario, options)
        echo(f"  {scenario.name}: {'passed' if result.ok else 'FAILED'}")
        return result

    echo(f"checking {len(scenarios)} scenario(s), {workers} at a time…")
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(one, scenarios))
    echo("")
    echo(table(results))
    if report_dir is not None:
        written = write_reports(results, report_dir)
        echo("reports: " + ", ".join(str(p) for p in written))
    return all(r.ok for r in results), results


def with_workdir(options: RunOptions, report_dir: Path) -> RunOptions:
    return replace(options, workdir=report_dir / "runs")
