"""``fault_schedules()``: only valid rules, and shrinking toward fewer and simpler faults."""

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from nemo_mock.client_tests.explore.schedule import FaultSchedule
from nemo_mock.client_tests.explore.strategies import FIRST_CALL, ONCE, fault_rules, fault_schedules
from nemo_mock.client_tests.explore.vocabulary import (
    DEFAULT_OPERATIONS,
    KINDS,
    KINDS_BY_OPERATION,
    kind_of,
    kinds_for,
)
from nemo_mock.client_tests.harness.runner import rule_document
from nemo_mock.mock_server.faults.actions import RENDER_KINDS, SSE_KINDS
from nemo_mock.mock_server.faults.rules import FaultRule

QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(fault_schedules())
def test_every_drawn_rule_is_a_valid_rule_of_the_mock(schedule):
    assert isinstance(schedule, FaultSchedule)
    assert len(schedule.faults) <= 4
    for rule in schedule.faults:
        document = rule_document(rule)  # as the control plane and scenario files take it
        assert FaultRule.model_validate(document) == rule
        assert rule.operation in DEFAULT_OPERATIONS
        kind = kind_of(rule.action)
        assert kind is not None and kind.name in kinds_for(rule.operation)
        assert rule.nth is not None and 1 <= rule.nth <= 3


@QUICK
@given(fault_rules())
def test_stream_faults_go_to_run_sse_and_render_faults_to_render_starts(rule):
    if rule.action.kind in SSE_KINDS:
        assert rule.operation == "runSse"
    if rule.action.kind in RENDER_KINDS:
        assert rule.operation == "startRender"


@QUICK
@given(fault_rules())
def test_faults_recovered_at_every_occurrence_fire_once_and_400_only_on_the_first_call(rule):
    kind = kind_of(rule.action)
    assert kind is not None
    if kind.name in ONCE:
        assert rule.times == 1
    if kind.name in FIRST_CALL:
        assert rule.nth == 1


def test_the_vocabulary_has_every_documented_error_and_every_fault_kind():
    errors = set()
    for kind in KINDS.values():
        code = kind.action.get("error")
        errors |= set(code) if isinstance(code, tuple) else {code}
    assert {1002, 2001, 402, 4001, 4002, 400, 429, 500, 503} <= errors
    assert KINDS["1001"].action == {"expire_token": True}
    every = {name for kinds in KINDS_BY_OPERATION.values() for name in kinds}
    assert every == set(KINDS)
    actions = {next(iter(kind.action)) for kind in KINDS.values()}
    assert {
        "drop",
        "latency_ms",
        "cut_after",
        "silent",
        "heartbeats_only",
        "render_fail",
        "render_pending",
        "render_slow",
    } <= actions


def test_shrinking_goes_to_one_fault_the_simplest_and_seed_zero():
    found = find(fault_schedules(), lambda s: len(s.faults) >= 1)
    assert len(found.faults) == 1
    (rule,) = found.faults
    assert (rule.operation, rule.nth, rule.times) == ("createAnonymousToken", 1, 1)
    assert rule.action.error == 400  # the first kind of the first operation
    assert found.agent_seed == 0


def test_shrinking_keeps_only_the_fault_that_matters():
    def has_render_poll_1001(schedule):
        return (
            any(r.operation == "getRender" and r.action.expire_token for r in schedule.faults)
            and len(schedule.faults) >= 1
        )

    found = find(fault_schedules(), has_render_poll_1001, settings=settings(max_examples=5000))
    assert found == FaultSchedule.of(
        {"operation": "getRender", "nth": 1, "times": 1, "action": {"expire_token": True}}
    )


def test_shrinking_toward_fewer_faults_keeps_as_many_as_needed():
    found = find(fault_schedules(), lambda s: len(s.faults) >= 2)
    assert len(found.faults) == 2


@QUICK
@given(fault_schedules(max_faults=2, operations=["runSse"]))
def test_max_faults_and_operations_bound_the_schedule(schedule):
    assert len(schedule.faults) <= 2
    assert all(rule.operation == "runSse" for rule in schedule.faults)


def test_unknown_operations_and_negative_sizes_are_refused():
    with pytest.raises(ValueError, match="unknown operation"):
        fault_schedules(operations=["getEverything"])
    with pytest.raises(ValueError, match="0 or more"):
        fault_schedules(max_faults=-1)


def test_other_operations_get_the_generic_kinds():
    drawn = find(
        st.lists(fault_rules(["getCreditBalance"]), min_size=1), lambda rules: len(rules) >= 1
    )
    assert drawn[0].operation == "getCreditBalance"
    assert kind_of(drawn[0].action).name == "1001"


def test_calls_a_flow_makes_once_are_hit_on_their_first_call_most_often():
    from hypothesis import find

    from nemo_mock.client_tests.explore.strategies import NTH_ONCE_PER_FLOW, nth_draws

    assert find(nth_draws("runSse"), lambda n: True) == 1  # shrinks to the first call
    assert NTH_ONCE_PER_FLOW.count(1) / len(NTH_ONCE_PER_FLOW) > 0.5
    assert set(NTH_ONCE_PER_FLOW) == {1, 2, 3}
    assert find(nth_draws("runSse", max_nth=1), lambda n: True) == 1
    assert find(nth_draws("getRender"), lambda n: n == 3) == 3  # polled: any of 1..3
