"""One run under a fault schedule, judged: the client rules (as for every scenario) plus the
universal properties (``properties``)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from nemo_mock.client_tests.explore.excuses import give_up_excuse
from nemo_mock.client_tests.explore.properties import (
    PropertyResult,
    RunFacts,
    check_properties,
    refusal_of,
)
from nemo_mock.client_tests.explore.schedule import FaultSchedule
from nemo_mock.client_tests.harness.outcome import OutcomeVerdict, probe_mp4
from nemo_mock.client_tests.harness.pool import MockPool
from nemo_mock.client_tests.harness.runner import (
    RunOptions,
    ScenarioResult,
    prune_media,
    run_scenario,
)
from nemo_mock.mock_server.scenarios.model import Expectation, Scenario

OUTCOME = "valid-outcome"


@dataclass
class ExploredResult(ScenarioResult):
    """A scenario's result plus the universal properties (and the schedule, if explored)."""

    properties: dict[str, PropertyResult] = field(default_factory=dict)
    schedule: FaultSchedule | None = None

    @property
    def ok(self) -> bool:
        return super().ok and all(p.ok for p in self.properties.values())

    def failures(self) -> list[str]:
        """The rules and properties that failed (``outcome`` for the scenario's outcome)."""
        failed = [rule for rule, verdict in self.rules.items() if verdict.status == "fail"]
        failed += [prop for prop, verdict in self.properties.items() if not verdict.ok]
        if not self.outcome.ok and OUTCOME not in failed:
            failed.append("outcome")
        return failed

    def fired(self) -> frozenset[int]:
        """Positions (from 0) of the schedule's rules that fired: the mock numbers the rules
        it loads ``f1``, ``f2``… in order, and the journal names the one that fired."""
        found = set()
        for entry in self.entries:
            rule = entry.fault.rule if entry.fault is not None else ""
            if rule.startswith("f") and rule[1:].isdigit():
                found.add(int(rule[1:]) - 1)
        return frozenset(found)


def run_schedule(
    schedule: FaultSchedule,
    name: str,
    base: Scenario,
    options: RunOptions,
    mocks: MockPool | None = None,
) -> ExploredResult:
    """Run the client under ``schedule`` (the agent seed as the mock's seed; the task and
    set-up of ``base``) on a mock from ``mocks`` or of its own, and judge it the exploration
    way."""
    scenario = schedule.to_scenario(name, task=base.task, setup=base.setup, surface=base.surface)

    verdicts: list[ExploredResult] = []

    def failed(result: ScenarioResult) -> bool:  # a pooled run: judged before the media go
        verdicts.append(judged(result, options, schedule=schedule, outcome_from_properties=True))
        return not verdicts[-1].ok

    seeded = replace(options, seed=schedule.agent_seed)
    result = run_scenario(scenario, seeded, mocks, failed=failed)
    if verdicts:
        return verdicts[-1]
    return judged(result, options, schedule=schedule, outcome_from_properties=True)


def judged(
    result: ScenarioResult,
    options: RunOptions,
    *,
    schedule: FaultSchedule | None = None,
    outcome_from_properties: bool,
) -> ExploredResult:
    """``result`` with the universal properties. The outcome row is the ``valid-outcome``
    property when exploring; a replayed scenario file keeps its own ``expect``."""
    log = result.log.read_text(encoding="utf-8", errors="replace") if result.log.is_file() else ""
    facts = RunFacts(
        exit_code=result.run.exit_code,
        seconds=result.run.seconds,
        budget_s=options.timeout,
        log=log,
        mp4=probe_mp4(result.run.output),
        wanted_duration=result.scenario.task.duration,
        time_scale=options.time_scale,
    )
    properties = check_properties(result.entries, facts)
    outcome = result.outcome
    if outcome_from_properties:
        verdict = properties[OUTCOME]
        words = verdict.note or "; ".join(v.message for v in verdict.violations)
        outcome = OutcomeVerdict(verdict.ok, words)
    explored = ExploredResult(
        result.scenario,
        result.rules,
        outcome,
        result.run,
        result.entries,
        result.log,
        properties=properties,
        schedule=schedule,
    )
    if explored.ok and not options.keep_media:
        prune_media(result.log.parent)  # judged: a passing run's media is not needed
    return explored


def expectation_for(result: ExploredResult, time_scale: float) -> Expectation:
    """What the replayed scenario file expects, so that ``check-client --scenario-file``
    judges the outcome as the exploration did: what the client did when that was right,
    else the right thing (a refusal when one was answered, a give-up when it is excused,
    an MP4 otherwise)."""
    refused = sorted({c for e in result.entries if (c := refusal_of(e)) is not None})
    if result.outcome.ok and result.run.exit_code == 0:
        return Expectation(outcome="success")
    if refused:
        return Expectation(outcome="refusal", refusal_codes=refused)
    if result.outcome.ok or give_up_excuse(result.entries, time_scale) is not None:
        return Expectation(outcome="gives_up")
    return Expectation(outcome="success")
