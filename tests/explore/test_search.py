"""The search, on fake runs: it finds a planted bug, shrinks it to the one fault, stops the
other workers, keeps its examples, and never runs a schedule twice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from nemo_mock.client_tests.explore.schedule import FaultSchedule
from nemo_mock.client_tests.explore.search import Explorer, ExploreSettings, _only_unfired_removed
from tests.explore.fakes import FakeRuns

PLANTED = FaultSchedule.of(
    {"operation": "getRender", "nth": 1, "times": 1, "action": {"expire_token": True}}
)


def explore(runs: FakeRuns, **settings) -> tuple[Explorer, object]:
    explorer = Explorer(runs, ExploreSettings(**{"examples": 200, **settings}), echo=lambda _: None)
    return explorer, explorer.explore()


def test_a_planted_bug_is_found_and_shrunk_to_the_one_fault_that_triggers_it():
    runs = FakeRuns()
    _, outcome = explore(runs, seed=0, jobs=2)
    assert not outcome.ok
    assert outcome.minimal.schedule == PLANTED
    assert outcome.reproduced
    assert runs.names[-1] == "minimal-schedule"  # re-run on its own for its evidence


def test_a_correct_client_passes_every_schedule_and_each_is_counted():
    runs = FakeRuns(buggy=False)
    _, outcome = explore(runs, examples=40, seed=3, jobs=2)
    assert outcome.ok and outcome.minimal is None
    assert outcome.explored == 40
    assert outcome.runs == len(runs.names) == outcome.distinct <= 40
    assert sum(outcome.endings.values()) == outcome.runs


def test_the_same_seed_draws_the_same_schedules():
    first, second = FakeRuns(buggy=False), FakeRuns(buggy=False)
    _, a = explore(first, examples=15, seed=5, jobs=1)
    _, b = explore(second, examples=15, seed=5, jobs=1)
    assert a.fired == b.fired and a.endings == b.endings


def test_a_failure_stops_the_other_workers_at_their_next_schedule():
    runs = FakeRuns()
    _, outcome = explore(runs, examples=400, seed=0, jobs=2)
    searched = [n for n in runs.names if n.startswith("explore-")]
    assert len(searched) < 400
    assert outcome.explored <= len(searched) + 2


def test_the_example_database_replays_a_failure_first(tmp_path: Path):
    database = tmp_path / ".hypothesis"
    explore(FakeRuns(), seed=0, jobs=1, database=database)
    assert database.is_dir()
    again = FakeRuns()
    _, outcome = explore(again, seed=99, jobs=1, database=database)
    assert outcome.minimal.schedule == PLANTED
    assert again.names[0] == "explore-0-001"
    assert len([n for n in again.names if n.startswith("explore-")]) == 1  # found at once


def test_a_shrink_budget_of_zero_reports_the_first_failure_unshrunk():
    runs = FakeRuns()
    _, outcome = explore(runs, seed=0, jobs=1, shrink_seconds=0)
    assert outcome.minimal.schedule == outcome.first.schedule
    assert not [n for n in runs.names if n.startswith("shrink-")]


def test_leaving_out_rules_that_never_fired_is_known_without_a_run():
    a, b, c = (
        FaultSchedule.of(spec).faults[0]
        for spec in (
            "operation=getRender error=500",
            "operation=runSse silent",
            "operation=createSession latency=300",
        )
    )
    ran = FaultSchedule((a, b, c))
    assert _only_unfired_removed(ran, FaultSchedule((b, c)), fired=frozenset({1}))
    assert not _only_unfired_removed(ran, FaultSchedule((b, c)), fired=frozenset({0}))
    assert not _only_unfired_removed(ran, FaultSchedule((a, b)), fired=frozenset())  # latency
    assert not _only_unfired_removed(ran, FaultSchedule((b, a, c)), fired=frozenset())  # order


def test_a_run_that_cannot_be_made_breaks_the_exploration_off_and_is_not_shrunk():
    calls = []

    def broken(schedule, name):
        calls.append(name)
        raise RuntimeError("the mock printed no NEMO_API_URL line")

    explorer = Explorer(broken, ExploreSettings(examples=20, jobs=2), echo=lambda _: None)
    outcome = explorer.explore()
    assert not outcome.ok and outcome.minimal is None
    assert outcome.error == "RuntimeError: the mock printed no NEMO_API_URL line"
    assert not [n for n in calls if n.startswith("shrink-")]


def test_a_fault_that_changed_nothing_in_front_of_the_trigger_is_left_out():
    noise = {"operation": "createSession", "nth": 1, "times": 1, "action": {"error": 1002}}
    both = FaultSchedule.of(noise, *PLANTED.faults)
    runs = FakeRuns()
    explorer = Explorer(runs, ExploreSettings(examples=1), echo=lambda _: None)
    found = runs(both, "found")
    assert not found.ok and found.fired() == {0, 1}
    single = explorer._single_fault(found)
    assert single.schedule == PLANTED
    assert not single.ok
    assert runs.names[-1] == "single-002"  # the noise alone passed, the trigger alone failed


def test_a_verdict_known_from_a_larger_schedule_is_reduced_too():
    """A memo verdict (``_known``) keeps the larger run's journal: its rule numbers (f2, f3)
    are not positions in the smaller schedule."""
    unfired = {"operation": "getRender", "nth": 3, "times": 1, "action": {"error": 500}}
    noise = {"operation": "createSession", "nth": 1, "times": 1, "action": {"error": 1002}}
    runs = FakeRuns()
    explorer = Explorer(runs, ExploreSettings(examples=1), echo=lambda _: None)
    ran = runs(FaultSchedule.of(unfired, noise, *PLANTED.faults), "ran")
    assert ran.fired() == {1, 2}
    known = replace(ran, schedule=FaultSchedule.of(noise, *PLANTED.faults))
    assert explorer._single_fault(known).schedule == PLANTED


def test_a_single_fault_schedule_is_kept_without_a_run():
    runs = FakeRuns()
    explorer = Explorer(runs, ExploreSettings(examples=1), echo=lambda _: None)
    one = runs(PLANTED, "one")
    assert explorer._single_fault(one) is one
    assert runs.names == ["one"]
