"""The official SDK client signs in headless (register, authorise, PKCE, token), calls tools."""

from __future__ import annotations

import anyio
import httpx

from tests.surfaces.mcp.conftest import Storage, signed_in


def test_an_unauthenticated_mcp_request_gets_401_with_the_resource_metadata_pointer(live_mcp):
    r = httpx.post(f"{live_mcp.url}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert r.status_code == 401
    challenge = r.headers["www-authenticate"]
    assert (
        f'resource_metadata="{live_mcp.url}/.well-known/oauth-protected-resource/mcp"' in challenge
    )


def test_metadata_documents_pkce_registration_and_revocation(live_mcp):
    prm = httpx.get(f"{live_mcp.url}/.well-known/oauth-protected-resource/mcp").json()
    assert prm["resource"] == f"{live_mcp.url}/mcp"
    assert [s.rstrip("/") for s in prm["authorization_servers"]] == [live_mcp.url]
    meta = httpx.get(f"{live_mcp.url}/.well-known/oauth-authorization-server").json()
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["registration_endpoint"] == f"{live_mcp.url}/oauth/register"
    assert meta["revocation_endpoint"] == f"{live_mcp.url}/oauth/revoke"
    assert "agent:chat" in meta["scopes_supported"]


def test_the_sdk_client_signs_in_and_reads_the_same_ledger(live_mcp):
    storage = Storage()

    async def flow() -> dict:
        async with signed_in(live_mcp.url, storage) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            assert {"get_credits", "create_video_project", "save_v3_draft"} <= names
            result = await client.call_tool("get_credits", {})
            assert not result.is_error, result
            return result.structured_content

    credits = anyio.run(flow)
    assert credits["available"] == 100 and credits["granted"] == 100 and credits["consumed"] == 0
    assert storage.tokens is not None and storage.tokens.expires_in == 3600
    assert storage.tokens.refresh_token
    ledger = live_mcp.app.state.mock.backend.ledger
    assert ledger.balance("usr_mcp_default").available == 100
