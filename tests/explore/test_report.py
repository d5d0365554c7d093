"""The exploration's reports: the scenarios' formats plus the universal properties, the
smallest schedule and how to replay it; and the option checks of the command line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nemo_mock.client_tests.explore.command import replay_command
from nemo_mock.client_tests.explore.judged import ExploredResult, expectation_for
from nemo_mock.client_tests.explore.properties import PROPERTIES, PropertyResult
from nemo_mock.client_tests.explore.report import (
    exploration_junit,
    exploration_markdown,
    exploration_table,
    write_exploration,
)
from nemo_mock.client_tests.explore.schedule import FaultSchedule
from nemo_mock.client_tests.explore.search import Exploration, ExploreSettings
from nemo_mock.client_tests.harness.outcome import ClientRun, OutcomeVerdict
from nemo_mock.client_tests.harness.runner import RunOptions
from nemo_mock.contracts.rules import RULES, RuleResult, Violation
from nemo_mock.mock_server.cli import app
from tests.rules.factory import JournalBuilder

SCHEDULE = FaultSchedule.of("operation=getRender expire_token")
REPLAY = "nemo-mock check-client --scenario-file report/minimal-schedule.yaml -- python -m x"


def minimal_result() -> ExploredResult:
    j = JournalBuilder()
    j.token()
    j.session()
    j.render("render_1")
    poll = j.poll("render_1", error=1001, fault={"expire_token": True})
    rules = {rule.id: RuleResult("not_exercised") for rule in RULES}
    rules["token-refresh"] = RuleResult(
        "fail", (Violation("token-refresh", "getRender was not repeated", (poll.seq,)),)
    )
    properties = {p.id: PropertyResult("pass", note="fine") for p in PROPERTIES}
    properties["valid-outcome"] = PropertyResult(
        "fail", (Violation("valid-outcome", "exited 1 without an MP4", (poll.seq,)),)
    )
    return ExploredResult(
        SCHEDULE.to_scenario("minimal-schedule"),
        rules,
        OutcomeVerdict(False, "exited 1 without an MP4"),
        ClientRun(1, Path("out.mp4"), 3.0),
        j.entries,
        Path("client.log"),
        properties=properties,
        schedule=SCHEDULE,
    )


def failed_exploration() -> Exploration:
    result = minimal_result()
    return Exploration(
        ExploreSettings(examples=50),
        explored=7,
        distinct=7,
        runs=15,
        seconds=61.0,
        first=result,
        minimal=result,
        fired=Counter({"1001": 3, "5xx": 1}),
        endings=Counter({"mp4": 5, "gave up": 1}),
    )


def test_the_table_names_the_schedule_the_failed_rule_and_property_and_the_replay():
    text = exploration_table(failed_exploration(), REPLAY)
    assert text.startswith("explored 7 schedules (7 distinct, 15 client runs)")
    assert "faults that fired: 1001 ×3, 5xx ×1" in text
    assert "  - getRender call #1: 1001: the token expires" in text
    rows = {line.split()[0]: line.split()[-1] for line in text.splitlines() if line.strip()}
    assert rows["token-refresh"] == "FAIL" and rows["valid-outcome"] == "FAIL"
    assert rows["no-token-leak"] == "ok"
    assert text.rstrip().endswith(f"replay: {REPLAY}")


def test_a_passing_exploration_says_how_many_schedules_it_ran():
    passed = Exploration(ExploreSettings(examples=50), explored=50, distinct=49, runs=49)
    text = exploration_table(passed, None)
    assert text.startswith("explored 50 schedules (49 distinct, 49 client runs)")
    assert "all passed" in text
    root = ET.fromstring(exploration_junit(passed, None))
    (suite,) = root.iter("testsuite")
    assert (suite.get("name"), suite.get("failures")) == ("explore", "0")


def test_junit_has_the_exploration_and_a_case_per_rule_and_property():
    root = ET.fromstring(exploration_junit(failed_exploration(), REPLAY))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"explore", "minimal-schedule"}
    assert suites["explore"].find("testcase/failure") is not None
    cases = {c.get("name"): c for c in suites["minimal-schedule"].iter("testcase")}
    assert set(cases) == {r.id for r in RULES} | {p.id for p in PROPERTIES} | {"outcome"}
    assert cases["valid-outcome"].find("failure").get("type") == "valid-outcome"
    assert "#4" in cases["valid-outcome"].find("failure").text  # the journal evidence
    minimal = suites["minimal-schedule"]
    assert minimal.get("tests") == str(len(cases))
    assert minimal.get("failures") == "3"  # token-refresh, outcome, valid-outcome


def test_markdown_has_the_schedule_file_the_replay_and_the_evidence(tmp_path: Path):
    exploration = failed_exploration()
    yaml_text = SCHEDULE.to_yaml("minimal-schedule")
    text = exploration_markdown(exploration, yaml_text, REPLAY)
    assert "```yaml\n# A fault schedule" in text
    assert f"Replay: `{REPLAY}`" in text
    assert "### token-refresh (§3) failed" in text
    assert "#### valid-outcome failed" in text
    assert "| no-token-leak | ok | fine |" in text
    written = write_exploration(exploration, tmp_path, yaml_text, REPLAY)
    minimal = exploration.minimal.scenario.name
    assert [p.name for p in written] == ["report.md", "junit.xml", "table.txt", f"{minimal}.json"]


def test_the_replayed_file_expects_what_the_exploration_judged_right():
    result = minimal_result()  # exit 1 after a recoverable 1001: an MP4 was due
    assert expectation_for(result, 0.02).outcome == "success"
    j = JournalBuilder()
    j.token()
    j.session(error=503, fault={"error": 503})
    result.entries, result.outcome = j.entries, OutcomeVerdict(True, "gave up")
    assert expectation_for(result, 0.02).outcome == "gives_up"


def test_the_replay_command_repeats_the_seed_and_the_options_that_differ():
    options = RunOptions(
        command=["python", "-m", "x"],
        workdir=Path("runs"),
        time_scale=0.02,
        agent_time_scale=0.01,
        timeout=60,
    )
    command = replay_command(Path("r/minimal-schedule.yaml"), options.command, options, 3)
    assert command == (
        "nemo-mock check-client --scenario-file r/minimal-schedule.yaml --seed 3 "
        "--time-scale 0.02 --timeout 60 -- python -m x"
    )
    quick = replace(options, prompt="a 2-second video")
    assert "--seed 3 --prompt 'a 2-second video' --time-scale" in replay_command(
        Path("r/minimal-schedule.yaml"), options.command, quick, 3
    )


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--explore", "5", "--url", "http://127.0.0.1:9"], "cannot use --url"),
        (["--explore", "5", "--scenario", "baseline", "--scenario", "silent-edit"], "at most one"),
        (["--explore", "5", "--explore-operation", "getEverything"], "unknown operation"),
        (["--scenario-file", "nope.yaml"], "no such scenario file"),
        (["--scenario-file", "x.yaml", "--explore", "3"], "one file"),
    ],
)
def test_the_command_line_refuses_options_that_do_not_go_together(args, complaint):
    answer = CliRunner().invoke(app, ["check-client", *args, "--", "true"])
    assert answer.exit_code != 0
    assert complaint in answer.output
