"""``create_app``: wire settings, clock, RNG and store into one FastAPI app.

The request pipeline, outside in: the journal (records the exchange), the
faults (may answer, delay, cut or drop instead of the mock), then the routes.
With ``--no-control`` there is no ``/_mock`` surface but health, no journal and
no ``X-Mock-Fault`` header; faults armed at start-up still apply.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from mock_server.api.context import MockContext
from mock_server.api.errors import install_error_handlers
from mock_server.api.routers import agent, auth, cdn, credits, docs, renders, sessions, uploads
from mock_server.control import accounts, faults, journal, reset, scenarios
from mock_server.control import routes as control
from mock_server.domain.backend import NemoBackend
from mock_server.domain.clock import Clock, ShiftableClock
from mock_server.domain.store import Store
from mock_server.faults.middleware import FaultMiddleware
from mock_server.faults.rules import FaultBook
from mock_server.faults.spec import SpecError, parse_rule
from mock_server.journal.book import Journal
from mock_server.journal.middleware import JournalMiddleware
from mock_server.media.ffmpeg import resolve_ffmpeg
from mock_server.media.ingest import UploadIngest, UploadLimits
from mock_server.render.jobs import RenderService
from mock_server.scenarios.apply import apply_scenario
from mock_server.scenarios.library import ScenarioLibrary
from mock_server.settings import Settings
from mock_server.sse.timing import Timing
from mock_server.sse.turns import TurnRunner, TurnSettings

NEMO_ROUTERS = (auth, sessions, agent, uploads, credits, renders, cdn, docs)
CONTROL_ROUTERS = (control, accounts, faults, scenarios, journal, reset)


class StartupError(ValueError):
    """A ``--scenario`` or ``--fault`` given at start-up cannot be used."""


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    store: Store | None = None,
) -> FastAPI:
    settings = settings or Settings()
    ctx = build_context(settings, clock or ShiftableClock(), rng, store)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await ctx.turns.stop()
        ctx.renders.stop()
        if settings.data_dir is None:
            shutil.rmtree(ctx.data_dir, ignore_errors=True)

    app = FastAPI(
        title="nemo-mock",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        # operationIds of FastAPI's own (unserved) schema are the route function names,
        # which tests compare with the contracts' operationIds
        generate_unique_id_function=lambda route: route.name,
    )
    app.state.mock = ctx
    install_error_handlers(app, settings.error_style)
    _install_middleware(app, ctx)
    app.include_router(control.health_router)
    for module in NEMO_ROUTERS + (CONTROL_ROUTERS if settings.control else ()):
        app.include_router(module.router)
    app.mount("/_mock/swagger-ui", StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
    arm(ctx, settings.scenarios, settings.faults)
    return app


def build_context(
    settings: Settings, clock: Clock, rng: random.Random | None, store: Store | None
) -> MockContext:
    backend = NemoBackend(
        settings.backend_config(),
        clock=clock,
        rng=rng or random.Random(settings.seed),
        store=store,
    )
    data_dir = _data_dir(settings.data_dir)
    limits = UploadLimits(settings.max_upload_bytes, settings.url_fetch_timeout)
    timing = Timing(settings.time_scale, settings.heartbeat_interval)
    return MockContext(
        settings=settings,
        backend=backend,
        uploads=UploadIngest(data_dir / "uploads", backend.ids, clock, limits),
        renders=RenderService(
            backend,
            data_dir,
            workers=settings.render_workers,
            ffmpeg=resolve_ffmpeg(settings.ffmpeg),
            timeout=settings.render_timeout,
        ),
        turns=TurnRunner(
            backend,
            data_dir,
            TurnSettings(timing, settings.silent_rate, settings.temp_issue_rate, settings.seed),
        ),
        data_dir=data_dir,
        started_at=clock.now(),
        journal=Journal(settings.journal_size),
        faults=FaultBook(random.Random(f"{settings.seed}:faults")),
        scenarios=ScenarioLibrary((settings.scenario_dir,) if settings.scenario_dir else ()),
    )


def arm(ctx: MockContext, scenario_names: list[str], fault_specs: list[str]) -> None:
    """Load start-up scenarios, then start-up faults, in the order given."""
    for name in scenario_names:
        scenario = ctx.scenarios.get(name)
        apply_scenario(scenario, ctx.backend, ctx.faults)
        ctx.loaded_scenarios.append(scenario.name)
    for spec in fault_specs:
        try:
            ctx.faults.add(parse_rule(spec))
        except SpecError as exc:
            forms = "\n  ".join(exc.forms)
            raise StartupError(
                f"--fault {spec!r}: {exc.message}\nvalid forms:\n  {forms}"
            ) from None


def _install_middleware(app: FastAPI, ctx: MockContext) -> None:
    # the last added is the outermost: the journal sees what the faults did
    app.add_middleware(
        FaultMiddleware,
        book=ctx.faults,
        backend=ctx.backend,
        error_style=lambda: ctx.settings.error_style,
        honour_header=ctx.settings.control,
    )
    if ctx.settings.control:
        app.add_middleware(JournalMiddleware, journal=ctx.journal, clock=ctx.backend.clock)


def _data_dir(configured: Path | None) -> Path:
    """The configured data dir, or a fresh temporary one that the app removes on shutdown."""
    if configured is not None:
        configured.mkdir(parents=True, exist_ok=True)
        return configured
    return Path(tempfile.mkdtemp(prefix="nemo-mock-"))
