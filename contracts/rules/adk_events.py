"""ADK-style stream events (§8) read as §4.4's simple ones, so every rule judges a client
whichever stream style it asked for.

An ADK ``Event`` carries its text in ``content.parts[].text``, a tool call as
``functionCall`` and a result as ``functionResponse``; a ``partial`` chunk repeats part of a
text that later arrives whole, so it is not a text of its own.
"""

from __future__ import annotations

from typing import Any


def as_simple(event: dict[str, Any]) -> list[dict[str, Any]]:
    """``event`` in the simple form: as it is if it already is one (it has ``type``), else
    one simple event per part of an ADK event (none for a partial chunk)."""
    content = event.get("content")
    if "type" in event or not isinstance(content, dict):
        return [event]
    if event.get("partial") is True:
        return []
    parts = content.get("parts")
    return [e for p in parts if (e := _part(p)) is not None] if isinstance(parts, list) else []


def _part(part: Any) -> dict[str, Any] | None:
    if not isinstance(part, dict):
        return None
    if isinstance(part.get("text"), str):
        return {"type": "text", "content": part["text"]}
    call = part.get("functionCall")
    if isinstance(call, dict):
        return {"type": "tool_call", "name": call.get("name"), "args": call.get("args", {})}
    response = part.get("functionResponse")
    if isinstance(response, dict):
        result = response.get("response", {})
        return {"type": "tool_result", "name": response.get("name"), "result": result}
    return None
