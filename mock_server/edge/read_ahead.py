"""Reading a request body before the app does, then handing it on untouched."""

from __future__ import annotations

from starlette.types import Message, Receive


async def read_ahead(receive: Receive, limit: int) -> tuple[bytes | None, Receive]:
    """Read the body, stopping once more than ``limit`` bytes came. Returns the body (``None``
    when it went past the limit) and a receive that replays what was read, then passes on."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        if not message.get("more_body", False) or size > limit:
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return (body if size <= limit else None), replay
