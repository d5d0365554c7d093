"""``nemo-mock``: the command line. ``serve`` runs the mock (the default command)."""

from __future__ import annotations

import gc
import socket
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from pydantic import ValidationError

from nemo_mock.mock_server import __version__
from nemo_mock.mock_server.domain.renders import Quality
from nemo_mock.mock_server.media.preload import preload_media
from nemo_mock.mock_server.settings import ErrorStyle, RenderShape, Settings

app = typer.Typer(
    name="nemo-mock",
    help="A local, offline twin of the NemoVideo API.",
    no_args_is_help=False,
    add_completion=False,
)

_DEFAULTS = Settings.model_construct()
#: Connections waiting to be accepted (uvicorn's default).
BACKLOG = 2048


def _opt(name: str, help_text: str) -> Any:
    """An option whose default comes from ``Settings`` and whose env var is NEMO_MOCK_<NAME>."""
    return typer.Option(
        f"--{name.replace('_', '-')}", envvar=f"NEMO_MOCK_{name.upper()}", help=help_text
    )


@app.command()
def serve(
    host: Annotated[str, _opt("host", "Interface to bind.")] = _DEFAULTS.host,
    port: Annotated[int, _opt("port", "Port to bind; 0 picks a free one.")] = _DEFAULTS.port,
    seed: Annotated[
        int, _opt("seed", "Seed of the one RNG behind ids and choices.")
    ] = _DEFAULTS.seed,
    initial_credits: Annotated[
        int, _opt("initial_credits", "Credits of a new anonymous user.")
    ] = _DEFAULTS.initial_credits,
    max_upload_mb: Annotated[
        float, _opt("max_upload_mb", "Largest accepted upload, in MB (4002 above).")
    ] = _DEFAULTS.max_upload_mb,
    max_upload_parts: Annotated[
        int, _opt("max_upload_parts", "Parts one multipart upload may have (400 above).")
    ] = _DEFAULTS.max_upload_parts,
    token_ttl_days: Annotated[
        float, _opt("token_ttl_days", "Lifetime of access tokens, in days.")
    ] = _DEFAULTS.token_ttl_days,
    error_style: Annotated[
        ErrorStyle,
        _opt("error_style", "http: 1001→401 etc.; envelope: HTTP 200 carrying the code."),
    ] = _DEFAULTS.error_style,
    data_dir: Annotated[
        Path | None,
        _opt("data_dir", "Where uploads, renders and the state live (default: a temp dir)."),
    ] = None,
    persist: Annotated[
        bool,
        typer.Option(
            "--persist/--no-persist",
            envvar="NEMO_MOCK_PERSIST",
            help="With --data-dir: keep the state in DATA_DIR/state.sqlite3 across restarts.",
        ),
    ] = True,
    ip_token_limit: Annotated[
        int, _opt("ip_token_limit", "Anonymous tokens per IP per window; 0 = unlimited.")
    ] = _DEFAULTS.ip_token_limit,
    ip_token_window_days: Annotated[
        float, _opt("ip_token_window_days", "Length of the per-IP window, in days.")
    ] = _DEFAULTS.ip_token_window_days,
    url_fetch_timeout: Annotated[
        float, _opt("url_fetch_timeout", "Timeout of URL uploads, in seconds.")
    ] = _DEFAULTS.url_fetch_timeout,
    ffmpeg: Annotated[
        str, _opt("ffmpeg", "'bundled' (imageio-ffmpeg), 'system' (PATH) or a path.")
    ] = _DEFAULTS.ffmpeg,
    web_url: Annotated[
        str, _opt("web_url", "Web front end used in register/claim links.")
    ] = _DEFAULTS.web_url,
    public_url: Annotated[
        str | None, _opt("public_url", "Base URL put in cdn_url links (default: as called).")
    ] = None,
    time_scale: Annotated[
        float, _opt("time_scale", "Agent timing factor: 1 = real (gen 100-300 s), 0 = instant.")
    ] = _DEFAULTS.time_scale,
    silent_rate: Annotated[
        float, _opt("silent_rate", "Share of edit turns that close with no text (0-1).")
    ] = _DEFAULTS.silent_rate,
    temp_issue_rate: Annotated[
        float, _opt("temp_issue_rate", "Share of turns ending 'I encountered a temporary issue'.")
    ] = _DEFAULTS.temp_issue_rate,
    heartbeat_interval: Annotated[
        float, _opt("heartbeat_interval", "Seconds between keep-alives (times --time-scale).")
    ] = _DEFAULTS.heartbeat_interval,
    stream_limit_seconds: Annotated[
        float, _opt("stream_limit_seconds", "Hard limit of one stream, in real seconds.")
    ] = _DEFAULTS.stream_limit_seconds,
    render_workers: Annotated[
        int, _opt("render_workers", "Renders run at once; more wait as pending.")
    ] = _DEFAULTS.render_workers,
    render_shape: Annotated[
        RenderShape,
        _opt("render_shape", "Render job JSON: union (all shapes), skill, reference, legacy."),
    ] = _DEFAULTS.render_shape,
    render_timeout: Annotated[
        float, _opt("render_timeout", "Seconds after which a render fails.")
    ] = _DEFAULTS.render_timeout,
    render_quality_cap: Annotated[
        Quality | None,
        _opt(
            "render_quality_cap",
            "Encode renders at most at this quality (high, medium, low), whatever was asked.",
        ),
    ] = None,
    log_level: Annotated[str, _opt("log_level", "uvicorn log level.")] = _DEFAULTS.log_level,
    era: Annotated[
        str,
        _opt(
            "era",
            "Documented era to answer in (latest, v1.0, v1.4, api-reference, …): see "
            "docs/reference/eras.md.",
        ),
    ] = _DEFAULTS.era,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario", help="Load a scenario (name, or a .yaml file) at start; repeatable."
        ),
    ] = None,
    fault: Annotated[
        list[str] | None,
        typer.Option(
            "--fault", help="Arm a fault rule, e.g. 'operation=runSse cut=3'; repeatable."
        ),
    ] = None,
    synthesis_cache: Annotated[
        Path | None,
        _opt(
            "synthesis_cache",
            "Keep the agent's synthesised clips here, shared by mocks and runs "
            "(default: in the data dir).",
        ),
    ] = None,
    scenario_dir: Annotated[
        Path | None, _opt("scenario_dir", "A folder of your own scenario files (searched first).")
    ] = None,
    from_snapshot: Annotated[
        Path | None,
        _opt("from_snapshot", "Start from a snapshot file (state and media), then arm the rest."),
    ] = None,
    report_dir: Annotated[
        Path | None,
        _opt("report_dir", "check-client --report folder(s) the dashboard's Reports page shows."),
    ] = None,
    journal_size: Annotated[
        int, _opt("journal_size", "Journal entries kept (a ring buffer).")
    ] = _DEFAULTS.journal_size,
    journal_max_mb: Annotated[
        float, _opt("journal_max_mb", "Journal size budget in MB (the oldest entries go first).")
    ] = _DEFAULTS.journal_max_mb,
    journal_max_events: Annotated[
        int, _opt("journal_max_events", "SSE events kept per journal entry (first and last half).")
    ] = _DEFAULTS.journal_max_events,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log",
            envvar="NEMO_MOCK_ACCESS_LOG",
            help="One console line per request: operation, status, user fingerprint, fault.",
        ),
    ] = True,
    otel: Annotated[
        bool,
        typer.Option(
            "--otel/--no-otel",
            envvar="NEMO_MOCK_OTEL",
            help="FastAPI's OpenTelemetry spans, metrics and logs, to the configured providers.",
        ),
    ] = _DEFAULTS.otel,
    control: Annotated[
        bool,
        typer.Option(
            "--control/--no-control",
            envvar="NEMO_MOCK_CONTROL",
            help="Serve /_mock, the journal and X-Mock-Fault (off for shared deployments).",
        ),
    ] = True,
    control_token: Annotated[
        str | None,
        _opt("control_token", "Secret that /_mock, the journal and X-Mock-Fault require."),
    ] = None,
    forwarded_allow_ips: Annotated[
        str,
        _opt("forwarded_allow_ips", "Proxies whose X-Forwarded-For is believed (default none)."),
    ] = _DEFAULTS.forwarded_allow_ips,
    max_json_kb: Annotated[
        int, _opt("max_json_kb", "Largest non-multipart request body, in KiB (413 above).")
    ] = _DEFAULTS.max_json_kb,
    http: Annotated[
        str,  # checked by Settings: a wrong value is one line, not click's box
        _opt("http", "HTTP parser: auto (httptools when installed), httptools or h11."),
    ] = _DEFAULTS.http,
    header_timeout: Annotated[
        float, _opt("header_timeout", "Seconds to send the request headers (408 after).")
    ] = _DEFAULTS.header_timeout,
    body_idle_timeout: Annotated[
        float, _opt("body_idle_timeout", "Longest gap in a request body, in seconds (408).")
    ] = _DEFAULTS.body_idle_timeout,
    body_min_rate: Annotated[
        float, _opt("body_min_rate", "Slowest request body after the idle grace, bytes/s.")
    ] = _DEFAULTS.body_min_rate,
    max_uploads_per_client: Annotated[
        int, _opt("max_uploads_per_client", "Uploads one user may run at once (429 above).")
    ] = _DEFAULTS.max_uploads_per_client,
) -> None:
    """Start the mock and serve until interrupted."""
    options = {k: v for k, v in locals().items() if v is not None}
    options["scenarios"] = options.pop("scenario", [])
    options["faults"] = options.pop("fault", [])
    run_server(_settings(options))


