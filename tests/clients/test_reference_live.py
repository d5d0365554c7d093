"""The reference client against a real mock, scenario by scenario: the documented outcome
(exit 0 with an H.264 MP4, exit 2 with the advice, exit 3 after bounded waiting) and no
client rule failing on the mock's journal."""

from __future__ import annotations

import av
import pytest

from nemo_mock.contracts.rules import rule_by_id
from nemo_mock.mock_server.scenarios.library import ScenarioLibrary
from tests.clients.runs import REFERENCE, Run, RunBook, RunKey

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg]

SUCCESS = [
    "baseline",
    "silent-edit",
    "rate-limited-then-ok",
    "render-fails-once",
    "token-expires-mid-session",
    "session-lost",
    "stream-drops-during-generation",
    "missing-client-id",
    "heartbeats-only-timeout",
]
REFUSALS = {
    "out-of-credits": "register at http",  # anonymous: the bind URL (…/register?bind=…)
    "free-plan-export-blocked": "register or upgrade",
    "upload-too-large": "compress or trim",
    "unsupported-upload": "mp4 mov avi webm mkv",
}
GIVES_UP = ["render-stuck"]


def key(scenario: str, **extra: object) -> RunKey:
    return RunKey(REFERENCE, scenario, **extra)  # type: ignore[arg-type]


SUCCESS_RUNS = [
    *(key(s) for s in SUCCESS),
    # another client scale: the heartbeats-only window follows the client's time (11
    # minutes: 6.6 s at 0.01), so the client's own 10-minute time-out (6 s) ends it again
    key("heartbeats-only-timeout", time_scale=0.01),
    # the other error style: HTTP 200 with a non-zero code
    key("token-expires-mid-session", error_style="envelope"),
]
REFUSAL_RUNS = [*(key(s) for s in REFUSALS), key("out-of-credits", error_style="envelope")]


def label(run_key: RunKey) -> str:
    return run_key.label


def assert_no_rule_fails(run: Run) -> None:
    assert not run.failed(), run.report()


def assert_h264_mp4(run: Run) -> None:
    assert run.output.is_file(), run.report()
    with av.open(str(run.output)) as container:
        video = container.streams.video[0]
        assert video.codec_context.name == "h264"
        assert container.duration is not None
        assert container.duration / av.time_base > 1.0


@pytest.mark.parametrize("run_key", SUCCESS_RUNS, ids=label)
def test_makes_the_video(runbook: RunBook, run_key: RunKey):
    run = runbook.get(run_key)
    assert run.exit_code == 0, run.report()
    assert_h264_mp4(run)
    assert_no_rule_fails(run)
    if run_key.scenario == "heartbeats-only-timeout":
        # the client's own time-out ends the stream (it gives up on it: a drop), at every
        # client scale, because the window is given in the client's time
        assert "stream timed_out" in run.stderr, run.report()
        assert run.status("heartbeat-timeout") == "pass", run.report()
        assert run.status("stream-drop-recovery") == "pass", run.report()


@pytest.mark.parametrize("run_key", REFUSAL_RUNS, ids=label)
def test_stops_on_a_documented_refusal_with_its_advice(runbook: RunBook, run_key: RunKey):
    run = runbook.get(run_key)
    assert run.exit_code == 2, run.report()
    assert REFUSALS[run_key.scenario] in run.stderr, run.report()
    assert not run.output.exists()
    assert_no_rule_fails(run)


@pytest.mark.parametrize("run_key", [key(s) for s in GIVES_UP], ids=label)
def test_gives_up_on_a_stuck_render(runbook: RunBook, run_key: RunKey):
    run = runbook.get(run_key)
    assert run.exit_code == 3, run.report()
    assert not run.output.exists()
    polls = [e for e in run.entries if e.operation == "getRender"]
    assert len(polls) == 30
    assert [e.operation for e in run.entries][-1] == "cancelRender"
    assert_no_rule_fails(run)


def _exercised_cases() -> list[object]:
    cases: list[object] = []
    for scenario in [*SUCCESS, *REFUSALS, *GIVES_UP]:
        for rule in ScenarioLibrary().get_by_name(scenario).expect.exercises:
            cases.append(pytest.param(key(scenario), rule, id=f"{scenario}:{rule}"))
    return cases


@pytest.mark.parametrize(("run_key", "rule"), _exercised_cases())
def test_passes_the_rules_its_scenario_exercises(runbook: RunBook, run_key: RunKey, rule: str):
    run = runbook.get(run_key)
    rule_by_id(rule)  # a scenario naming an unknown rule fails here
    assert run.status(rule) == "pass", run.report()
