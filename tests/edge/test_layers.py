"""Idle layers stepped over (``edge/layers.py``, issue 18): a request none of the mock's
layers has anything to do with goes from the journal straight to the app past them, and
each layer is still there the moment it has work (a body, a turn, an armed rule, a fault
header)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from nemo_mock.mock_server.edge.admission import TurnAdmission
from nemo_mock.mock_server.edge.layers import Layer, first_busy
from nemo_mock.mock_server.edge.limits import BodyPace, JsonCap
from nemo_mock.mock_server.faults.middleware import FaultMiddleware
from nemo_mock.mock_server.faults.spec import parse_rule
from nemo_mock.mock_server.journal.middleware import JournalMiddleware
from tests.conftest import Api


class Step(Layer):
    def __init__(self, app: Any, idle: bool) -> None:
        self.app, self._idle = app, idle

    def idle(self, scope: Any) -> bool:
        return self._idle


def the_app() -> None: ...


def test_first_busy_steps_over_idle_layers_and_stops_at_the_first_busy_one() -> None:
    busy = Step(the_app, idle=False)
    assert first_busy(Step(Step(busy, idle=True), idle=True), {}) is busy
    assert first_busy(Step(Step(the_app, idle=True), idle=True), {}) is the_app
    assert first_busy(the_app, {}) is the_app  # not a layer: never asked


def layers(app: FastAPI) -> dict[type, Any]:
    app.middleware_stack = app.middleware_stack or app.build_middleware_stack()
    found, current = {}, app.middleware_stack
    while hasattr(current, "app"):
        found[type(current)] = current
        current = current.app
    return found


def scope(method: str, path: str, *headers: tuple[bytes, bytes]) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "headers": list(headers)}


def test_a_plain_get_passes_from_the_journal_to_the_app_past_every_layer(app: FastAPI) -> None:
    found = layers(app)
    journal, faults = found[JournalMiddleware], found[FaultMiddleware]
    plain = scope("GET", "/api/credits/balance/simple", (b"authorization", b"Bearer x"))
    past = first_busy(journal.app, plain)
    assert not isinstance(past, Layer) and past is found[JsonCap].app
    assert found[TurnAdmission].idle(plain) and found[BodyPace].idle(plain)
    json_body = (b"content-type", b"application/json"), (b"content-length", b"2")
    posted = scope("POST", "/api/credits/balance/simple", *json_body)
    assert first_busy(journal.app, posted) is found[JsonCap]
    assert not found[BodyPace].idle(posted)
    header = scope("GET", "/api/credits/balance/simple", (b"X-Mock-Fault", b"error=1001"))
    assert first_busy(journal.app, header) is faults
    faults.book.add(parse_rule("operation=getCreditBalance error=2001"))
    assert first_busy(journal.app, plain) is faults
    assert first_busy(journal.app, scope("GET", "/_mock/health")) is found[JsonCap].app


def test_a_turn_request_is_admitted_by_its_gate(app: FastAPI) -> None:
    turn = scope("POST", "/run_sse", (b"content-type", b"application/json"))
    assert not layers(app)[TurnAdmission].idle(turn)


def test_an_armed_rule_and_a_fault_header_still_fire_on_a_plain_get(api: Api) -> None:
    headers = api.auth()
    path = "/api/credits/balance/simple"
    assert api.client.get(path, headers=headers).json()["code"] == 0
    fired = api.client.get(path, headers={**headers, "X-Mock-Fault": "error=2001"})
    assert fired.json()["code"] == 2001
    armed = api.client.post("/_mock/faults", json={"spec": "op=getCreditBalance error=1001"})
    assert armed.status_code == 201, armed.text
    assert api.client.get(path, headers=headers).json()["code"] == 1001
