"""Schemathesis over the contract served under ``--error-style envelope`` (issue 13 item 15):
every answer conforms, the refusals that come as HTTP 200 included. Slow: its own module, so
that the tiers that deselect it do not import it. Its schema comes from a fixture
(``schemathesis.pytest.from_fixture``): the cases are built when the test runs, on the one
worker that runs it, each operation a subtest."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.settings import Settings
from tests.helpers.asgi import WithoutLifespan
from tests.helpers.contracts import NOT_IMPLEMENTED

pytestmark = pytest.mark.slow

CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CONFIG = SchemathesisConfig.from_path(Path(__file__).parents[2] / "schemathesis.toml")


@pytest.fixture(scope="module")
def envelope_schema() -> Any:
    app = create_app(
        Settings(ip_token_limit=0, max_upload_mb=1, error_style="envelope"),
        clock=ManualClock(datetime(2026, 11, 1, tzinfo=UTC)),
        rng=random.Random(0),
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", WithoutLifespan(app), config=CONFIG)
    token = (
        TestClient(app)
        .post("/api/auth/anonymous-token", headers={"X-Client-Id": "envelope-style"})
        .json()["data"]["token"]
    )

    @schema.auth()
    class EnvelopeToken:
        def get(self, case: Any, context: Any) -> str:
            return str(token)

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


envelope = schemathesis.pytest.from_fixture("envelope_schema")
if NOT_IMPLEMENTED:
    envelope = envelope.exclude(operation_id=sorted(NOT_IMPLEMENTED))


@envelope.parametrize()
# The examples and coverage phases (Hypothesis' explicit phase): the contract's examples and
# the cases derived from each keyword, missing and wrong values included, i.e. every kind of
# refusal. Random fuzzing of the same operations is the http style's (test_schemathesis.py),
# with more checks; here it cost 7 of the module's 16 s.
@settings(
    phases=[Phase.explicit],
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_schemathesis_finds_the_envelope_style_conforming(case: Any) -> None:
    """Every answer conforms to the contract served under this style (the 1001s, 1002s,
    4001s and 4002s that come as HTTP 200): no 5xx, and status, content type, headers and
    body as documented. The checks that a refusal must be an HTTP 4xx (``ignored_auth``,
    ``negative_data_rejection``, ``missing_required_header``) judge the style itself, which
    answers refusals with HTTP 200 on purpose; they run on the http style."""
    case.call_and_validate(checks=CONFORMANCE)
