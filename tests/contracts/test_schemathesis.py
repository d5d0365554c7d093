"""Schemathesis over contracts/skill/openapi.yaml against the app: no 5xx, every answer conforming.

Generated cases use a real token (an auth provider, so negative cases that drop
the token stay negative). Positive cases that name a session are sent twice: as
generated (random ids: the error paths) and with a real session of the token's
user swapped in (the success paths).

The repository's ``schemathesis.toml`` is loaded, as the CLI loads it: it says
which documented statuses a generic check must also accept (real media for
uploads; HTTP 402 for an export without attribution headers).

The schemas come from fixtures (``schemathesis.pytest.from_fixture``): each operation runs as
a subtest of its function, and its cases are built when the test runs, on the one worker
that runs this module. Parametrized at import, every worker of the slow tier built every
operation's coverage cases at collection (about 6.5 CPU-s each) only to run none of them.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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

#: slow as a whole module: the tiers that deselect it do not import it
pytestmark = pytest.mark.slow

CONFIG = SchemathesisConfig.from_path(Path(__file__).parents[2] / "schemathesis.toml")


def _app() -> Any:
    return create_app(
        Settings(ip_token_limit=0, max_upload_mb=1),
        clock=ManualClock(datetime(2026, 11, 1, tzinfo=UTC)),
        rng=random.Random(0),
    )


@dataclass(frozen=True)
class Account:
    """A user of the skill app under test: their token and one session of theirs."""

    token: str
    user_id: str
    session_id: str


@pytest.fixture(scope="module")
def skill_app() -> Iterator[Any]:
    yield _app()


@pytest.fixture(scope="module")
def account(skill_app: Any) -> Account:
    client = TestClient(skill_app)
    token = client.post(
        "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
    ).json()["data"]
    session_id = client.post(
        "/api/tasks/me/with-session/nemo_agent",
        headers={"Authorization": f"Bearer {token['token']}"},
        json={"task_name": "s"},
    ).json()["data"]["session_id"]
    return Account(token["token"], token["user_id"], session_id)


@pytest.fixture(scope="module")
def skill_schema(skill_app: Any, account: Account) -> Any:
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", WithoutLifespan(skill_app), config=CONFIG
    )

    @schema.auth()
    class MockToken:
        def get(self, case: Any, context: Any) -> str:
            return account.token

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


schema = schemathesis.pytest.from_fixture("skill_schema")
if NOT_IMPLEMENTED:
    schema = schema.exclude(operation_id=sorted(NOT_IMPLEMENTED))


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_contract(case: Any, account: Account) -> None:
    case.call_and_validate()
    positive = case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
    if positive and case.path_parameters and "session_id" in case.path_parameters:
        case.path_parameters = {
            **case.path_parameters,
            "session_id": account.session_id,
            "user_id": random.choice(["me", account.user_id]),
        }
        case.call_and_validate()


# The control surface gets its own mock: fuzzed resets and faults must not reach the one above.
@pytest.fixture(scope="module")
def control_schema() -> Any:
    return schemathesis.openapi.from_asgi(
        "/_mock/openapi.json", WithoutLifespan(_app()), config=CONFIG
    )


control = schemathesis.pytest.from_fixture("control_schema")


@control.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_control_api_conforms_to_its_contract(case: Any) -> None:
    case.call_and_validate()
