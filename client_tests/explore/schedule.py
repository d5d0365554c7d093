"""A fault schedule: fault rules in the mock's own format, plus the agent's seed.

    schedule = FaultSchedule.of("operation=getRender nth=2 expire_token", agent_seed=3)
    scenario = schedule.to_scenario("my-schedule")      # a Scenario, as in the library
    text = schedule.to_yaml("my-schedule")              # a scenario file, seed in its header
    FaultSchedule.from_yaml(text) == schedule           # True
    schedule.arm(nemo_mock)                             # the pytest fixture: one rule each

The rules are ``nemo_mock.mock_server.faults.rules.FaultRule`` objects, armed in order (so the mock
names them ``f1``, ``f2``… and the journal says which one fired). The agent seed is the
mock's ``--seed``: a scenario has no seed of its own, so a scenario file written here keeps
it in a comment line that ``from_yaml`` reads back (``# agent_seed: 3``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import yaml

from nemo_mock.client_tests.explore.vocabulary import describe_action, kind_of
from nemo_mock.client_tests.harness.runner import rule_document, scenario_document
from nemo_mock.mock_server.faults.rules import FaultRule
from nemo_mock.mock_server.faults.spec import parse_rule
from nemo_mock.mock_server.scenarios.library import parse_scenario
from nemo_mock.mock_server.scenarios.model import Expectation, Scenario, Setup, Surface, Task

#: What ``check-client --explore`` asks for when no ``--scenario`` gives a task: the
#: scenarios' default task, whose prompt asks for 10 seconds.
DEFAULT_TASK = Task(duration=10.0)
SEED_LINE = re.compile(r"^#\s*agent_seed:\s*(\d+)\s*$", re.MULTILINE)
TITLE_LIMIT = 200


class FaultArming(Protocol):
    """What ``arm`` needs: the pytest plugin's ``nemo_mock`` (``NemoMock``) has it."""

    def set_fault(self, spec: str | None = None, **rule: Any) -> dict[str, Any]: ...


