"""Journal test helpers: the journal over HTTP, a bare ASGI app behind the middleware."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.testclient import TestClient

from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.journal.book import Journal
from nemo_mock.mock_server.journal.middleware import JournalMiddleware

AsgiApp = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Any]


def journal_entries(client: Any, **params: Any) -> list[dict[str, Any]]:
    """``GET /_mock/journal`` with these filters, the entries of the answer."""
    response = client.get("/_mock/journal", params=params)
    assert response.status_code == 200, response.text
    return response.json()["entries"]


def run_sse_body(session_id: str, text: str) -> dict[str, Any]:
    return {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": session_id,
        "new_message": {"parts": [{"text": text}]},
    }


class Harness:
    """``app`` behind a ``JournalMiddleware`` on a manual clock, with its journal."""

    def __init__(self, app: AsgiApp, capacity: int = 100) -> None:
        self.journal = Journal(capacity)
        self.clock = ManualClock()
        self.middleware = JournalMiddleware(app, journal=self.journal, clock=self.clock)
        self.client = TestClient(self.middleware, raise_server_exceptions=False)

    def only_entry(self) -> Any:
        entries = self.journal.query()
        assert len(entries) == 1, entries
        return entries[0]


async def json_response(send: Callable[[dict], Awaitable[None]], body: bytes, status=200) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def drain(receive: Callable[[], Awaitable[dict]]) -> int:
    """Read a request body to its end; its size."""
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    return size