def _settings(options: dict[str, Any]) -> Settings:
    """The settings, or each wrong option named with what was wrong (exit 2, no traceback)."""
    try:
        return Settings(**options)
    except ValidationError as exc:
        for error in exc.errors():
            where = "--" + str(error["loc"][0]).replace("_", "-") if error["loc"] else "settings"
            given = error["input"]
            shown = str(given) if isinstance(given, Path) else repr(given)
            message = str(error["msg"]).removeprefix("Value error, ")
            typer.echo(f"nemo-mock: {where}: {message} (got {shown})", err=True)
        raise typer.Exit(2) from None


def run_server(settings: Settings) -> None:
    from nemo_mock.mock_server.app import StartupError, create_app
    from nemo_mock.mock_server.domain.errors import NemoError
    from nemo_mock.mock_server.edge.protocol import guarded_protocol
    from nemo_mock.mock_server.journal.access import console_handler
    from nemo_mock.mock_server.journal.logfilter import install_log_redaction

    try:
        protocol = guarded_protocol(
            header_timeout=settings.header_timeout,
            idle_timeout=settings.body_idle_timeout,
            min_rate=settings.body_min_rate,
            http=settings.http,
        )
    except ValueError as exc:  # httptools asked for, and not installed
        typer.echo(f"nemo-mock: --http: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        app_ = create_app(settings)
    except (StartupError, NemoError) as exc:
        typer.echo(f"nemo-mock: {exc}", err=True)
        raise typer.Exit(2) from None
    sock = _bind(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}"
    typer.echo(
        f"nemo-mock {__version__} listening on {base}\n"
        f"  point a client at it:  export NEMO_API_URL={base}\n"
        f"  contract:              {base}/docs   control: {base}/_mock/docs\n"
        f"  data dir:              {app_.state.mock.data_dir}\n"
        f"{_armed(app_.state.mock)}"
        f"  seed {settings.seed}, error style {settings.error_style}, "
        f"{protocol.parser_name} parser",
        err=False,
    )
    sys.stdout.flush()
    config = uvicorn.Config(
        app_,
        log_level=settings.log_level,
        lifespan="on",
        access_log=False,
        http=protocol,
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or [],
    )
    install_log_redaction()  # after uvicorn configured its logging: no raw token in any log
    if settings.access_log:
        console_handler()
    preload_media()  # not imported halfway by a request that meets the descriptor limit
    gc.collect()
    gc.freeze()  # start-up's objects (modules, models, routes) are never collected again
    uvicorn.Server(config).run(sockets=[sock])


def _armed(ctx: Any) -> str:
    lines = [f"  scenario:              {name}\n" for name in ctx.loaded_scenarios]
    lines += [
        f"  fault {a.rule_id}:{' ' * (15 - len(a.rule_id))}{_spec(a)}\n" for a in ctx.faults.rules()
    ]
    if not ctx.settings.control:
        lines.append("  control plane:         off (--no-control)\n")
    elif ctx.settings.control_token is not None:
        lines.append("  control plane:         locked (--control-token)\n")
    if ctx.settings.forwarded_allow_ips:
        lines.append(f"  forwarded headers:     from {ctx.settings.forwarded_allow_ips}\n")
    return "".join(lines)


def _spec(active: Any) -> str:
    return " ".join(
        f"{k}={v}"
        for k, v in active.to_json().items()
        if k not in ("id", "matched", "fired", "remaining") and v is not None
    )


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket. Made with ``IPPROTO_TCP`` (not protocol 0) so that asyncio sets
    TCP_NODELAY on every accepted connection: without it, a response whose headers and body are
    written separately waits ~40 ms for Nagle and the peer's delayed ACK."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise typer.BadParameter(f"cannot bind {host}:{port}: {exc.strerror}") from None
    # uvicorn's own backlog: with 128, a burst of a thousand streams overflowed it and the
    # refused SYNs came back 1, 3, 7, 15 s later (a GET waited 16 s; issue 18)
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


@app.command()
def render(
    draft: Annotated[Path, typer.Argument(help="A draft (JSON), or a saved state answer.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The MP4 to write.")],
    quality: Annotated[str, typer.Option(help="high, medium or low.")] = "high",
    media_dir: Annotated[
        list[Path] | None, typer.Option(help="Where ids like f_… find their files (repeatable).")
    ] = None,
    canvas: Annotated[
        str | None, typer.Option(help="WIDTHxHEIGHT when the draft's m has none, e.g. 1080x1920.")
    ] = None,
    ffmpeg: Annotated[str, _opt("ffmpeg", "'bundled', 'system' or a path.")] = _DEFAULTS.ffmpeg,
) -> None:
    """Render a draft to an MP4 offline, with the mock's own engine."""
    from nemo_mock.mock_server.render.preview import render_file

    summary = render_file(
        draft, output, quality=quality, media_dirs=media_dir or [], canvas=canvas, ffmpeg=ffmpeg
    )
    typer.echo(summary)


@app.command()
def scenarios(
    scenario_dir: Annotated[
        Path | None, _opt("scenario_dir", "A folder of your own scenario files.")
    ] = None,
) -> None:
    """List the scenarios: name, title and what a correct client does."""
    from nemo_mock.mock_server.scenarios.library import ScenarioLibrary

    library = ScenarioLibrary((scenario_dir,) if scenario_dir else ())
    for scenario in library.all():
        typer.echo(f"{scenario.name:32} {scenario.title}  ({', '.join(scenario.sections)})")
        typer.echo(f"{'':32} client should: {' '.join(scenario.client_should.split())}")


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"nemo-mock {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """A local, offline twin of the NemoVideo API."""


@app.command()
def samples(
    directory: Annotated[Path, typer.Argument(help="Where to write them (made if absent).")],
) -> None:
    """Write sample media to upload: photos, clips, songs, and a few files the API refuses."""
    from nemo_mock.mock_server.media.samples import make_sample_set

    if directory.exists() and not directory.is_dir():
        raise typer.BadParameter(f"{directory} exists and is not a folder")
    made = make_sample_set(directory)
    for name, expected in made.expected.items():
        size = f"{expected.width}x{expected.height}" if expected.width else None
        length = f"{expected.duration:g} s" if expected.duration else None
        facts = " ".join(part for part in (expected.kind, size, length) if part)
        typer.echo(f"  {made.path(name)}  {facts}")
    for name in made.invalid:
        typer.echo(f"  {made.path(name)}  (refused by the API: for testing refusals)")


#: Entry-point group of commands that live outside mock_server (``check-client`` lives with
#: the client harness in client_tests, which mock_server never imports).
COMMANDS_GROUP = "nemo_mock.commands"


def _register_commands() -> None:
    """Commands that live with their packages: ``journal`` and ``snapshot`` here, the others by
    entry point."""
    from nemo_mock.mock_server.journal.cli import register as register_journal
    from nemo_mock.mock_server.snapshots.cli import register as register_snapshot

    register_journal(app)
    register_snapshot(app)
    for entry in sorted(entry_points(group=COMMANDS_GROUP), key=lambda e: e.name):
        entry.load()(app)


_register_commands()


def main(argv: list[str] | None = None) -> None:
    """Entry point: with no command (or only options), ``serve`` is implied."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0].startswith("-") and args[0] not in ("--help", "-h", "--version")):
        args.insert(0, "serve")
    app(args=args, prog_name="nemo-mock")
