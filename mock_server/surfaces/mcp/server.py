"""The MCP server (official ``mcp`` SDK, low-level ``Server``): list and call tools.

Tools come from ``contracts/mcp/tools.yaml``; a call is: who (the OAuth grant on the HTTP
request) -> scope -> input schema -> the tool function -> output schema -> result. Every
refusal is a ``NemoError`` turned into an MCP tool error in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import mcp_types as types
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel.server import Server

from nemo_mock.mock_server.domain.errors import NemoError
from nemo_mock.mock_server.surfaces.mcp import (
    faults,
    tools_agent,
    tools_generate,
    tools_media,
    tools_platform,
    tools_project,
)
from nemo_mock.mock_server.surfaces.mcp.contract import load_tools, output_validator
from nemo_mock.mock_server.surfaces.mcp.errors import tool_error, tool_result
from nemo_mock.mock_server.surfaces.mcp.surface import McpSurface, Principal

log = logging.getLogger("nemo_mock.mcp")
ToolFn = Callable[
    [McpSurface, Principal, dict[str, Any]], Awaitable[tuple[dict[str, Any], list[Any]]]
]
TOOL_MODULES: list[Any] = [tools_project, tools_media, tools_generate, tools_agent, tools_platform]


def tool_functions() -> dict[str, ToolFn]:
    found: dict[str, ToolFn] = {}
    for module in TOOL_MODULES:
        for name in load_tools():
            if hasattr(module, name):
                found[name] = getattr(module, name)
    return found


def build_server(mcp: McpSurface) -> Server[Any]:
    functions = tool_functions()
    specs = {name: spec for name, spec in load_tools().items() if name in functions}

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        who = _principal(mcp, ctx)
        tools = [
            types.Tool(
                name=spec.name,
                description=spec.description,
                input_schema=spec.input_schema,
                output_schema=spec.output_schema,
            )
            for spec in specs.values()
            if spec.listed_for(who.scopes, who.creator)
        ]
        return types.ListToolsResult(tools=tools)

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        who = _principal(mcp, ctx)
        spec = specs.get(params.name)
        if spec is None or not spec.listed_for(who.scopes, who.creator):
            from nemo_mock.mock_server.domain.errors import NotFound

            return tool_error(NotFound(f"unknown tool {params.name[:80]!r}"))
        arguments = params.arguments or {}
        scope = ctx.request.scope if ctx.request is not None else None
        action = faults.action_in(scope)
        if action is not None and action.error is not None and scope is not None:
            return faults.injected_tool_error(action, scope)
        token = faults.ACTIVE.set(action)
        try:
            who.require_scope(spec.scopes, spec.name)
            spec.check_input(arguments)
            data, extra = await functions[spec.name](mcp, who, arguments)
        except NemoError as exc:
            return tool_error(exc)
        finally:
            faults.ACTIVE.reset(token)
        problems = list(output_validator(spec.name).iter_errors(data))
        if problems:
            log.error("tool %s answered outside its contract: %s", spec.name, problems[0].message)
        return tool_result(data, extra)

    return Server(
        "nemovideo",
        version="0.1.0",
        instructions=(
            "NemoVideo (nemo-mock): save the whole V3 draft against the version of your last "
            "read; never save while your delegated turn runs; poll turns by turn_state."
        ),
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


def _principal(mcp: McpSurface, ctx: ServerRequestContext[Any]) -> Principal:
    request = ctx.request
    user = request.scope.get("user") if request is not None else None
    if not isinstance(user, AuthenticatedUser):
        raise PermissionError("an MCP request reached the server without a grant")
    token = user.access_token
    configured = mcp.mock.settings.public_url if mcp.mock is not None else None
    base = (configured or str(request.base_url)).rstrip("/")  # type: ignore[union-attr]
    return mcp.principal(token.subject or "", token.client_id, token.scopes, base)
