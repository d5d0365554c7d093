"""``nemo-mock check-client``, registered on the main command line."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from nemo_mock.client_tests.harness.runner import RunOptions
    from nemo_mock.mock_server.scenarios.library import ScenarioLibrary
    from nemo_mock.mock_server.scenarios.model import Surface


def register(app: typer.Typer) -> None:
    app.command(
        "check-client",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )(check_client_command)


def check_client_command(
    command: Annotated[
        list[str],
        typer.Argument(
            help="The client to check, after --; {prompt}, {files} and {output} are filled in."
        ),
    ],
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", help="A scenario name or .yaml file, or 'all'; repeatable."),
    ] = None,
    report: Annotated[
        Path, typer.Option("--report", help="Where the table, JUnit XML and Markdown go.")
    ] = Path("nemo-check-report"),
    url: Annotated[
        str | None,
        typer.Option(
            "--url", help="Use this running mock (reset per scenario) instead of one each."
        ),
    ] = None,
    prompt: Annotated[
        str | None,
        typer.Option(
            "--prompt",
            envvar="NEMO_CHECK_PROMPT",
            help="The task's prompt in every scenario, instead of each scenario's own (e.g. a "
            "shorter video for a quicker check: 'turn my photos into a 2-second 480p video').",
        ),
    ] = None,
    isolate: Annotated[
        bool,
        typer.Option(
            "--isolate",
            help="Start a mock for every scenario, instead of one per --jobs slot reset and "
            "re-seeded between scenarios.",
        ),
    ] = False,
    jobs: Annotated[int, typer.Option("--jobs", help="Scenarios run at once.")] = 2,
    keep_media: Annotated[
        bool,
        typer.Option(
            "--keep-media",
            help="Keep the videos, uploads and renders of scenarios that passed too (failed "
            "ones always keep theirs).",
        ),
    ] = False,
    time_scale: Annotated[
        float,
        typer.Option(
            "--time-scale",
            envvar="NEMO_CHECK_TIME_SCALE",
            help="The client's documented waits are multiplied by it (the client is given it "
            "as NEMO_CHECK_TIME_SCALE).",
        ),
    ] = 0.1,
    agent_time_scale: Annotated[
        float, typer.Option("--agent-time-scale", help="The mock's --time-scale.")
    ] = 0.01,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds a client may run per scenario.")
    ] = 300.0,
    seed: Annotated[
        int,
        typer.Option(
            "--seed",
            help="The mocks' seed; with --explore, the exploration's seed (each schedule "
            "carries the seed its mock is reset with).",
        ),
    ] = 0,
    scenario_dir: Annotated[
        Path | None, typer.Option("--scenario-dir", help="A folder of your own scenarios.")
    ] = None,
    surface: Annotated[
        str,
        typer.Option(
            "--surface",
            help="The surface the client speaks (skill, gateway, mcp): by default the "
            "scenarios of that surface run, and --explore puts faults on its operations.",
        ),
    ] = "skill",
    scenario_file: Annotated[
        Path | None,
        typer.Option(
            "--scenario-file",
            help="Run this one scenario file (e.g. an exploration's minimal-schedule.yaml), "
            "judged with the universal properties too.",
        ),
    ] = None,
    explore: Annotated[
        int,
        typer.Option(
            "--explore",
            help="Run N generated fault schedules (each on a mock reset and seeded for it) "
            "instead of the scenarios; a failure is shrunk to the smallest schedule. A "
            "--scenario gives the task.",
        ),
    ] = 0,
    max_faults: Annotated[
        int, typer.Option("--max-faults", help="With --explore: faults per schedule, at most.")
    ] = 4,
    shrink_time: Annotated[
        float,
        typer.Option(
            "--shrink-time",
            help="With --explore: seconds spent shrinking a failure at most (then the "
            "smallest failing schedule found so far is reported).",
        ),
    ] = 300.0,
    era: Annotated[
        list[str] | None,
        typer.Option(
            "--era",
            help="Run the scenarios in this era (see docs/reference/eras.md), repeatable, or "
            "'all': every era, then a client × era matrix. Default: each scenario's own, "
            "else latest.",
        ),
    ] = None,
    explore_operation: Annotated[
        list[str] | None,
        typer.Option(
            "--explore-operation",
            help="With --explore: an operationId to put faults on (repeatable; default: the "
            "seven of a client's flow, createAnonymousToken … getRender).",
        ),
    ] = None,
) -> None:
    """Run a client under each scenario and judge it against the client rules."""
    from nemo_mock.client_tests.harness.check import check_client, check_client_eras, choose
    from nemo_mock.client_tests.harness.runner import RunOptions
    from nemo_mock.mock_server.domain.errors import NotFound
    from nemo_mock.mock_server.scenarios.library import ScenarioLibrary

    if not command:
        raise typer.BadParameter("give the client's command after --, e.g. -- python my_client.py")
    _runnable(command[0])
    library = ScenarioLibrary((scenario_dir,) if scenario_dir else ())
    options = RunOptions(
        command=command,
        workdir=report.resolve() / "runs",
        time_scale=time_scale,
        agent_time_scale=agent_time_scale,
        timeout=timeout,
        seed=seed,
        url=url,
        keep_media=keep_media,
        isolate=isolate,
        prompt=prompt,
    )
    if scenario_file is not None:
        if scenario or explore:
            raise typer.BadParameter("--scenario-file runs one file: no --scenario, no --explore")
        _replay(scenario_file, options, report)
    if explore:
        operations = tuple(explore_operation or ())
        limits = _Limits(
            explore, max(1, jobs), max_faults, operations, shrink_time, _surface(surface)
        )
        _explore(command, options, library, scenario or [], report, limits)
    try:
        chosen = choose(library, scenario or [], _surface(surface))
    except NotFound as exc:
        raise typer.BadParameter(exc.message, param_hint="--scenario") from None
    eras = _eras(era or [])
    if len(eras) == 1:
        options = replace(options, era=eras[0])
    if len(eras) > 1:
        ok, _ = check_client_eras(
            chosen, options, eras, jobs=jobs, report_dir=report, echo=typer.echo
        )
    else:
        ok, _ = check_client(chosen, options, jobs=jobs, report_dir=report, echo=typer.echo)
    raise typer.Exit(0 if ok else 1)


def _eras(names: list[str]) -> list[str]:
    """The eras asked for: none, some (known names, in order), or 'all'."""
    from nemo_mock.mock_server.domain.eras import ERA_NAMES, UnknownEra, era_named

    if "all" in names:
        return list(ERA_NAMES)
    try:
        return list(dict.fromkeys(era_named(name).name for name in names))
    except UnknownEra as exc:
        raise typer.BadParameter(str(exc), param_hint="--era") from None


def _surface(name: str) -> Surface:
    """A surface's name (``--surface``), checked."""
    from typing import get_args

    from nemo_mock.mock_server.scenarios.model import Surface

    known: tuple[Surface, ...] = get_args(Surface)
    for surface in known:
        if surface == name:
            return surface
    raise typer.BadParameter(f"no surface {name!r}; surfaces: {', '.join(known)}")


