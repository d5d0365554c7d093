"""``fault_schedules()``: a hypothesis strategy over the control plane's fault vocabulary.

    from hypothesis import given, settings
    from nemo_mock.client_tests.strategies import fault_schedules

    @settings(max_examples=20, deadline=None)
    @given(schedule=fault_schedules(max_faults=2))
    def test_my_client_survives(nemo_mock, schedule):
        nemo_mock.reset()
        schedule.arm(nemo_mock)
        ...

Each fault is drawn as: which operation, which kind of fault (only kinds valid there; see
``vocabulary``), its parameters, which call (``nth``) and how often (``times``); then the
agent's seed. Everything is drawn from short lists ordered simplest first and from small
integer ranges, so hypothesis shrinks a failing schedule toward **fewer faults** (list
elements are deleted first), **simpler faults** (the front of each list: 1001 before 5xx
before stream faults; ``times: 1`` before 2 before unlimited; the first call), and seed 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from nemo_mock.client_tests.explore.schedule import FaultSchedule
from nemo_mock.client_tests.explore.vocabulary import (
    DEFAULT_OPERATIONS,
    KINDS,
    Kind,
    kinds_for,
    unknown_operations,
)
from nemo_mock.mock_server.faults.rules import FaultRule

MAX_NTH = 3
#: Calls a client's flow makes once (a repeat happens only after a recovery: a new token,
#: a 429's retry, a failed render…). A fault on their 2nd or 3rd call rarely fires, so
#: their first call is drawn 3 times in 5: drawn uniformly, two faults in three on them
#: were dead, and an exploration aimed at ``runSse`` missed a bug behind a dropped stream
#: in 60 schedules. Polled calls (the state, a render) draw 1..3 uniformly.
ONCE_PER_FLOW = frozenset(
    {"createAnonymousToken", "createSession", "uploadFiles", "runSse", "startRender"}
)
NTH_ONCE_PER_FLOW = (1, 1, 1, 2, 3)
#: ``times``: once, twice (the documented single retry meets the fault again), unlimited.
TIMES: tuple[int | None, ...] = (1, 2, None)
#: Kinds whose recovery the rules require at every occurrence (a new token after each 1001,
#: a new session after each 1002) fire once per rule: fired without end, no client could
#: both recover every time and keep its retries bounded. Stacked rules still give a call at
#: most ``max_faults`` of them in a row, within what ``no-endless-retry`` allows.
ONCE = frozenset({"1001", "1002", "clock"})
#: 400 "missing X-Client-Id" (§3) answers a client that has no id yet: its first token call.
#: On a later call (a refresh after 1001) "generate an id" (§3) and "refresh with the same
#: id" (token-refresh) would contradict each other.
FIRST_CALL = frozenset({"400"})
MAX_AGENT_SEED = 1000


def fault_schedules(
    max_faults: int = 4,
    operations: Sequence[str] = DEFAULT_OPERATIONS,
    *,
    max_nth: int = MAX_NTH,
    max_agent_seed: int = MAX_AGENT_SEED,
) -> st.SearchStrategy[FaultSchedule]:
    """Schedules of up to ``max_faults`` faults on ``operations`` (operationIds of the
    contract), each rule valid for the mock, plus an agent seed in ``[0, max_agent_seed]``."""
    if max_faults < 0:
        raise ValueError(f"max_faults is 0 or more, not {max_faults}")
    if not operations:
        raise ValueError("give at least one operation")
    unknown = unknown_operations(operations)
    if unknown:
        raise ValueError(f"unknown operation(s) {', '.join(unknown)}")
    faults = st.lists(fault_rules(operations, max_nth=max_nth), max_size=max_faults)
    return st.builds(
        FaultSchedule,
        faults=faults.map(tuple),
        agent_seed=st.integers(0, max_agent_seed),
    )


def fault_rules(
    operations: Sequence[str] = DEFAULT_OPERATIONS, *, max_nth: int = MAX_NTH
) -> st.SearchStrategy[FaultRule]:
    """One rule: an operation, a fault valid there, which call, how often."""
    return st.sampled_from(tuple(operations)).flatmap(lambda op: _rules_on(op, max_nth))


def _rules_on(operation: str, max_nth: int) -> st.SearchStrategy[FaultRule]:
    kinds = tuple(KINDS[name] for name in kinds_for(operation))
    return st.sampled_from(kinds).flatmap(lambda kind: _rules_of(operation, kind, max_nth))


def _rules_of(operation: str, kind: Kind, max_nth: int) -> st.SearchStrategy[FaultRule]:
    times = (1,) if kind.name in ONCE else TIMES
    nth = st.just(1) if kind.name in FIRST_CALL else nth_draws(operation, max_nth)
    return st.builds(_rule, st.just(operation), _actions(kind), nth, st.sampled_from(times))


def nth_draws(operation: str, max_nth: int = MAX_NTH) -> st.SearchStrategy[int]:
    """Which call (``nth``) a fault on ``operation`` hits; shrinks toward the first."""
    top = max(1, max_nth)
    if operation in ONCE_PER_FLOW:
        return st.sampled_from(tuple(n for n in NTH_ONCE_PER_FLOW if n <= top))
    return st.integers(1, top)


def _actions(kind: Kind) -> st.SearchStrategy[dict[str, Any]]:
    """The kind's action, each parameter list drawn simplest (first) first; a ``False``
    flag is left out (``abort: false`` is no ``abort``)."""
    fields = {
        key: st.sampled_from(value) if isinstance(value, tuple) else st.just(value)
        for key, value in kind.action.items()
    }
    return st.fixed_dictionaries(fields).map(
        lambda action: {key: value for key, value in action.items() if value is not False}
    )


def _rule(operation: str, action: dict[str, Any], nth: int, times: int | None) -> FaultRule:
    return FaultRule.model_validate(
        {"operation": operation, "nth": nth, "times": times, "action": action}
    )
