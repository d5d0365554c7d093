"""The MCP surface of one app: its state, the SDK's OAuth provider and session manager.

Built once per app from the running ``Mock`` (``app.state.mock``) and kept on
``app.state.mcp``; the session manager runs for the app's lifespan (``lifespan`` below, which
``app.py`` enters for every surface that has one).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

from nemo_mock.mock_server.surfaces.mcp.provider import MockOAuthProvider
from nemo_mock.mock_server.surfaces.mcp.server import build_server
from nemo_mock.mock_server.surfaces.mcp.surface import McpSurface

IDLE_SESSION_SECONDS = 1800


@dataclass
class McpRuntime:
    surface: McpSurface
    provider: MockOAuthProvider
    manager: StreamableHTTPSessionManager


def runtime_of(app: Any) -> McpRuntime:
    runtime: McpRuntime | None = getattr(app.state, "mcp", None)
    if runtime is None:
        mock = app.state.mock
        surface = McpSurface(mock.backend, mock.backend.store.mcp, mock.data_dir)
        surface.attach(mock)
        provider = MockOAuthProvider(surface.oauth, refresh_refused=surface.refresh_refused)
        manager = StreamableHTTPSessionManager(
            app=build_server(surface), session_idle_timeout=IDLE_SESSION_SECONDS
        )
        runtime = McpRuntime(surface, provider, manager)
        app.state.mcp = runtime
    return runtime


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    runtime = runtime_of(app)
    async with runtime.manager.run():
        yield
    await runtime.surface.stop()
