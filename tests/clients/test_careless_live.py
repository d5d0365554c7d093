"""The careless client, the negative control: under the whole scenario library the rules
that fail are exactly the ones it declares broken (``BROKEN_RULES``), and it still makes
the video when nothing goes wrong."""

from __future__ import annotations

import pytest

from nemo_mock.client_tests.careless_client import BROKEN_RULES
from nemo_mock.mock_server.scenarios.library import ScenarioLibrary
from tests.clients.runs import CARELESS, RunBook, RunKey

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg]

ALL_RUNS = [RunKey(CARELESS, name) for name in ScenarioLibrary().names("skill")]
#: The scenario that shows each defect (other scenarios may show it too).
EXPOSED_BY = {
    "attribution-headers": "baseline",
    "rate-limit-retry": "rate-limited-then-ok",
    "no-retry-on-refusal": "out-of-credits",
    "session-recovery": "session-lost",
    "state-after-silent-close": "silent-edit",
    "stream-drop-recovery": "stream-drops-during-generation",
    "heartbeat-timeout": "heartbeats-only-timeout",
    "render-poll-cadence": "render-stuck",
}


def needs_runs(*keys: RunKey):
    def mark(function):
        function.needs_runs = keys
        return function

    return mark


def test_every_broken_rule_has_an_exposing_scenario():
    assert set(EXPOSED_BY) == BROKEN_RULES
    assert set(EXPOSED_BY.values()) <= set(ScenarioLibrary().names("skill"))


@pytest.mark.parametrize("rule", sorted(BROKEN_RULES))
@needs_runs(*ALL_RUNS)
def test_each_declared_defect_fails_its_rule(runbook: RunBook, rule: str):
    run = runbook.get(RunKey(CARELESS, EXPOSED_BY[rule]))
    assert rule in run.failed(), run.report()


@needs_runs(*ALL_RUNS)
def test_no_undeclared_rule_fails_under_any_scenario(runbook: RunBook):
    runs = [runbook.get(k) for k in ALL_RUNS]
    union = set().union(*(r.failed() for r in runs))
    undeclared = union - BROKEN_RULES
    culprits = [r.report() for r in runs if r.failed() & undeclared]
    assert not undeclared, "\n\n".join(culprits)
    assert union == BROKEN_RULES, sorted(BROKEN_RULES - union)


@needs_runs(RunKey(CARELESS, "baseline"))
def test_it_still_makes_the_video_when_nothing_goes_wrong(runbook: RunBook):
    run = runbook.get(RunKey(CARELESS, "baseline"))
    assert run.exit_code == 0, run.report()
    assert run.output.is_file() and run.output.stat().st_size > 0
    assert run.failed() <= BROKEN_RULES
