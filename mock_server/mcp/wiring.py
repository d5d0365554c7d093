"""Mount the MCP surface on the app: OAuth routes, ``/mcp``, and the session manager."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import FastAPI
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

from mock_server.mcp.provider import MockOAuthProvider
from mock_server.mcp.routes import oauth_routes
from mock_server.mcp.server import build_server
from mock_server.mcp.surface import McpSurface


def install_mcp(app: FastAPI, ctx: Any) -> AbstractAsyncContextManager[None]:
    """Add the surface's routes; the returned context runs the session manager (lifespan)."""
    surface = McpSurface(ctx.backend, ctx.backend.store.mcp, ctx.data_dir)
    provider = MockOAuthProvider(surface.oauth, refresh_refused=lambda: False)
    manager = StreamableHTTPSessionManager(app=build_server(surface), session_idle_timeout=1800)
    for route in oauth_routes(surface, provider, manager, ctx.settings.public_url):
        app.router.routes.append(route)
    app.state.mcp = surface
    if ctx.settings.control:
        from mock_server.mcp.control import router

        app.include_router(router)
    return manager.run()
