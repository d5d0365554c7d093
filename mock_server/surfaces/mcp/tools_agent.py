"""The ``agent:chat`` tools: delegate a task to the agent, read the turn, cancel it."""

from __future__ import annotations

from typing import Any

from nemo_mock.mock_server.surfaces.mcp.surface import McpSurface, Principal

Result = tuple[dict[str, Any], list[Any]]


async def delegate_to_nemo_agent(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    return await mcp.turns.delegate(who, args), []


async def get_nemo_agent_turn(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    return mcp.turns.get(who, args["turn_id"]), []


async def cancel_nemo_agent_turn(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    return mcp.turns.cancel(who, args["turn_id"]), []
