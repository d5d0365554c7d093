"""The MCP surface (§7 of the API notes): OAuth 2.1 and MCP over Streamable HTTP.

Contracts: ``contracts/mcp/openapi.yaml`` (the HTTP routes) and ``contracts/mcp/tools.yaml``
(the tools). Operations are named ``mcp.<operationId>``.
"""

from __future__ import annotations

from fastapi import APIRouter

from nemo_mock.mock_server.surfaces.mcp.routes import router
from nemo_mock.mock_server.surfaces.mcp.runtime import lifespan

ROUTERS: tuple[APIRouter, ...] = (router,)

__all__ = ["ROUTERS", "lifespan"]
