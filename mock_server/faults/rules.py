"""When a fault fires: rules matched against each request, in the order they were made.

A rule *matches* a request when every filter it sets agrees (method, path glob,
operation, token fingerprint, client id, session) and its action can apply to
that operation (SSE actions to ``runSse``, render actions to ``startRender``).
Every match is counted. A rule is *due* on a match when:

* ``nth: N``   — from its N-th match on (``nth: 1``, the default, is every match);
* ``every: N`` — on every N-th match (N, 2N, 3N…);
* ``probability: P`` — with probability P, drawn from the mock's seeded RNG.

A due rule *fires* unless it has fired ``times`` times already (``times: null``
never runs out). At most one rule fires per request, the oldest one due, except
pure-latency rules, which all add their delay. A rule that is due but loses to
an older one does not use up a time: an ``nth`` rule then fires on its next
match.
"""

from __future__ import annotations

import fnmatch
import json
import random
import threading
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from nemo_mock.mock_server.domain.ids import restore_rng, rng_json
from nemo_mock.mock_server.domain.secrets import fingerprint
from nemo_mock.mock_server.domain.validation import WholeNumber, reject_nulls
from nemo_mock.mock_server.edge.facts import RequestFacts
from nemo_mock.mock_server.edge.surfaces import operation_ids
from nemo_mock.mock_server.faults.actions import FaultAction

__all__ = ["ActiveRule", "Decision", "FaultBook", "FaultRule", "Firing", "RequestFacts"]

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


