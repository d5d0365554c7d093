"""``create_app``: build the ``Mock`` (``runtime.py``) and mount the surfaces onto it.

The request pipeline, outside in: the control guard (``--control-token``), the body
pace (a body that stalls or trickles: 408), the journal (records the exchange), the
faults (may answer, delay, cut or drop instead of the mock), the JSON cap (413 before a
too-large body is read), then the routes.
With ``--no-control`` there is no ``/_mock`` surface but health, no journal and
no ``X-Mock-Fault`` header; faults armed at start-up still apply.
"""

from __future__ import annotations

import asyncio
import inspect
import random
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from importlib import import_module
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute

from nemo_mock.mock_server.control import (
    accounts,
    docs,
    eras,
    faults,
    journal,
    mcp,
    reset,
    scenarios,
    snapshots,
)
from nemo_mock.mock_server.control import routes as control
from nemo_mock.mock_server.domain.clock import Clock, ShiftableClock
from nemo_mock.mock_server.domain.store import Store
from nemo_mock.mock_server.edge.admission import TurnAdmission
from nemo_mock.mock_server.edge.control_guard import ControlGuard
from nemo_mock.mock_server.edge.deprecation import DeprecationHeader
from nemo_mock.mock_server.edge.errors import install_error_handlers
from nemo_mock.mock_server.edge.limits import BodyPace, JsonCap
from nemo_mock.mock_server.edge.loop_errors import quiet_running_out
from nemo_mock.mock_server.edge.route_index import install_route_index
from nemo_mock.mock_server.edge.surfaces import SURFACES
from nemo_mock.mock_server.faults.middleware import FaultMiddleware
from nemo_mock.mock_server.journal.middleware import JournalMiddleware
from nemo_mock.mock_server.media.preload import preload_media
from nemo_mock.mock_server.persist.hook import WriteThrough
from nemo_mock.mock_server.runtime import Mock, StartupError
from nemo_mock.mock_server.settings import Settings
from nemo_mock.mock_server.ui import routes as ui

__all__ = ["StartupError", "create_app"]

CONTROL_ROUTERS = tuple(
    module.router
    for module in (control, accounts, faults, scenarios, journal, reset, mcp, snapshots, eras)
)
#: Served with ``--no-control`` too: health (deployments need it) and the contracts.
ALWAYS_ROUTERS = (control.health_router, docs.router)


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    store: Store | None = None,
) -> FastAPI:
    settings = settings or Settings()
    mock = Mock.build(settings, clock=clock or ShiftableClock(), rng=rng, store=store)
    if settings.from_snapshot is not None:
        mock.start_from_snapshot(settings.from_snapshot)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loud_again = quiet_running_out(asyncio.get_running_loop())  # a line, not tracebacks
        try:
            async with AsyncExitStack() as surfaces:  # a surface may run something (MCP)
                for surface in SURFACES:
                    hook = getattr(import_module(surface.package), "lifespan", None)
                    if hook is not None:
                        await surfaces.enter_async_context(hook(app))
                preload_media()  # never imported halfway by a request at the descriptor limit
                mock.turns.warm_up()  # synthesis's modules load on its pool, not in a turn
                yield
            await mock.stop()
        finally:
            loud_again()

    app = FastAPI(
        title="nemo-mock",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        **_telemetry(settings),
    )
    app.state.mock = mock
    install_error_handlers(app, settings.error_style)
    _install_middleware(app, mock)
    # the surfaces first: routing tries routes in order, and clients call the surfaces far
    # more often than /_mock (no path is on both)
    routers = [router for surface in SURFACES for router in import_module(surface.package).ROUTERS]
    routers += ALWAYS_ROUTERS + ((*CONTROL_ROUTERS, ui.router) if settings.control else ())
    app.router.routes.extend(own_routes(routers))
    if settings.control:
        app.mount("/_mock/ui/static", StaticFiles(directory=ui.STATIC_DIR), name="ui-static")
    app.mount("/_mock/swagger-ui", StaticFiles(directory=docs.swagger_ui_path()), name="swagger-ui")
    install_route_index(app)  # the same routes chosen, without trying the ~30 routers in turn
    if not mock.restored:  # a restored state already holds its scenarios and faults
        mock.arm(settings.scenarios, settings.faults)
    return app


def own_routes(routers: Sequence[APIRouter]) -> list[BaseRoute]:
    """The routers' routes, to be the app's own, as a bare app's are (issue 18).

    ``include_router`` would add each router as one route that, in FastAPI 0.165 and later,
    matches a request by scanning its own routes, then scans them again to pick the one that
    handles it: ~8 µs of a plain request (~100 µs in-process) for the mock's two dozen
    routers. Their routes are complete as they are (each router's prefix and tags are in
    them, and these routers have no dependencies or event handlers of their own), so they go
    onto the app's router directly, in the routers' order. A route's operationId in
    FastAPI's own schema (unserved) is then its router's default, not the app's."""
    routes: list[BaseRoute] = []
    for router in routers:
        if router.dependencies or router.on_startup or router.on_shutdown:
            raise RuntimeError(f"{router!r} needs include_router: it has more than routes")
        routes += router.routes
    return routes


def _telemetry(settings: Settings) -> dict[str, Any]:
    """FastAPI's native OpenTelemetry (FastAPI 0.165 and later) turned off unless ``--otel``
    asks for it: on, the framework looks up the global providers on every request, a
    twentieth of a request's CPU (issue 18)."""
    if settings.otel or "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}
    return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}


def _install_middleware(app: FastAPI, mock: Mock) -> None:
    # the last added is the outermost: guard > turn admission > body pace > journal > faults >
    # JSON cap > deprecation header > routes. With the journal, the journal's send wrapper adds
    # the deprecation header (nothing between them answers after a route marks its request).
    settings = mock.settings
    if mock.durable is not None:  # innermost: the state is written before any answer leaves
        app.add_middleware(WriteThrough, flush=mock.durable.flush)
    if not settings.control:
        app.add_middleware(DeprecationHeader)
    app.add_middleware(JsonCap, max_bytes=settings.max_json_bytes)
    app.add_middleware(
        FaultMiddleware,
        book=mock.faults,
        backend=mock.backend,
        error_style=lambda: mock.settings.error_style,
        honour_header=mock.settings.control,
    )
    if settings.control:
        app.add_middleware(
            JournalMiddleware, journal=mock.journal, clock=mock.backend.clock, deprecation=True
        )
    app.add_middleware(
        BodyPace, idle_timeout=settings.body_idle_timeout, min_rate=settings.body_min_rate
    )
    app.add_middleware(TurnAdmission)
    if settings.control_token is not None:
        app.add_middleware(ControlGuard, token=settings.control_token.get_secret_value())
