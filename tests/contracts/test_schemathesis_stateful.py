"""Schemathesis's stateful testing, driven by the contract's OpenAPI links (issue 13, "Also"):
session → upload / turn → state → export → poll / cancel / download, with no 5xx.

The links chain real ids: the session a createSession made, the session a turn ran on, the
draft the state holds, the render id an export answered. The run counts every call by
operation and status and prints the table (``-s`` shows it); the test holds that the upload
and render start operations were reached through links and that nothing answered 5xx.
(Polling a render through PollRender needs a five-step chain — session, turn, state,
export, poll — that 300 examples did not draw; the links are there for longer runs.)
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.settings import Settings
from tests.helpers.asgi import WithoutLifespan

APP = create_app(
    Settings(ip_token_limit=0, max_upload_mb=1, time_scale=0, initial_credits=100_000),
    clock=ManualClock(datetime(2026, 11, 1, tzinfo=UTC)),
    rng=random.Random(0),
)
CONFIG = SchemathesisConfig.from_path(Path(__file__).parents[2] / "schemathesis.toml")
schema = schemathesis.openapi.from_asgi("/openapi.json", WithoutLifespan(APP), config=CONFIG)
TOKEN = (
    TestClient(APP)
    .post("/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())})
    .json()["data"]["token"]
)
# Schemathesis's dependency analysis reads createSession's `user_id` path parameter and its
# body as references to "User" and "Task" resources that no operation produces, and so never
# starts a chain with it (every `user_id` is pinned to `me` by schemathesis.toml; the body is
# optional): drop those two inferences.
_SESSIONS = schema.analysis.dependency_graph.operations[
    "POST /api/tasks/{user_id}/with-session/nemo_agent"
]
_SESSIONS.inputs = [s for s in _SESSIONS.inputs if s.resource.name not in ("User", "Task")]
CALLS: Counter[tuple[str, int]] = Counter()
LINKED: Counter[str] = Counter()


@schema.auth()
class MockToken:
    def get(self, case, context):
        return TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


class Machine(schema.as_state_machine()):  # type: ignore[misc]
    def step(self, input):
        if input.transition is not None:
            LINKED[input.case.operation.definition.raw.get("operationId", "?")] += 1
        return super().step(input)

    def after_call(self, response, case):
        operation_id = case.operation.definition.raw.get("operationId", "?")
        CALLS[(operation_id, response.status_code)] += 1
        super().after_call(response, case)


def report() -> str:
    rows = [f"{op:<22} {status}  {n:>4}" for (op, status), n in sorted(CALLS.items())]
    linked = ", ".join(f"{op} {n}" for op, n in sorted(LINKED.items()))
    return "\n".join([*rows, f"called through links: {linked}"])


@pytest.mark.slow
def test_stateful_chains_reach_uploads_and_renders_with_no_5xx():
    Machine.run(
        settings=settings(
            max_examples=120,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    print(report())
    assert not [k for k in CALLS if k[1] >= 500], report()
    for operation in ("uploadFiles", "runSse", "getSessionState", "startRender"):
        assert LINKED[operation] > 0, f"{operation} never reached through a link\n{report()}"
    # an upload into a linked session is judged on its content (4001: HTTP 415), not refused
    assert CALLS[("uploadFiles", 200)] + CALLS[("uploadFiles", 415)] > 0, report()
    assert CALLS[("runSse", 200)] > 0 and CALLS[("getSessionState", 200)] > 0, report()
