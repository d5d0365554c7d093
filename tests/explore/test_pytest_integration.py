"""``fault_schedules()`` with ``@given`` and the ``nemo_mock`` fixture, as in a user's tests.
(Users import it from ``nemo_mock.client_tests.strategies``, which re-exports it.)"""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from nemo_mock.client_tests.explore.schedule import FaultSchedule
from nemo_mock.client_tests.explore.strategies import fault_schedules

pytestmark = pytest.mark.live


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(schedule=fault_schedules())
def test_every_drawn_schedule_arms_on_the_fixture_as_drawn(nemo_mock, schedule):
    nemo_mock.reset()
    answers = schedule.arm(nemo_mock)
    assert [a["id"] for a in answers] == [f"f{i + 1}" for i in range(len(schedule.faults))]
    listed = nemo_mock.http.get("/_mock/faults").json()["faults"]
    armed = [{key: rule[key] for key in ("operation", "nth", "times", "action")} for rule in listed]
    assert armed == schedule.rule_documents()


def test_an_armed_schedule_fires_on_the_calls_it_names(nemo_mock):
    FaultSchedule.of("operation=createAnonymousToken nth=2 error=429 retry_after=3").arm(nemo_mock)

    def token(client_id: str) -> httpx.Response:
        return httpx.post(
            f"{nemo_mock.url}/api/auth/anonymous-token", headers={"X-Client-Id": client_id}
        )

    assert token("a").status_code == 200
    refused = token("b")
    assert refused.status_code == 429 and refused.headers["retry-after"] == "3"
    assert token("c").status_code == 200
    (fired,) = [e for e in nemo_mock.journal() if e.fault is not None]
    assert fired.fault.rule == "f1" and fired.client_id == "b"
