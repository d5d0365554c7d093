"""FastAPI's native OpenTelemetry is off unless ``--otel`` asks for it (issue 18: on, the
framework looks up the global providers on every request). Both ways are checked against a
configured tracer provider that records the spans it is asked for."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.settings import Settings


class RecordingTracer(trace.NoOpTracer):
    def __init__(self, names: list[str]) -> None:
        self.names = names

    def start_span(self, name: str, *args: Any, **kwargs: Any) -> trace.Span:
        self.names.append(name)
        return NonRecordingSpan(SpanContext(trace_id=1, span_id=1, is_remote=False))


class RecordingProvider(trace.TracerProvider):
    def __init__(self) -> None:
        self.names: list[str] = []

    def get_tracer(self, *args: Any, **kwargs: Any) -> trace.Tracer:
        return RecordingTracer(self.names)


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> RecordingProvider:
    recording = RecordingProvider()
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", recording)  # the global one, for this test
    return recording


def spans_of_one_request(settings: Settings, provider: RecordingProvider) -> list[str]:
    with TestClient(create_app(settings)) as client:
        provider.names.clear()
        assert client.get("/api/credits/balance/simple").status_code == 401
    return provider.names


def test_no_spans_by_default_even_with_a_provider_configured(provider: RecordingProvider):
    assert spans_of_one_request(Settings(), provider) == []


def test_otel_sends_the_frameworks_spans_to_the_configured_provider(provider: RecordingProvider):
    names = spans_of_one_request(Settings(otel=True), provider)
    assert "GET" in names and "fastapi.endpoint" in names, names  # the server span, the route
