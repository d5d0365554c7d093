"""What ``check-client --explore N`` and ``check-client --scenario-file PATH`` do."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from nemo_mock.client_tests.explore.judged import expectation_for, judged, run_schedule
from nemo_mock.client_tests.explore.report import (
    exploration_table,
    result_table,
    write_exploration,
    write_replay,
)
from nemo_mock.client_tests.explore.schedule import FaultSchedule
from nemo_mock.client_tests.explore.search import MINIMAL_NAME, Explorer, ExploreSettings
from nemo_mock.client_tests.harness.runner import RunOptions, pool_for, run_scenario
from nemo_mock.mock_server.scenarios.library import read_scenario
from nemo_mock.mock_server.scenarios.model import Scenario

SCHEDULE_FILE = f"{MINIMAL_NAME}.yaml"
DATABASE_DIR = ".hypothesis"

Echo = Callable[[str], None]


def explore(
    command: Sequence[str],
    options: RunOptions,
    settings: ExploreSettings,
    *,
    report_dir: Path,
    base: Scenario | None = None,
    echo: Echo = print,
) -> bool:
    """Explore ``settings.examples`` schedules; on a failure, shrink it, write
    ``minimal-schedule.yaml`` and print how to replay it. True when every schedule passed."""
    base = base or FaultSchedule().to_scenario("explore")
    settings = replace(
        settings,
        database=report_dir / DATABASE_DIR,
        label=f"{shlex.join(command)}|{base.task.model_dump_json()}",
    )
    echo(
        f"exploring {settings.examples} fault schedule(s), {settings.jobs} at a time "
        f"(seed {settings.seed}, up to {settings.max_faults} faults; task: {base.task.prompt!r})…"
    )
    mocks = None if options.url is not None or options.isolate else pool_for(options)
    try:
        explorer = Explorer(
            lambda s, name: run_schedule(s, name, base, options, mocks), settings, echo
        )
        exploration = explorer.explore()
    finally:
        if mocks is not None:
            mocks.close()
    schedule_yaml = replay = ""
    minimal = exploration.minimal
    if minimal is not None and minimal.schedule is not None:
        path = report_dir / SCHEDULE_FILE
        replay = replay_command(path, command, options, minimal.schedule.agent_seed)
        schedule_yaml = minimal.schedule.to_yaml(
            MINIMAL_NAME,
            comment=f"Replay: {replay}",
            task=base.task,
            setup=base.setup,
            expect=expectation_for(minimal, options.time_scale),
            surface=base.surface,
        )
        report_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(schedule_yaml, encoding="utf-8")
    written = write_exploration(exploration, report_dir, schedule_yaml, replay)
    echo("")
    echo(exploration_table(exploration, replay))
    if schedule_yaml:
        echo("")
        echo(f"{report_dir / SCHEDULE_FILE}:")
        echo(schedule_yaml)
    echo("reports: " + ", ".join(str(p) for p in written))
    return exploration.ok


def replay(path: Path, options: RunOptions, *, report_dir: Path, echo: Echo = print) -> bool:
    """Run one scenario file (e.g. ``minimal-schedule.yaml``), judged as exploration judges:
    the client rules, the outcome its ``expect`` states, and the universal properties."""
    scenario = read_scenario(path)
    echo(f"replaying {path} ({scenario.name}, seed {options.seed})…")
    result = judged(run_scenario(scenario, options), options, outcome_from_properties=False)
    written = write_replay(result, report_dir)
    echo("")
    echo(result_table(result))
    echo("reports: " + ", ".join(str(p) for p in written))
    return result.ok


def replay_command(path: Path, command: Sequence[str], options: RunOptions, seed: int) -> str:
    """The command that replays a schedule file with the options the exploration used."""
    words = ["nemo-mock", "check-client", "--scenario-file", str(path)]
    if seed:
        words += ["--seed", str(seed)]
    if options.prompt is not None:
        words += ["--prompt", options.prompt]
    defaults = RunOptions(command=(), workdir=Path())
    for flag, value, default in (
        ("--time-scale", options.time_scale, defaults.time_scale),
        ("--agent-time-scale", options.agent_time_scale, defaults.agent_time_scale),
        ("--timeout", options.timeout, defaults.timeout),
    ):
        if value != default:
            words += [flag, f"{value:g}"]
    return shlex.join([*words, "--", *command])
