"""How many schedules ``check-client --explore`` needs to find a single-fault bug, over the
whole fault vocabulary against aimed at the bug's operation (``--explore-operation``).

A model of the reference client's flow stands in for the client (microseconds a run), and
the mock's own ``FaultBook`` decides which fault each call meets, so the real strategy and
the real search are measured. The model recovers as the reference client does (a new token
after 1001, one retry after 429, a new session after 1002, carries on after stream faults,
one new render after a failure) and stops where it does (a dropped connection, 5xx, a
refusal, a stuck render). Its one bug: a target fault kind on a target operation fails it.

For each target, the search runs with ``--seeds`` seeds (one job, no shrinking) and the
number of schedules it judged until the failure is taken (``--examples`` when it never
found it). Printed: the median, the share of seeds that found it within 50 schedules, and
the ratio of the medians (whole / aimed).

    python bench/explore_bench.py [--seeds 12] [--examples 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

from nemo_mock.client_tests.explore.judged import ExploredResult
from nemo_mock.client_tests.explore.schedule import FaultSchedule
from nemo_mock.client_tests.explore.search import Explorer, ExploreSettings
from nemo_mock.client_tests.explore.vocabulary import DEFAULT_OPERATIONS, kind_of
from nemo_mock.client_tests.harness.outcome import ClientRun, OutcomeVerdict
from nemo_mock.mock_server.faults.actions import FaultAction
from nemo_mock.mock_server.faults.rules import FaultBook, RequestFacts
from nemo_mock.mock_server.journal.entry import FaultRecord, JournalEntry

#: (operation, fault kind) pairs a planted bug might hide behind.
TARGETS = (
    ("getRender", "1001"),
    ("uploadFiles", "429"),
    ("startRender", "render_fail"),
    ("getSessionState", "1002"),
    ("runSse", "silent"),
    ("runSse", "cut"),
)
STOPS = frozenset({"drop", "render_pending", "5xx", "2001", "402", "4001", "4002"})
FOUND_WITHIN = 50


class Stop(Exception):
    """The model client stops (a fault with no recovery, a refusal, a defeated recovery)."""


class Bug(Exception):
    """The planted bug fired."""


class SessionLost(Exception):
    """The model client's session was lost (1002): it starts over on a new one."""


class ModelClient:
    def __init__(self, schedule: FaultSchedule, target: tuple[str, str]) -> None:
        self.book = FaultBook(random.Random(0))
        for rule in schedule.faults:
            self.book.add(rule)
        self.target = target
        self.entries: list[JournalEntry] = []

    def call(self, operation: str, *, retried: bool = False) -> str | None:
        """One call; the fault kind it met after the model's recovery, if any."""
        firing = self.book.decide(RequestFacts("GET", f"/{operation}", operation)).main
        action = firing.action if firing else None
        self._journal(operation, firing.rule_id if firing else None, action)
        kind = kind_of(action) if action is not None else None
        name = kind.name if kind is not None else None
        if name is None or name == "latency":
            return None
        if (operation, name) == self.target:
            raise Bug(f"{name} on {operation}")
        if name in STOPS or (retried and name in ("429", "1001", "clock", "400")):
            raise Stop(name)
        if name in ("1001", "clock"):
            self.call("createAnonymousToken")
            self.call(operation, retried=True)
        elif name in ("429", "400"):
            self.call(operation, retried=True)
        return name

    def play(self) -> None:
        self.call("createAnonymousToken")
        for _ in range(3):  # up to two new sessions
            try:
                self._session()
                return
            except SessionLost:
                continue
        raise Stop("1002")

    def _session(self) -> None:
        for operation in ("createSession", "uploadFiles", "getSessionState", "runSse"):
            self._lost_on(operation)
        self._lost_on("getSessionState")
        for _ in range(2):  # one new render after a failure
            if self._lost_on("startRender") == "render_fail":
                continue
            for _ in range(2):
                self.call("getRender")
            return

    def _lost_on(self, operation: str) -> str | None:
        met = self.call(operation)
        if met == "1002":
            raise SessionLost
        return met

    def _journal(self, operation: str, rule: str | None, action: FaultAction | None) -> None:
        fault = FaultRecord(rule=rule, action=action.summary()) if rule and action else None
        self.entries.append(
            JournalEntry(
                seq=len(self.entries) + 1, at="t", at_ms=len(self.entries), duration_ms=1,
                method="GET", path=f"/{operation}", operation=operation, fault=fault,
            )
        )  # fmt: skip


def model_runs(target: tuple[str, str]):  # type: ignore[no-untyped-def]
    def run(schedule: FaultSchedule, name: str) -> ExploredResult:
        client = ModelClient(schedule, target)
        try:
            client.play()
            ok, words = True, "an MP4"
        except Stop as stop:
            ok, words = True, f"gave up on {stop}"
        except Bug as bug:
            ok, words = False, f"the bug: {bug}"
        return ExploredResult(
            schedule.to_scenario(name), {}, OutcomeVerdict(ok, words),
            ClientRun(0 if ok else 1, Path("out.mp4"), 0.0), client.entries,
            Path("client.log"), schedule=schedule,
        )  # fmt: skip

    return run


def schedules_to_find(target: tuple[str, str], seed: int, examples: int, aimed: bool) -> int:
    operations = (target[0],) if aimed else DEFAULT_OPERATIONS
    settings = ExploreSettings(
        examples=examples, seed=seed, jobs=1, shrink_seconds=0.0, operations=operations
    )
    outcome = Explorer(model_runs(target), settings, echo=lambda _: None).explore()
    return outcome.explored if not outcome.ok else examples


def measure(target: tuple[str, str], seeds: int, examples: int, aimed: bool) -> list[int]:
    return [schedules_to_find(target, seed, examples, aimed) for seed in range(seeds)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=12)
    parser.add_argument("--examples", type=int, default=200)
    args = parser.parse_args()
    print(f"schedules until a single-fault bug is found ({args.seeds} seeds, one job)")
    print(f"{'target':<28} {'whole: median':>14} {'≤50':>5} {'aimed: median':>14} {'≤50':>5} ratio")
    ratios = []
    for target in TARGETS:
        whole = measure(target, args.seeds, args.examples, aimed=False)
        aimed = measure(target, args.seeds, args.examples, aimed=True)
        w, a = statistics.median(whole), statistics.median(aimed)
        ratios.append(w / a)
        print(
            f"{target[1] + ' on ' + target[0]:<28} {w:>14g} {share(whole):>5} {a:>14g} "
            f"{share(aimed):>5} {w / a:.2f}"
        )
    print(f"geometric mean of the ratios: {statistics.geometric_mean(ratios):.2f}")
    return 0


def share(counts: list[int]) -> str:
    return f"{sum(c <= FOUND_WITHIN for c in counts) / len(counts):.0%}"


if __name__ == "__main__":
    sys.exit(main())
