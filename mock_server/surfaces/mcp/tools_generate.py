"""Billed generation tools: ``generate_video`` (<= 15 s), ``generate_audio``, and polling."""

from __future__ import annotations

from typing import Any

from nemo_mock.mock_server.surfaces.mcp.surface import McpSurface, Principal

Result = tuple[dict[str, Any], list[Any]]


async def generate_video(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    return mcp.generations.start(who, args).to_json(), []


async def generate_audio(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    return mcp.generations.start(who, args).to_json(), []


async def get_generation_status(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    return mcp.generations.get(who, args["generation_id"]).to_json(), []
