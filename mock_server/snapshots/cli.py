"""``nemo-mock snapshot save|load|list|export|import|delete``: a running mock's snapshots,
through its control API (``/_mock/snapshots``), as a script would call it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nemo_mock.mock_server.snapshots.book import SUFFIX

if TYPE_CHECKING:  # httpx loads on first use only: the CLI's start-up stays light
    import httpx

DEFAULT_URL = "http://127.0.0.1:8000"

snapshot_app = typer.Typer(
    name="snapshot",
    help="Save, restore, list, export and import a running mock's snapshots.",
    no_args_is_help=True,
)


class Failed(Exception):
    """The mock could not be reached, or refused (its message says why)."""


def _client(ctx: typer.Context) -> tuple[httpx.Client, str]:
    import httpx

    url, token = ctx.obj
    headers = {"X-Mock-Control-Token": token} if token else {}
    return httpx.Client(base_url=url, timeout=300, headers=headers), url


def _call(ctx: typer.Context, method: str, path: str, **kwargs: Any) -> httpx.Response:
    import httpx

    http, url = _client(ctx)
    with http:
        try:
            response = http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise Failed(f"cannot reach a mock at {url}: {exc}") from None
        response.read()
    if response.status_code == 401:
        raise Failed(f"{url}/_mock is locked: pass the mock's --control-token")
    if response.status_code >= 400:
        try:
            message = response.json().get("message") or response.text
        except ValueError:
            message = response.text[:300]
        raise Failed(f"{method} {path} → {response.status_code}: {message}")
    return response


def _line(summary: dict[str, Any]) -> str:
    size = summary["size"] / 1_000_000
    saved_as = (
        "" if summary["saved_as"] == summary["name"] else f"  (saved as {summary['saved_as']})"
    )
    return (
        f"{summary['name']:32} {summary['created_at']}  {summary['files']:>4} files  "
        f"{size:8.2f} MB  seed {summary['seed']}{saved_as}"
    )


def _run(action: Any) -> None:
    try:
        action()
    except Failed as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


@snapshot_app.callback()
def options(
    ctx: typer.Context,
    url: Annotated[
        str | None,
        typer.Option(help=f"The mock's base URL (default: $NEMO_API_URL or {DEFAULT_URL})."),
    ] = None,
    control_token: Annotated[
        str | None,
        typer.Option(
            envvar="NEMO_MOCK_CONTROL_TOKEN",
            help="The mock's --control-token, if it has one (sent as X-Mock-Control-Token).",
        ),
    ] = None,
) -> None:
    """Save, restore, list, export and import a running mock's snapshots."""
    ctx.obj = ((url or os.environ.get("NEMO_API_URL") or DEFAULT_URL).rstrip("/"), control_token)


@snapshot_app.command()
def save(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Its name.")]) -> None:
    """Save the mock's whole state and files as a snapshot."""
    _run(
        lambda: typer.echo(
            _line(_call(ctx, "POST", "/_mock/snapshots", json={"name": name}).json())
        )
    )


@snapshot_app.command()
def load(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Its name.")]) -> None:
    """Restore a snapshot: the mock's state and files become the snapshot's."""

    def action() -> None:
        answer = _call(ctx, "POST", f"/_mock/snapshots/{name}/restore").json()
        typer.echo("restored " + _line(answer["restored"]))

    _run(action)


@snapshot_app.command("list")
def list_snapshots(ctx: typer.Context) -> None:
    """List the mock's snapshots."""

    def action() -> None:
        found = _call(ctx, "GET", "/_mock/snapshots").json()["snapshots"]
        for summary in found:
            typer.echo(_line(summary))
        if not found:
            typer.echo("no snapshots")

    _run(action)


@snapshot_app.command()
def export(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The snapshot.")],
    file: Annotated[
        Path | None, typer.Argument(help=f"Where to write it (default: ./NAME{SUFFIX}).")
    ] = None,
) -> None:
    """Write a snapshot to one portable file (state and media) another machine imports."""
    target = file or Path(f"{name}{SUFFIX}")

    def action() -> None:
        response = _call(ctx, "GET", f"/_mock/snapshots/{name}/file")
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(response.content)
        partial.replace(target)
        typer.echo(f"{target}  {len(response.content) / 1_000_000:.2f} MB")

    _run(action)


@snapshot_app.command("import")
def import_snapshot(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A snapshot file (from `snapshot export`).")],
    name: Annotated[
        str | None, typer.Option(help="Keep it under this name (default: its own).")
    ] = None,
    load_it: Annotated[bool, typer.Option("--load", help="Restore it right away.")] = False,
) -> None:
    """Import a snapshot file into the mock (checked whole first)."""
    if not file.is_file():
        raise typer.BadParameter(f"{file} is not a file")

    def action() -> None:
        with file.open("rb") as stream:
            files = {"file": (file.name, stream, "application/x-tar")}
            data = {"name": name} if name else {}
            summary = _call(ctx, "POST", "/_mock/snapshots/import", files=files, data=data).json()
        typer.echo("imported " + _line(summary))
        if load_it:
            _call(ctx, "POST", f"/_mock/snapshots/{summary['name']}/restore")
            typer.echo(f"restored {summary['name']}")

    _run(action)


@snapshot_app.command()
def delete(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Its name.")]) -> None:
    """Delete a snapshot."""
    _run(
        lambda: typer.echo(
            "deleted " + _line(_call(ctx, "DELETE", f"/_mock/snapshots/{name}").json()["deleted"])
        )
    )


def register(app: typer.Typer) -> None:
    """Add the ``snapshot`` command group to the ``nemo-mock`` CLI."""
    app.add_typer(snapshot_app)
