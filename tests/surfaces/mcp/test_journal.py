"""The MCP surface's secrets never reach the journal: tokens, refresh tokens, client secrets."""

from __future__ import annotations

import anyio
import httpx

from tests.surfaces.mcp.conftest import Storage, signed_in


def test_no_oauth_secret_is_journaled(live_mcp):
    storage = Storage()

    async def flow() -> None:
        async with signed_in(live_mcp.url, storage) as client:
            assert not (await client.call_tool("get_credits", {})).is_error

    anyio.run(flow)
    journal = httpx.get(f"{live_mcp.url}/_mock/journal", timeout=30)
    assert journal.status_code == 200
    text = journal.text
    assert "/oauth/token" in text and "/mcp" in text  # the exchanges are there
    secrets = [storage.tokens.access_token, storage.tokens.refresh_token]
    if storage.client.client_secret:
        secrets.append(storage.client.client_secret)
    for secret in secrets:
        assert secret not in text
