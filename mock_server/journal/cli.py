"""``nemo-mock journal``: a running mock's journal as a table (or JSON lines); with
``--follow``, new entries are printed as they arrive."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nemo_mock.mock_server.domain.secrets import redact
from nemo_mock.mock_server.journal.capture import as_fingerprint
from nemo_mock.mock_server.journal.entry import JournalEntry
from nemo_mock.mock_server.journal.table import render_table

if TYPE_CHECKING:  # httpx loads on first use only: the CLI's start-up stays light
    import httpx

DEFAULT_URL = "http://127.0.0.1:8000"


class JournalUnavailable(Exception):
    """The mock cannot be reached, or has no journal (control plane off)."""


def fetch(http: httpx.Client, url: str, params: dict[str, Any]) -> dict[str, Any]:
    """One ``GET /_mock/journal`` answer; ``JournalUnavailable`` saying why if there is none."""
    import httpx

    query = {k: v for k, v in params.items() if v is not None}
    try:
        response = http.get(f"{url.rstrip('/')}/_mock/journal", params=query)
    except httpx.HTTPError as exc:
        raise JournalUnavailable(f"cannot reach a mock at {url}: {exc}") from None
    if response.status_code == 401:
        raise JournalUnavailable(
            f"{url}/_mock/journal is locked: pass the mock's --control-token "
            "(--control-token or NEMO_MOCK_CONTROL_TOKEN)"
        )
    if response.status_code == 404:
        raise JournalUnavailable(
            f"{url} has no /_mock/journal: is it a nemo-mock with its control plane on?"
        )
    if response.status_code != 200:
        raise JournalUnavailable(
            f"{url}/_mock/journal answered {response.status_code}: {response.text[:300]}"
        )
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or not {"entries", "last_seq"} <= answer.keys():
        raise JournalUnavailable(f"{url}/_mock/journal did not answer a nemo-mock journal")
    return answer


def batches(
    http: httpx.Client, url: str, filters: dict[str, Any], *, follow: bool, interval: float
) -> Iterator[list[dict[str, Any]]]:
    """The entries, then (``follow``) every newer one as it appears."""
    since: int | None = None
    while True:
        answer = fetch(http, url, {**filters, "since": since})
        if since and answer["last_seq"] < since:  # the mock was reset: numbering restarted
            since = None
            answer = fetch(http, url, filters)
        entries: list[dict[str, Any]] = answer["entries"]
        yield entries
        if not follow:
            return
        # last_seq is read before the entries: nothing up to it can come later
        since = max([answer["last_seq"], since or 0, *(e["seq"] for e in entries)])
        time.sleep(interval)


def show(entries: list[dict[str, Any]], *, as_json: bool, first: bool) -> None:
    if as_json:
        for entry in entries:
            typer.echo(redact(json.dumps(entry, ensure_ascii=False)))
        return
    parsed = [JournalEntry.model_validate(e) for e in entries]
    if parsed or first:
        typer.echo(render_table(parsed, with_header=first))


def journal(
    url: Annotated[
        str | None,
        typer.Option(help=f"The mock's base URL (default: $NEMO_API_URL or {DEFAULT_URL})."),
    ] = None,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep printing new entries until Ctrl-C.")
    ] = False,
    interval: Annotated[
        float, typer.Option(min=0.05, help="Seconds between polls with --follow.")
    ] = 1.0,
    operation: Annotated[str | None, typer.Option(help="Only this operationId.")] = None,
    session: Annotated[str | None, typer.Option(help="Only this session id.")] = None,
    token: Annotated[
        str | None, typer.Option(help="Only this token (fp_… fingerprint or the raw token).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON entry per line instead of a table.")
    ] = False,
    control_token: Annotated[
        str | None,
        typer.Option(
            envvar="NEMO_MOCK_CONTROL_TOKEN",
            help="The mock's --control-token, if it has one (sent as X-Mock-Control-Token).",
        ),
    ] = None,
) -> None:
    """Print a running mock's request journal."""
    base = url or os.environ.get("NEMO_API_URL") or DEFAULT_URL
    # a raw token is fingerprinted here, so it never travels (nor lands in an access log)
    fp = as_fingerprint(token) if token else None
    filters = {"operation": operation, "session": session, "token": fp}
    import httpx

    try:
        headers = {"X-Mock-Control-Token": control_token} if control_token else {}
        with httpx.Client(timeout=10, headers=headers) as http:
            for n, entries in enumerate(
                batches(http, base, filters, follow=follow, interval=interval)
            ):
                show(entries, as_json=as_json, first=n == 0)
    except JournalUnavailable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


def register(app: typer.Typer) -> None:
    """Add the ``journal`` command to the ``nemo-mock`` CLI."""
    app.command("journal")(journal)