@dataclass(frozen=True)
class FaultSchedule:
    faults: tuple[FaultRule, ...] = ()
    #: The mock's ``--seed`` for this run (every random choice of the agent comes from it).
    agent_seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "faults", tuple(self.faults))
        if not all(isinstance(rule, FaultRule) for rule in self.faults):
            raise TypeError("faults are FaultRule objects (see FaultSchedule.of)")
        if self.agent_seed < 0:
            raise ValueError(f"the agent seed is 0 or more, not {self.agent_seed}")

    @classmethod
    def of(cls, *rules: FaultRule | str | Mapping[str, Any], agent_seed: int = 0) -> FaultSchedule:
        """Rules as objects, one-line specs (``"operation=runSse cut=2"``) or mappings."""
        return cls(tuple(_rule(rule) for rule in rules), agent_seed)

    # ------------------------------------------------------------------ words

    def describe(self) -> list[str]:
        """One line per fault: ``"getRender call #2: 1001: the token expires"``."""
        return [describe_rule(rule) for rule in self.faults]

    def summary(self) -> str:
        lines = self.describe() or ["no faults"]
        return "; ".join(lines) + f" (agent seed {self.agent_seed})"

    def advice(self) -> list[str]:
        """What a correct client does about each fault, once per kind."""
        found = [kind_of(rule.action) for rule in self.faults]
        return list(dict.fromkeys(f"{k.words} → {k.advice}" for k in found if k is not None))

    # ------------------------------------------------------------------ scenario files

    def to_scenario(
        self,
        name: str = "fault-schedule",
        *,
        task: Task | None = None,
        setup: Setup | None = None,
        expect: Expectation | None = None,
        title: str | None = None,
        surface: Surface = "skill",
    ) -> Scenario:
        """The schedule as a scenario: its faults, the task (the default one unless given)
        and the expectation (``success`` unless given; the explore judge also accepts a
        documented refusal and an excused give-up, see ``properties``)."""
        lines = self.describe()
        advice = self.advice()
        description = (
            "Faults, armed in this order: " + "; ".join(lines) + "."
            if lines
            else "No faults: the happy path."
        ) + f" Agent seed {self.agent_seed} (the mock's --seed)."
        should = "Recover as the API description says and export an MP4 of the task's length, "
        should += "or stop on a documented refusal"
        should += (": " + "; ".join(advice) + ".") if advice else "."
        return Scenario(
            name=name,
            title=(title or _title(self))[:TITLE_LIMIT],
            description=description,
            client_should=should,
            setup=setup or Setup(),
            faults=list(self.faults),
            task=task or DEFAULT_TASK,
            expect=expect or Expectation(),
            surface=surface,
        )

    @classmethod
    def from_scenario(cls, scenario: Scenario, agent_seed: int = 0) -> FaultSchedule:
        return cls(tuple(scenario.faults), agent_seed)

    def to_yaml(self, name: str = "fault-schedule", *, comment: str = "", **scenario: Any) -> str:
        """A scenario file (``to_scenario``'s arguments), the agent seed in a comment line;
        ``comment``: more lines for its header (by default, how to replay it)."""
        document = scenario_document(self.to_scenario(name, **scenario))
        seed = f" --seed {self.agent_seed}" if self.agent_seed else ""
        comment = comment or f"Replay: nemo-mock check-client --scenario-file FILE{seed} -- CLIENT"
        header = [
            "A fault schedule (nemo-mock check-client --explore), as a scenario file.",
            f"agent_seed: {self.agent_seed}",
            *comment.splitlines(),
        ]
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
        return "".join(f"# {line}\n" for line in header) + text

    @classmethod
    def from_yaml(cls, text: str) -> FaultSchedule:
        """The schedule of a scenario file (the seed from its ``# agent_seed:`` line, or 0)."""
        scenario = parse_scenario(yaml.safe_load(text), origin="fault schedule")
        found = SEED_LINE.search(text)
        return cls.from_scenario(scenario, int(found.group(1)) if found else 0)

    # ------------------------------------------------------------------ a running mock

    def rule_documents(self) -> list[dict[str, Any]]:
        """Each rule as the body of ``POST /_mock/faults`` (``times: null`` kept)."""
        return [rule_document(rule) for rule in self.faults]

    def arm(self, mock: FaultArming) -> list[dict[str, Any]]:
        """Arm every rule on a mock (e.g. the ``nemo_mock`` fixture), in order. The agent
        seed is the mock's ``--seed`` and cannot be changed on a running mock."""
        return [mock.set_fault(**document) for document in self.rule_documents()]


def describe_rule(rule: FaultRule) -> str:
    """``"getRender call #2: 1001: the token expires"``, with how often it fires."""
    where = rule.operation or rule.path or "any call"
    nth = rule.nth or 1
    if rule.every is not None:
        when = f" every {rule.every}th call"
    elif rule.probability is not None:
        when = f" calls with probability {rule.probability:g}"
    elif rule.times is None:
        when = f" call #{nth} and every one after"
    elif rule.times == 1:
        when = f" call #{nth}"
    elif rule.times == 2:
        when = f" calls #{nth} and #{nth + 1}"
    else:
        when = f" calls #{nth} to #{nth + rule.times - 1}"
    return f"{where}{when}: {describe_action(rule.action)}"


def _title(schedule: FaultSchedule) -> str:
    count = len(schedule.faults)
    if count == 1:
        return f"Fault schedule: {describe_rule(schedule.faults[0])}"
    return f"Fault schedule: {count} faults, agent seed {schedule.agent_seed}"


def _rule(rule: FaultRule | str | Mapping[str, Any]) -> FaultRule:
    if isinstance(rule, FaultRule):
        return rule
    if isinstance(rule, str):
        return parse_rule(rule)
    return FaultRule.model_validate(dict(rule))
