"""Reading MCP tool calls out of the journal, for the MCP client rules.

A tool call is a journal entry whose operation is ``mcp.<tool>`` (the JSON-RPC body names
the tool). Its arguments are the body's ``params.arguments``; its answer is the JSON-RPC
response, sent as the JSON body or as an SSE event (the Streamable HTTP transport does
either): ``structuredContent`` for a result, the ``{"error": {...}}`` JSON of the one text
block for a tool error (``isError``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nemo_mock.contracts.rules.journal import TOOL_PREFIX, ordered, request_body, tool_answer
from nemo_mock.mock_server.journal.entry import JournalEntry

PREFIX = TOOL_PREFIX
#: Where a tool's answer names the project's version.
VERSION_KEYS = ("version", "project_version", "current_version")


@dataclass(frozen=True)
class ToolCall:
    entry: JournalEntry
    tool: str
    arguments: dict[str, Any]
    #: ``structuredContent`` of a result; ``None`` for an error or no answer.
    result: dict[str, Any] | None
    #: The tool error's ``error`` object; ``None`` for a result or no answer.
    error: dict[str, Any] | None

    @property
    def answered(self) -> bool:
        return self.result is not None or self.error is not None

    @property
    def status(self) -> int | None:
        """The tool error's status (402, 409 …), ``None`` when it was not an error."""
        value = self.error.get("status") if self.error else None
        return value if isinstance(value, int) else None

    @property
    def project(self) -> str | None:
        value = self.arguments.get("project_id")
        if value is None and self.result is not None:
            value = self.result.get("project_id")
        return value if isinstance(value, str) else None

    def seen_version(self) -> int | None:
        """The project version this answer showed the client, if any."""
        for source in (self.result, self.error):
            for key in VERSION_KEYS:
                value = source.get(key) if source else None
                if isinstance(value, int) and not isinstance(value, bool):
                    return value
        return None


def tool_calls(entries: Sequence[JournalEntry], *tools: str) -> list[ToolCall]:
    """The MCP tool calls (of ``tools``, or all), in order of request start."""
    found = []
    for entry in ordered(entries):
        name = (entry.operation or "").removeprefix(PREFIX)
        if not (entry.operation or "").startswith(PREFIX) or (tools and name not in tools):
            continue
        params = request_body(entry).get("params")
        if not isinstance(params, dict) or params.get("name") != name:
            continue
        arguments = params.get("arguments")
        result, error = tool_answer(entry)
        found.append(
            ToolCall(entry, name, arguments if isinstance(arguments, dict) else {}, result, error)
        )
    return found


def same_request(a: ToolCall, b: ToolCall) -> bool:
    return a.tool == b.tool and a.arguments == b.arguments
