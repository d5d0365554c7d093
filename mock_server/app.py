"""``create_app``: wire settings, clock, RNG and store into one FastAPI app."""

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
from mock_server.control import accounts
from mock_server.control import routes as control
from mock_server.domain.backend import NemoBackend
from mock_server.domain.clock import Clock, ShiftableClock
from mock_server.domain.store import Store
from mock_server.media.ffmpeg import resolve_ffmpeg
from mock_server.media.ingest import UploadIngest, UploadLimits
from mock_server.render.jobs import RenderService
from mock_server.settings import Settings
from mock_server.sse.timing import Timing
from mock_server.sse.turns import TurnRunner, TurnSettings


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    store: Store | None = None,
) -> FastAPI:
    settings = settings or Settings()
    clock = clock or ShiftableClock()
    backend = NemoBackend(
        settings.backend_config(),
        clock=clock,
        rng=rng or random.Random(settings.seed),
        store=store,
    )
    data_dir, owned = _data_dir(settings.data_dir)
    uploads_ingest = UploadIngest(
        data_dir / "uploads",
        backend.ids,
        clock,
        UploadLimits(settings.max_upload_bytes, settings.url_fetch_timeout),
    )

    render_service = RenderService(
        backend,
        data_dir,
        workers=settings.render_workers,
        ffmpeg=resolve_ffmpeg(settings.ffmpeg),
        timeout=settings.render_timeout,
    )

    turn_runner = TurnRunner(
        backend,
        data_dir,
        TurnSettings(
            timing=Timing(settings.time_scale, settings.heartbeat_interval),
            silent_rate=settings.silent_rate,
            temp_issue_rate=settings.temp_issue_rate,
            seed=settings.seed,
        ),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await turn_runner.stop()
        render_service.stop()
        if owned:
            shutil.rmtree(data_dir, ignore_errors=True)

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
    app.state.mock = MockContext(
        settings=settings,
        backend=backend,
        uploads=uploads_ingest,
        renders=render_service,
        turns=turn_runner,
        data_dir=data_dir,
        started_at=clock.now(),
    )
    install_error_handlers(app, settings.error_style)
    for module in (auth, sessions, agent, uploads, credits, renders, cdn, control, accounts, docs):
        app.include_router(module.router)
    app.mount("/_mock/swagger-ui", StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
    return app


def _data_dir(configured: Path | None) -> tuple[Path, bool]:
    """The configured data dir, or a fresh temporary one that the app removes on shutdown."""
    if configured is not None:
        configured.mkdir(parents=True, exist_ok=True)
        return configured, False
    return Path(tempfile.mkdtemp(prefix="nemo-mock-")), True
