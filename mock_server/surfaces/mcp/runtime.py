"""The MCP surface of one app: its state at start-up, the ``mcp`` SDK on first use.

``McpRuntime`` is built once per app from the running ``Mock`` (``app.state.mock``) and kept
on ``app.state.mcp``. Its ``McpSurface`` (the tools' state, attached to the mock's shared
services) is made at start-up, without the SDK. ``sdk`` (``sdk.py``: the OAuth provider
and handlers, the MCP server and its session manager) is built, and the SDK imported, by
the surface's first request: that import costs about a third of a second of CPU, and most
runs of the mock never see an MCP client.

The session manager must run for as long as the app, in a task group of its own, and its
``run()`` may be entered once. So the app's lifespan (``lifespan`` below, which ``app.py``
enters for every surface that has one) opens a task group holding one task
(``_Sessions.serve``) that waits until ``/mcp`` is first asked for, then enters
``manager.run()`` and says it is ready; that request, and any arriving meanwhile, wait for
it. At shutdown the task leaves ``run()`` (or stops waiting, when MCP was never used), then
the surface's own tasks stop.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio

from nemo_mock.mock_server.surfaces.mcp.surface import McpSurface

if TYPE_CHECKING:
    from nemo_mock.mock_server.surfaces.mcp.sdk import McpSdk

log = logging.getLogger("nemo_mock.mcp")


class McpRuntime:
    def __init__(self, surface: McpSurface) -> None:
        self.surface = surface
        self._sdk: McpSdk | None = None
        self._sessions: _Sessions | None = None  # while the app's lifespan runs

    @property
    def sdk(self) -> McpSdk:
        """The surface's SDK side, built (and the SDK imported) on first use."""
        if self._sdk is None:
            from nemo_mock.mock_server.surfaces.mcp.sdk import McpSdk

            self._sdk = McpSdk(self.surface)
        return self._sdk

    async def running_sdk(self) -> McpSdk:
        """``sdk`` with its session manager running: started by the first call."""
        if self._sessions is None:
            raise RuntimeError("the MCP session manager runs in the app's lifespan, not started")
        await self._sessions.started()
        return self.sdk

    @asynccontextmanager
    async def sessions_on_demand(self) -> AsyncIterator[None]:
        """For the app's lifetime: run the session manager once ``/mcp`` first needs it."""
        sessions = _Sessions(self)
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(sessions.serve)
            self._sessions = sessions
            try:
                yield
            finally:
                self._sessions = None
                sessions.stop()


class _Sessions:
    """The session manager's one run, started on demand (see the module's docstring)."""

    def __init__(self, runtime: McpRuntime) -> None:
        self._runtime = runtime
        self._wanted = anyio.Event()
        self._ready = anyio.Event()  # running, or will never run (failed, stopping)
        self._stopping = anyio.Event()
        self._failure: Exception | None = None

    async def started(self) -> None:
        self._wanted.set()
        await self._ready.wait()
        if self._failure is not None:
            raise RuntimeError("the MCP session manager failed") from self._failure
        if self._stopping.is_set():
            raise RuntimeError("the MCP session manager has stopped: the app is shutting down")

    def stop(self) -> None:
        self._stopping.set()
        self._wanted.set()  # a task still waiting for a first request ends

    async def serve(self) -> None:
        try:
            await self._wanted.wait()
            if not self._stopping.is_set():
                async with self._runtime.sdk.manager.run():
                    self._ready.set()
                    await self._stopping.wait()
        except Exception as exc:  # requests waiting for it fail, not the app's lifespan
            log.exception("the MCP session manager failed")
            self._failure = exc
        finally:
            self._ready.set()


def runtime_of(app: Any) -> McpRuntime:
    runtime: McpRuntime | None = getattr(app.state, "mcp", None)
    if runtime is None:
        mock = app.state.mock
        surface = McpSurface(mock.backend, mock.backend.store.mcp, mock.data_dir)
        surface.attach(mock)
        runtime = McpRuntime(surface)
        app.state.mcp = runtime
    return runtime


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    runtime = runtime_of(app)
    async with runtime.sessions_on_demand():
        yield
    await runtime.surface.stop()
