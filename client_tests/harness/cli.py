"""``nemo-mock check-client``, registered on the main command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


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
    jobs: Annotated[int, typer.Option("--jobs", help="Scenarios run at once.")] = 2,
    time_scale: Annotated[
        float,
        typer.Option(
            "--time-scale",
            help="NEMO_CHECK_TIME_SCALE: the client's documented waits are multiplied by it.",
        ),
    ] = 0.1,
    agent_time_scale: Annotated[
        float, typer.Option("--agent-time-scale", help="The mock's --time-scale.")
    ] = 0.01,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds a client may run per scenario.")
    ] = 300.0,
    seed: Annotated[int, typer.Option("--seed", help="The mocks' seed.")] = 0,
    scenario_dir: Annotated[
        Path | None, typer.Option("--scenario-dir", help="A folder of your own scenarios.")
    ] = None,
) -> None:
    """Run a client under each scenario and judge it against the client rules."""
    from client_tests.harness.check import check_client, choose
    from client_tests.harness.runner import RunOptions
    from mock_server.scenarios.library import ScenarioLibrary

    if not command:
        raise typer.BadParameter("give the client's command after --, e.g. -- python my_client.py")
    library = ScenarioLibrary((scenario_dir,) if scenario_dir else ())
    options = RunOptions(
        command=command,
        workdir=report.resolve() / "runs",
        time_scale=time_scale,
        agent_time_scale=agent_time_scale,
        timeout=timeout,
        seed=seed,
        url=url,
    )
    ok, _ = check_client(
        choose(library, scenario or []), options, jobs=jobs, report_dir=report, echo=typer.echo
    )
    raise typer.Exit(0 if ok else 1)