def _runnable(program: str) -> None:
    """The client's program must be on PATH or an executable file (else: a clear error)."""
    if shutil.which(program) is None:
        where = "is not executable" if Path(program).is_file() else "was not found"
        raise typer.BadParameter(
            f"the client command {program!r} {where} (not on PATH and no such executable file)"
        )


@dataclass(frozen=True)
class _Limits:
    examples: int
    jobs: int
    max_faults: int
    operations: tuple[str, ...]
    shrink_seconds: float
    surface: Surface = "skill"


def _replay(scenario_file: Path, options: RunOptions, report: Path) -> None:
    from nemo_mock.client_tests.explore.command import replay

    if not scenario_file.is_file():
        raise typer.BadParameter(f"no such scenario file: {scenario_file}")
    ok = replay(scenario_file, options, report_dir=report, echo=typer.echo)
    raise typer.Exit(0 if ok else 1)


def _explore(
    command: list[str],
    options: RunOptions,
    library: ScenarioLibrary,
    scenarios: list[str],
    report: Path,
    limits: _Limits,
) -> None:
    from nemo_mock.client_tests.explore import vocabulary
    from nemo_mock.client_tests.explore.command import explore
    from nemo_mock.client_tests.explore.schedule import FaultSchedule
    from nemo_mock.client_tests.explore.search import ExploreSettings
    from nemo_mock.mock_server.domain.errors import NotFound

    try:
        import hypothesis  # noqa: F401  (the explore extra; --explore needs it)
    except ImportError:
        raise typer.BadParameter(
            "--explore needs hypothesis: pip install 'nemo-mock[explore]'"
        ) from None

    if options.url is not None:
        raise typer.BadParameter("--explore starts a mock per schedule: it cannot use --url")
    if limits.examples < 0 or limits.max_faults < 0:
        raise typer.BadParameter("--explore and --max-faults take 0 or more")
    unknown = vocabulary.unknown_operations(limits.operations)
    if unknown:
        raise typer.BadParameter(f"unknown operation(s): {', '.join(unknown)}")
    chosen = [name for name in scenarios if name != "all"]
    if len(chosen) > 1:
        raise typer.BadParameter("--explore takes at most one --scenario (for its task)")
    settings = ExploreSettings(
        examples=limits.examples,
        seed=options.seed,
        jobs=limits.jobs,
        max_faults=limits.max_faults,
        operations=limits.operations or vocabulary.default_operations(limits.surface),
        shrink_seconds=max(0.0, limits.shrink_seconds),
    )
    try:
        base = library.get(chosen[0]) if chosen else None
        if base is None:  # the default task, for a client of this surface
            base = FaultSchedule().to_scenario("explore", surface=limits.surface)
    except NotFound as exc:
        raise typer.BadParameter(exc.message, param_hint="--scenario") from None
    ok = explore(command, options, settings, report_dir=report, base=base, echo=typer.echo)
    raise typer.Exit(0 if ok else 1)