class FaultRule(BaseModel):
    """A rule as clients send it (``POST /_mock/faults``) and as the mock lists it."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    method: Method | None = None
    path: str | None = Field(default=None, min_length=1, max_length=500)
    operation: str | None = Field(default=None, min_length=1, max_length=100)
    token: str | None = Field(default=None, min_length=1, max_length=500)
    client_id: str | None = Field(default=None, min_length=1, max_length=200)
    session: str | None = Field(default=None, min_length=1, max_length=200)
    nth: WholeNumber | None = Field(default=None, ge=1, le=1_000_000)
    every: WholeNumber | None = Field(default=None, ge=1, le=1_000_000)
    probability: float | None = Field(default=None, ge=0, le=1)
    #: How many times the rule fires; ``null`` for no limit.
    times: WholeNumber | None = Field(default=1, ge=1, le=1_000_000)
    action: FaultAction

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, value: Any) -> Any:
        return reject_nulls(value, allowed=frozenset({"times"}))

    @field_validator("operation")
    @classmethod
    def _known_operation(cls, value: str | None) -> str | None:
        known = operation_ids()
        if value is not None and value not in known:
            raise ValueError(f"unknown operation {value!r}; one of {', '.join(sorted(known))}")
        return value

    @field_validator("token")
    @classmethod
    def _fingerprinted(cls, value: str | None) -> str | None:
        """Rules keep fingerprints, never raw tokens."""
        if value is None or value.startswith("fp_"):
            return value
        return fingerprint(value)

    @model_validator(mode="after")
    def _coherent(self) -> FaultRule:
        schedules = [n for n in ("nth", "every", "probability") if getattr(self, n) is not None]
        if len(schedules) > 1:
            raise ValueError(f"use one of nth, every, probability; got {', '.join(schedules)}")
        allowed = self.action.operations
        if allowed and self.operation is not None and self.operation not in allowed:
            raise ValueError(
                f"{self.action.kind} applies to {' or '.join(sorted(allowed))}, "
                f"not to {self.operation}"
            )
        return self


@dataclass
class ActiveRule:
    rule_id: str
    rule: FaultRule
    matched: int = 0
    fired: int = 0

    @property
    def exhausted(self) -> bool:
        return self.rule.times is not None and self.fired >= self.rule.times

    def to_json(self) -> dict[str, object]:
        remaining = None if self.rule.times is None else self.rule.times - self.fired
        return {
            "id": self.rule_id,
            **self.rule.model_dump(exclude_none=True, mode="json"),
            "times": self.rule.times,
            "matched": self.matched,
            "fired": self.fired,
            "remaining": remaining,
        }


@dataclass(frozen=True)
class Firing:
    rule_id: str
    action: FaultAction


@dataclass
class Decision:
    """The faults for one request: every latency, and at most one other action."""

    latency_ms: int = 0
    firings: list[Firing] = field(default_factory=list)

    @property
    def main(self) -> Firing | None:
        """The fault to act out and record: the one non-latency firing, else the first."""
        for firing in self.firings:
            if firing.action.kind != "latency":
                return firing
        return self.firings[0] if self.firings else None


class FaultBook:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._rules: list[ActiveRule] = []
        self._serial = 0
        self._lock = threading.Lock()

    def add(self, rule: FaultRule) -> ActiveRule:
        with self._lock:
            self._serial += 1
            active = ActiveRule(f"f{self._serial}", rule)
            self._rules.append(active)
            return active

    def rules(self) -> list[ActiveRule]:
        with self._lock:
            return list(self._rules)

    @property
    def armed(self) -> bool:
        """Whether any rule is armed (read without the lock: a list's length is read whole;
        asked for every request, issue 18)."""
        return bool(self._rules)

    def remove(self, rule_id: str) -> ActiveRule | None:
        with self._lock:
            for active in self._rules:
                if active.rule_id == rule_id:
                    self._rules.remove(active)
                    return active
            return None

    def clear(self) -> int:
        with self._lock:
            count = len(self._rules)
            self._rules.clear()
            return count

    def reset(self, seed: str) -> None:
        """No rules, numbering from f1 again, and the odds re-seeded."""
        with self._lock:
            self._rules.clear()
            self._serial = 0
            self._rng.seed(seed)

    # -- keeping and restoring -------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        """The rules (with their counts), the rule serial and the RNG, JSON-able."""
        with self._lock:
            return {
                "serial": self._serial,
                "rng": rng_json(self._rng),
                "rules": [
                    {"id": a.rule_id, "rule": a.rule.model_dump(mode="json", exclude_none=True),
                     "matched": a.matched, "fired": a.fired}
                    for a in self._rules
                ],
            }  # fmt: skip

    def restore(self, doc: dict[str, Any]) -> None:
        """Replace the rules with an ``export``'s (each rule validated again)."""
        rules = [
            ActiveRule(r["id"], FaultRule.model_validate_json(json.dumps(r["rule"])),
                       r["matched"], r["fired"])
            for r in doc["rules"]
        ]  # fmt: skip
        with self._lock:
            self._rules[:] = rules
            self._serial = doc["serial"]
            restore_rng(self._rng, doc["rng"])

    def decide(self, facts: RequestFacts) -> Decision:
        decision = Decision()
        exclusive_taken = False
        with self._lock:
            for active in self._rules:
                if active.exhausted or not _matches(active.rule, facts):
                    continue
                active.matched += 1
                if not self._due(active):
                    continue
                is_latency = active.rule.action.kind == "latency"
                if not is_latency and exclusive_taken:
                    continue
                active.fired += 1
                decision.firings.append(Firing(active.rule_id, active.rule.action))
                decision.latency_ms += active.rule.action.latency_ms or 0
                exclusive_taken = exclusive_taken or not is_latency
        return decision

    def _due(self, active: ActiveRule) -> bool:
        rule = active.rule
        if rule.every is not None:
            return active.matched % rule.every == 0
        if rule.probability is not None:
            return self._rng.random() < rule.probability
        return active.matched >= (rule.nth or 1)


def _matches(rule: FaultRule, facts: RequestFacts) -> bool:
    allowed = rule.action.operations
    return (
        (allowed is None or facts.operation in allowed)
        and (rule.method is None or rule.method == facts.method.upper())
        and (rule.path is None or fnmatch.fnmatchcase(facts.path, rule.path))
        and (rule.operation is None or rule.operation == facts.operation)
        and (rule.token is None or rule.token == facts.token)
        and (rule.client_id is None or rule.client_id == facts.client_id)
        and (rule.session is None or rule.session == facts.session)
    )
