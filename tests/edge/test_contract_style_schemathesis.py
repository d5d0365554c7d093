"""Schemathesis over the contract served under ``--error-style envelope`` (issue 13 item 15):
every answer conforms, the refusals that come as HTTP 200 included. Slow: its own module, so
that the tiers that deselect it do not build its cases at collection."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
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
ENVELOPE_APP = create_app(
    Settings(ip_token_limit=0, max_upload_mb=1, error_style="envelope"),
    clock=ManualClock(datetime(2026, 11, 1, tzinfo=UTC)),
    rng=random.Random(0),
)
CONFIG = SchemathesisConfig.from_path(Path(__file__).parents[2] / "schemathesis.toml")


envelope_schema = schemathesis.openapi.from_asgi(
    "/openapi.json", WithoutLifespan(ENVELOPE_APP), config=CONFIG
)
if NOT_IMPLEMENTED:
    envelope_schema = envelope_schema.exclude(operation_id=sorted(NOT_IMPLEMENTED))
ENVELOPE_TOKEN = (
    TestClient(ENVELOPE_APP)
    .post("/api/auth/anonymous-token", headers={"X-Client-Id": "envelope-style"})
    .json()["data"]["token"]
)


@envelope_schema.auth()
class EnvelopeToken:
    def get(self, case, context):
        return ENVELOPE_TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@envelope_schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_schemathesis_finds_the_envelope_style_conforming(case):
    """Every answer conforms to the contract served under this style (the 1001s, 1002s,
    4001s and 4002s that come as HTTP 200): no 5xx, and status, content type, headers and
    body as documented. The checks that a refusal must be an HTTP 4xx (``ignored_auth``,
    ``negative_data_rejection``, ``missing_required_header``) judge the style itself, which
    answers refusals with HTTP 200 on purpose; they run on the http style."""
    case.call_and_validate(checks=CONFORMANCE)
