"""The ``mcp`` SDK loads with the MCP surface's first request, not at start-up.

Each test runs in a fresh interpreter, where ``sys.modules`` shows what start-up imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRELUDE = """
import json, sys
from pathlib import Path
from fastapi.testclient import TestClient
from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.settings import Settings

def sdk_loaded():
    return sorted(m for m in ("mcp", "mcp_types") if m in sys.modules)

seen = {}
app = create_app(Settings(data_dir=Path(sys.argv[1])))
seen["created"] = sdk_loaded()
"""
FIRST_USE = """
INITIALIZE = {
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "lazy", "version": "0"},
    },
}
with TestClient(app, follow_redirects=False) as client:
    seen["health"] = client.get("/_mock/health").status_code
    seen["started"] = sdk_loaded()
    meta = client.get("/.well-known/oauth-authorization-server")
    seen["metadata"] = [meta.status_code, meta.json()["token_endpoint"]]
    seen["after_metadata"] = sdk_loaded()
    from tests.surfaces.mcp.conftest import token_by_hand  # imports the SDK's client

    token = token_by_hand("http://testserver", http=client)
    answer = client.post(
        "/mcp",
        json=INITIALIZE,
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/json, text/event-stream",
        },
    )
    data = [line[5:] for line in answer.text.splitlines() if line.startswith("data:")]
    result = json.loads(data[0])["result"]
    seen["initialize"] = [answer.status_code, result["serverInfo"]["name"]]
    seen["session"] = bool(answer.headers.get("mcp-session-id"))
print(json.dumps(seen))
"""
NEVER_USED = """
with TestClient(app) as client:
    seen["health"] = client.get("/_mock/health").status_code
    seen["started"] = sdk_loaded()
seen["stopped"] = sdk_loaded()
print(json.dumps(seen))
"""


def run(script: str, tmp_path: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + script, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    seen: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return seen


def test_start_up_leaves_the_sdk_unloaded_and_the_first_mcp_requests_load_it(tmp_path):
    seen = run(FIRST_USE, tmp_path)
    assert seen["created"] == [] and seen["started"] == [], seen
    assert seen["health"] == 200
    assert seen["metadata"] == [200, "http://testserver/oauth/token"]
    assert seen["after_metadata"] == ["mcp", "mcp_types"]
    assert seen["initialize"] == [200, "nemovideo"]
    assert seen["session"] is True


def test_an_app_that_never_saw_an_mcp_client_stops_cleanly_without_the_sdk(tmp_path):
    seen = run(NEVER_USED, tmp_path)
    assert seen == {"created": [], "health": 200, "started": [], "stopped": []}
