"""The project's fuzzing reaches the upload and session logic (issue 13, "Also"):
``schemathesis.toml`` pins every path's ``user_id`` to ``me``. Random user ids are refused
with 1001 before anything else runs, so a run that generated them never judged an upload's
content or read a session's state."""

from __future__ import annotations

import uuid
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.overrides import for_operation

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.settings import Settings
from tests.conftest import ATTRIBUTION

CONFIG = SchemathesisConfig.from_path(Path(__file__).parents[2] / "schemathesis.toml")
PINNED = ["uploadFiles", "getSessionState", "createSession"]


def test_every_path_user_id_is_pinned_to_me(make_app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", make_app(), config=CONFIG)
    project = schema.config
    found = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if any(p.name == "user_id" for p in operation.path_parameters):
            assert for_operation(project, operation=operation).path_parameters == {"user_id": "me"}
            found += 1
    assert found >= len(PINNED)


def test_a_pinned_upload_is_judged_on_its_content(tmp_path: Path):
    """What a generated upload with the pinned path meets: the content check, not 1001."""
    with TestClient(create_app(Settings(data_dir=tmp_path))) as client:
        token = client.post(
            "/api/auth/anonymous-token", headers={**ATTRIBUTION, "X-Client-Id": str(uuid.uuid4())}
        ).json()["data"]["token"]
        auth = {**ATTRIBUTION, "Authorization": f"Bearer {token}"}
        sid = client.post("/api/tasks/me/with-session/nemo_agent", headers=auth, json={}).json()[
            "data"
        ]["session_id"]
        random_bytes = [("files", ("x.mp4", b"\x00\x01generated", "video/mp4"))]
        pinned = client.post(
            f"/api/upload-video/nemo_agent/me/{sid}", headers=auth, files=random_bytes
        )
        unpinned = client.post(
            f"/api/upload-video/nemo_agent/anon_Gt/{sid}", headers=auth, files=random_bytes
        )
    assert pinned.json()["code"] == 4001 and unpinned.json()["code"] == 1001
