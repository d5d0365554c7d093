"""``FaultSchedule``: the mock's own rules plus an agent seed; scenario files both ways."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings

from nemo_mock.client_tests.explore.schedule import DEFAULT_TASK, FaultSchedule, describe_rule
from nemo_mock.client_tests.explore.strategies import fault_schedules
from nemo_mock.mock_server.faults.spec import parse_rule
from nemo_mock.mock_server.scenarios.library import read_scenario
from nemo_mock.mock_server.scenarios.model import Expectation, Task

SCHEDULE = FaultSchedule.of(
    "operation=getRender nth=2 expire_token",
    {"operation": "runSse", "nth": 1, "times": None, "action": {"cut_after": 2, "abort": True}},
    parse_rule("operation=startRender render_pending times=2"),
    agent_seed=7,
)


def test_rules_can_be_given_as_specs_mappings_or_rules():
    assert [r.operation for r in SCHEDULE.faults] == ["getRender", "runSse", "startRender"]
    assert SCHEDULE.faults[1].times is None
    assert SCHEDULE.agent_seed == 7


def test_the_scenario_has_the_faults_in_order_the_default_task_and_expects_success():
    scenario = SCHEDULE.to_scenario("my-schedule")
    assert scenario.name == "my-schedule"
    assert scenario.faults == list(SCHEDULE.faults)
    assert scenario.task == DEFAULT_TASK and scenario.task.duration == 10.0
    assert scenario.expect.outcome == "success"
    assert "getRender call #2: 1001: the token expires" in scenario.description
    assert "Agent seed 7" in scenario.description
    assert "new anonymous token" in scenario.client_should


def test_a_given_task_and_expectation_are_kept():
    task = Task(prompt="make me a 10-second sunset timelapse video", files=[], duration=10)
    scenario = SCHEDULE.to_scenario(task=task, expect=Expectation(outcome="gives_up"))
    assert scenario.task == task and scenario.expect.outcome == "gives_up"


def test_yaml_round_trip_keeps_unlimited_rules_and_the_seed(tmp_path: Path):
    text = SCHEDULE.to_yaml("my-schedule")
    assert "# agent_seed: 7" in text and "--seed 7" in text
    assert FaultSchedule.from_yaml(text) == SCHEDULE
    path = tmp_path / "schedule.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_scenario(path) == SCHEDULE.to_scenario("my-schedule")  # a scenario file


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fault_schedules())
def test_every_drawn_schedule_survives_the_round_trip(schedule):
    assert FaultSchedule.from_yaml(schedule.to_yaml()) == schedule


def test_a_scenario_file_without_a_seed_line_has_seed_zero():
    text = FaultSchedule.of("operation=runSse silent").to_yaml()
    without = "\n".join(line for line in text.splitlines() if "agent_seed" not in line)
    assert FaultSchedule.from_yaml(without).agent_seed == 0


def test_arm_posts_each_rule_in_order_as_the_control_plane_takes_it():
    armed = []

    class FakeMock:
        def set_fault(self, spec=None, **rule):
            armed.append(rule)
            return {"id": f"f{len(armed)}"}

    answers = SCHEDULE.arm(FakeMock())
    assert [a["id"] for a in answers] == ["f1", "f2", "f3"]
    assert armed[0] == {
        "operation": "getRender",
        "nth": 2,
        "times": 1,
        "action": {"expire_token": True},
    }
    assert armed[1]["times"] is None  # unlimited survives (null, not left out)


def test_rules_are_described_with_their_call_and_how_often():
    lines = SCHEDULE.describe()
    assert lines == [
        "getRender call #2: 1001: the token expires",
        "runSse call #1 and every one after: the stream ends after 2 event(s) "
        "(the connection breaks)",
        "startRender calls #1 and #2: the render job is stuck",
    ]
    assert describe_rule(parse_rule("operation=runSse nth=2 times=3 latency=300")) == (
        "runSse calls #2 to #4: a slow answer (300 ms)"
    )


def test_scenario_documents_keep_unlimited_rules_for_the_mock_and_the_url_mode():
    from nemo_mock.client_tests.harness.runner import scenario_document
    from nemo_mock.mock_server.scenarios.library import ScenarioLibrary

    document = scenario_document(ScenarioLibrary().get_by_name("render-stuck"))
    (rule,) = document["faults"]
    assert rule["times"] is None  # "times: unlimited" must not become the default, 1
