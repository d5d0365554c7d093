"""Hand-made journals of MCP tool calls, as the mock journals them: ``POST /mcp`` with the
JSON-RPC ``tools/call`` body, answered HTTP 200 with a result (``structuredContent``) or a
tool error (``isError``, the ``{"error": {...}}`` JSON in its one text block), as a JSON body
or as one SSE event."""

from __future__ import annotations

import json
from typing import Any

from nemo_mock.mock_server.journal.entry import JournalEntry, Message, SseEventRecord

START_MS = 1_793_534_400_000


def tool_entry(
    seq: int,
    tool: str,
    arguments: dict[str, Any] | None = None,
    *,
    result: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
    sse: bool = False,
) -> JournalEntry:
    """Call ``seq`` (each starts 100 ms after the previous one and lasts 10 ms)."""
    request = {
        "jsonrpc": "2.0",
        "id": seq,
        "method": "tools/call",
        "params": {"name": tool, "arguments": arguments or {}},
    }
    answer = {"jsonrpc": "2.0", "id": seq, "result": _outcome(result, error)}
    response = Message(body=None if sse else answer, content_type="application/json")
    events = [SseEventRecord(at_ms=5.0, data=json.dumps(answer))] if sse else None
    return JournalEntry(
        seq=seq,
        at="2026-11-01T12:00:00+00:00",
        at_ms=START_MS + 100 * seq,
        duration_ms=10.0,
        method="POST",
        path="/mcp",
        operation=f"mcp.{tool}",
        request=Message(body=request, content_type="application/json"),
        status=200,
        response=response,
        events=events,
    )


def _outcome(result: dict[str, Any] | None, error: dict[str, Any] | None) -> dict[str, Any]:
    if error is not None:
        text = json.dumps({"error": error})
        return {"content": [{"type": "text", "text": text}], "isError": True}
    data = result or {}
    return {"content": [{"type": "text", "text": json.dumps(data)}], "structuredContent": data}


def render_started(seq: int, render_id: str) -> JournalEntry:
    result = {"render_id": render_id, "status": "queued", "download_url": None}
    return tool_entry(seq, "render_video", {"project_id": "p1"}, result=result)


def render_status(seq: int, render_id: str, status: str) -> JournalEntry:
    url = f"http://127.0.0.1/cdn/renders/k/{render_id}.mp4" if status == "completed" else None
    result = {"render_id": render_id, "status": status, "download_url": url}
    return tool_entry(seq, "get_render_status", {"render_id": render_id}, result=result)
