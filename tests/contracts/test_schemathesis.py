"""Schemathesis over contracts/skill/openapi.yaml against the app: no 5xx, every answer conforming.

Generated cases use a real token (an auth provider, so negative cases that drop
the token stay negative). Positive cases that name a session are sent twice: as
generated (random ids: the error paths) and with a real session of the token's
user swapped in (the success paths).

The repository's ``schemathesis.toml`` is loaded, as the CLI loads it: it says
which documented statuses a generic check must also accept (real media for
uploads; HTTP 402 for an export without attribution headers).
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.settings import Settings
from tests.helpers.asgi import WithoutLifespan
from tests.helpers.contracts import NOT_IMPLEMENTED

#: slow as a whole module: the tiers that deselect it do not build its cases at collection
pytestmark = pytest.mark.slow

APP = create_app(
    Settings(ip_token_limit=0, max_upload_mb=1),
    clock=ManualClock(datetime(2026, 11, 1, tzinfo=UTC)),
    rng=random.Random(0),
)
CONFIG = SchemathesisConfig.from_path(Path(__file__).parents[2] / "schemathesis.toml")
schema = schemathesis.openapi.from_asgi("/openapi.json", WithoutLifespan(APP), config=CONFIG)
if NOT_IMPLEMENTED:
    schema = schema.exclude(operation_id=sorted(NOT_IMPLEMENTED))
_client = TestClient(APP)
_token = _client.post(
    "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
).json()["data"]
TOKEN, USER_ID = _token["token"], _token["user_id"]
SESSION_ID = _client.post(
    "/api/tasks/me/with-session/nemo_agent",
    headers={"Authorization": f"Bearer {TOKEN}"},
    json={"task_name": "s"},
).json()["data"]["session_id"]


@schema.auth()
class MockToken:
    def get(self, case, context):
        return TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_contract(case):
    case.call_and_validate()
    positive = case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
    if positive and case.path_parameters and "session_id" in case.path_parameters:
        case.path_parameters = {
            **case.path_parameters,
            "session_id": SESSION_ID,
            "user_id": random.choice(["me", USER_ID]),
        }
        case.call_and_validate()


# The control surface gets its own mock: fuzzed resets and faults must not reach the one above.
CONTROL_APP = create_app(
    Settings(ip_token_limit=0, max_upload_mb=1),
    clock=ManualClock(datetime(2026, 11, 1, tzinfo=UTC)),
    rng=random.Random(0),
)
control_schema = schemathesis.openapi.from_asgi(
    "/_mock/openapi.json", WithoutLifespan(CONTROL_APP), config=CONFIG
)


@control_schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_control_api_conforms_to_its_contract(case):
    case.call_and_validate()
