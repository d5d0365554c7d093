"""When rules fire: counted matches, nth/every/probability schedules, times, and order."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from nemo_mock.mock_server.faults.actions import FaultAction
from nemo_mock.mock_server.faults.rules import FaultBook, FaultRule, RequestFacts

OPERATIONS = ["createSession", "runSse", "getSessionState", "startRender", "getRender"]
ERROR = {"error": 503}


def facts(operation, **more):
    return RequestFacts(method="POST", path=f"/{operation}", operation=operation, **more)


def rule(**fields):
    return FaultRule.model_validate({"action": ERROR, **fields})


def fired_ids(book, operations):
    """For each request, the ids of the rules that fired on it."""
    return [[f.rule_id for f in book.decide(facts(op)).firings] for op in operations]


schedules = st.one_of(
    st.builds(dict, nth=st.integers(1, 4)),
    st.builds(dict, every=st.integers(1, 3)),
    st.just({}),
)
times = st.one_of(st.integers(1, 3), st.none())


@settings(deadline=None)
@given(
    chosen=st.lists(st.tuples(schedules, times), min_size=1, max_size=len(OPERATIONS)),
    requests=st.lists(st.sampled_from(OPERATIONS), max_size=40),
)
def test_rules_on_different_operations_fire_exactly_as_scheduled(chosen, requests):
    book = FaultBook(random.Random(0))
    ids = {}
    for operation, (schedule, count) in zip(OPERATIONS, chosen, strict=False):
        ids[operation] = book.add(rule(operation=operation, times=count, **schedule)).rule_id
    observed = fired_ids(book, requests)
    for operation, (schedule, count) in zip(OPERATIONS, chosen, strict=False):
        matches = [i for i, op in enumerate(requests) if op == operation]
        expected = _scheduled(matches, schedule, count)
        got = [i for i, fired in enumerate(observed) if ids[operation] in fired]
        assert got == expected


def _scheduled(matches, schedule, count):
    """Independent statement of the schedule: which match indexes fire."""
    if "every" in schedule:
        due = [m for n, m in enumerate(matches, start=1) if n % schedule["every"] == 0]
    else:
        due = matches[schedule.get("nth", 1) - 1 :]
    return due if count is None else due[:count]


@settings(deadline=None)
@given(
    chosen=st.lists(st.tuples(st.integers(1, 3), times), min_size=2, max_size=4),
    requests=st.integers(0, 25),
)
def test_overlapping_rules_fire_one_at_a_time_oldest_first_each_exactly_its_count(chosen, requests):
    book = FaultBook(random.Random(0))
    rules = [book.add(rule(operation="runSse", nth=nth, times=count)) for nth, count in chosen]
    observed = fired_ids(book, ["runSse"] * requests)
    assert all(len(fired) <= 1 for fired in observed)
    fired_so_far = {r.rule_id: 0 for r in rules}
    for number, fired in enumerate(observed, start=1):
        due = [
            r
            for r in rules
            if number >= r.rule.nth
            and (r.rule.times is None or fired_so_far[r.rule_id] < r.rule.times)
        ]
        assert fired == ([due[0].rule_id] if due else [])
        for rule_id in fired:
            fired_so_far[rule_id] += 1
    for active in rules:
        assert active.fired == fired_so_far[active.rule_id]
        assert active.rule.times is None or active.fired <= active.rule.times


def test_a_rule_due_but_preempted_keeps_its_time_for_the_next_match():
    book = FaultBook(random.Random(0))
    first = book.add(rule(operation="runSse"))
    second = book.add(rule(operation="runSse"))
    assert fired_ids(book, ["runSse"] * 3) == [[first.rule_id], [second.rule_id], []]


def test_latency_rules_all_add_up_and_do_not_block_the_one_other_fault():
    book = FaultBook(random.Random(0))
    book.add(FaultRule.model_validate({"action": {"latency_ms": 100}}))
    book.add(FaultRule.model_validate({"action": {"latency_ms": 250}}))
    erroring = book.add(rule(operation="runSse"))
    decision = book.decide(facts("runSse"))
    assert decision.latency_ms == 350
    assert decision.main is not None and decision.main.rule_id == erroring.rule_id


def test_probability_draws_come_from_the_seeded_rng_and_replay():
    def run(seed):
        book = FaultBook(random.Random(seed))
        book.add(rule(operation="runSse", probability=0.5, times=None))
        return [bool(f) for f in fired_ids(book, ["runSse"] * 60)]

    assert run(7) == run(7)
    assert run(7) != run(8)
    assert 15 <= sum(run(7)) <= 45


def test_filters_all_have_to_agree():
    book = FaultBook(random.Random(0))
    target = book.add(
        rule(
            method="POST",
            path="/run*",
            operation="runSse",
            token="fp_0123456789abcdef",
            client_id="c1",
            session="42",
            times=None,
        )
    )
    full = dict(token="fp_0123456789abcdef", client_id="c1", session="42")
    assert book.decide(facts("runSse", **full)).main.rule_id == target.rule_id
    for key, wrong in (("token", "fp_ffffffffffffffff"), ("client_id", "c2"), ("session", "43")):
        assert book.decide(facts("runSse", **{**full, key: wrong})).main is None
    assert book.decide(RequestFacts("GET", "/runSse", "runSse", **full)).main is None


def test_sse_and_render_actions_only_ever_match_their_operation():
    book = FaultBook(random.Random(0))
    book.add(FaultRule.model_validate({"times": None, "action": {"silent": True}}))
    book.add(FaultRule.model_validate({"times": None, "action": {"render_pending": True}}))
    kinds = {op: book.decide(facts(op)).main for op in OPERATIONS}
    assert kinds["runSse"].action.kind == "silent"
    assert kinds["startRender"].action.kind == "render_pending"
    assert [op for op, firing in kinds.items() if firing is None] == [
        "createSession",
        "getSessionState",
        "getRender",
    ]


def test_listing_removing_and_resetting_rules():
    book = FaultBook(random.Random(0))
    one, two = book.add(rule()), book.add(rule())
    assert [a.rule_id for a in book.rules()] == ["f1", "f2"]
    assert book.remove(one.rule_id) is one and book.remove("f9") is None
    assert [a.rule_id for a in book.rules()] == [two.rule_id]
    book.reset("seed")
    assert book.rules() == [] and book.add(rule()).rule_id == "f1"


def test_an_action_has_exactly_one_kind():
    assert FaultAction.model_validate({"latency_ms": 5}).kind == "latency"
    assert FaultAction.model_validate({"error": 1001, "latency_ms": 5}).kind == "error"
