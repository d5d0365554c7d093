"""The search: hypothesis draws fault schedules, each one is run (a mock reset and seeded
for it, the client, the judge), and the first failure is shrunk by hypothesis to the
smallest schedule that still fails.

* **Parallel.** ``jobs`` worker threads each run an independent hypothesis search (their
  own seed, derived from ``seed``; ``examples / jobs`` schedules each). Runs are processes
  (the mock and the client), so threads are enough. They share one example database (a
  directory, in the report folder), so a failure found once is tried first next time.
* **Stop, then shrink.** When a run fails, the other workers stop at their next schedule
  and the worker that found it lets hypothesis shrink it: fewer faults, simpler faults,
  seed 0 (see ``strategies``). After ``shrink_seconds`` of shrinking, schedules not run yet
  count as passing, so hypothesis ends with the smallest failure found so far (hypothesis
  itself stops after 5 minutes, ``MAX_SHRINKING_SECONDS``).
* **No run twice.** Every verdict is kept by schedule. A schedule that is an earlier one
  without some of its rules that never fired (nor latency rules, which the journal may not
  name) gets that verdict without a run: a rule that never fired changed nothing (the mock
  picks the oldest due rule; one that is never due takes no one's turn). This is what makes
  shrinking affordable with runs that take seconds.
* **Confirmed.** The smallest failing schedule is run once more on its own; its journal is
  the evidence in the report, and whether it failed again says whether the failure
  reproduces.

Reproducible: the same ``seed``, ``jobs``, ``examples`` and client give the same schedules
(runs in parallel finish in any order, so which worker stops first may vary).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from nemo_mock.client_tests.explore.excuses import action_of
from nemo_mock.client_tests.explore.judged import ExploredResult
from nemo_mock.client_tests.explore.schedule import FaultSchedule
from nemo_mock.client_tests.explore.vocabulary import DEFAULT_OPERATIONS, kind_of

if TYPE_CHECKING:
    from hypothesis.database import ExampleDatabase

RunSchedule = Callable[[FaultSchedule, str], ExploredResult]
MINIMAL_NAME = "minimal-schedule"


@dataclass(frozen=True)
class ExploreSettings:
    #: How many schedules to draw (over all workers).
    examples: int
    seed: int = 0
    jobs: int = 2
    max_faults: int = 4
    operations: tuple[str, ...] = DEFAULT_OPERATIONS
    #: Hypothesis's example database (a directory); ``None``: none.
    database: Path | None = None
    #: Added to the database key, so that different clients keep different examples.
    label: str = ""
    #: Seconds of shrinking, after which schedules not yet run count as passing (so the
    #: smallest failure found so far is reported).
    shrink_seconds: float = 300.0


@dataclass
class Exploration:
    settings: ExploreSettings
    #: Schedules judged while searching (not shrinking), and distinct ones.
    explored: int = 0
    distinct: int = 0
    #: Client runs in all (search, shrink, confirmation).
    runs: int = 0
    seconds: float = 0.0
    #: The first failure found, and the smallest one after shrinking (re-run on its own).
    first: ExploredResult | None = None
    minimal: ExploredResult | None = None
    #: Whether the smallest schedule failed again when re-run on its own.
    reproduced: bool = True
    #: Fault kinds that fired, and how the passing runs ended, over every run.
    fired: Counter[str] = field(default_factory=Counter)
    endings: Counter[str] = field(default_factory=Counter)
    #: Why the exploration could not go on (a mock that would not start…), if it broke.
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.first is None and self.error is None


class _Stopped(BaseException):
    """Another worker found a failure: end this search (not a failure for hypothesis)."""


class _Broken(BaseException):
    """A run could not be made (not the client's failure): end every search."""


class ScheduleFailed(AssertionError):
    def __init__(self, result: ExploredResult) -> None:
        schedule = result.schedule.summary() if result.schedule else "?"
        super().__init__(f"{', '.join(result.failures())} under {schedule}")
        self.result = result


@dataclass
class _Worker:
    index: int
    examples: int
    found: ExploredResult | None = None
    smallest: ExploredResult | None = None
    judged: int = 0
    #: When shrinking began (``time.monotonic``).
    shrinking_since: float = 0.0

    def out_of_time(self, budget: float) -> bool:
        return self.found is not None and time.monotonic() - self.shrinking_since > budget


class Explorer:
    def __init__(
        self, run: RunSchedule, settings: ExploreSettings, echo: Callable[[str], None] = print
    ) -> None:
        self.run = run
        self.settings = settings
        self.echo = echo
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._verdicts: dict[FaultSchedule, ExploredResult] = {}
        #: Schedules being run now: another worker drawing one waits for its verdict.
        self._running: dict[FaultSchedule, threading.Event] = {}
        self._names = Counter[str]()
        self.outcome = Exploration(settings)

    def explore(self) -> Exploration:
        started = time.monotonic()
        workers = _split(self.settings.examples, max(1, self.settings.jobs))
        threads = [
            threading.Thread(target=self._search, args=(w,), name=f"explore-{w.index}")
            for w in workers
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.outcome.explored = sum(w.judged for w in workers)
        self.outcome.distinct = len(self._verdicts)
        failing = [w.smallest for w in workers if w.smallest is not None]
        if failing and self.outcome.error is None:
            self.outcome.first = next(w.found for w in workers if w.found is not None)
            smallest = self._single_fault(min(failing, key=_size))
            self.outcome.minimal, self.outcome.reproduced = self._confirm(smallest)
        self.outcome.seconds = time.monotonic() - started
        return self.outcome

    # ------------------------------------------------------------------ one worker

    def _search(self, worker: _Worker) -> None:
        from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
        from hypothesis.errors import Flaky

        from nemo_mock.client_tests.explore.strategies import fault_schedules

        strategy = fault_schedules(self.settings.max_faults, self.settings.operations)

        def probe(schedule: FaultSchedule) -> None:
            self._probe(worker, schedule)

        probe._hypothesis_internal_add_digest = self._digest()  # type: ignore[attr-defined]
        search = settings(
            max_examples=worker.examples,
            database=self._database(),
            deadline=None,
            suppress_health_check=list(HealthCheck),
            verbosity=Verbosity.quiet,
            report_multiple_bugs=False,
            print_blob=False,
            phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
        )(seed(self.settings.seed * 1_000 + worker.index)(given(strategy)(probe)))
        try:
            search()
        except (ScheduleFailed, _Stopped, _Broken):
            pass
        except Flaky as exc:  # a schedule failed, then passed: report what did fail
            self.echo(f"  worker {worker.index}: the failure did not always reproduce ({exc})")

    def _probe(self, worker: _Worker, schedule: FaultSchedule) -> None:
        """One example of a worker's search: judge the schedule, raise if it fails."""
        shrinking = worker.found is not None
        if self.outcome.error is not None or (self.stop.is_set() and not shrinking):
            raise _Stopped
        if not shrinking:
            worker.judged += 1
        result: ExploredResult | None
        if worker.out_of_time(self.settings.shrink_seconds):
            result = self._known(schedule)  # no more runs: only what is known
        else:
            prefix = f"{'shrink' if shrinking else 'explore'}-{worker.index}"
            try:
                result = self._judge(schedule, prefix)
            except Exception as exc:  # the harness broke, not the client: never shrink it
                with self._lock:
                    self.outcome.error = self.outcome.error or f"{type(exc).__name__}: {exc}"
                self.stop.set()
                raise _Broken from exc
        if result is None or result.ok:
            return
        if worker.found is None:
            worker.found, worker.shrinking_since = result, time.monotonic()
            self.stop.set()
        if worker.smallest is None or _size(result) <= _size(worker.smallest):
            worker.smallest = result
        raise ScheduleFailed(result)

    def _judge(self, schedule: FaultSchedule, prefix: str) -> ExploredResult:
        while True:
            known = self._known(schedule)
            if known is not None:
                return known
            with self._lock:
                running = self._running.get(schedule)
                if running is None:
                    self._running[schedule] = threading.Event()
                    self._names[prefix] += 1
                    name = f"{prefix}-{self._names[prefix]:03d}"
                    break
            running.wait()
        try:
            result = self.run(schedule, name)
        finally:
            with self._lock:
                self._running.pop(schedule).set()
        with self._lock:
            self._verdicts[schedule] = result
            self._count(result)
        verdict = "passed" if result.ok else "FAILED: " + ", ".join(result.failures())
        self.echo(
            f"  {name}: {verdict} in {result.run.seconds:.1f} s ({schedule.summary()}) — "
            f"{result.outcome.message}"
        )
        return result

    def _known(self, schedule: FaultSchedule) -> ExploredResult | None:
        """The verdict of this schedule, or of one it equals but for rules that never fired."""
        with self._lock:
            if schedule in self._verdicts:
                return self._verdicts[schedule]
            for ran, result in self._verdicts.items():
                if ran.agent_seed == schedule.agent_seed and _only_unfired_removed(
                    ran, schedule, result.fired()
                ):
                    # the verdict, under this schedule's name; the journal is the run's
                    # (the smallest failure is re-run on its own for its evidence)
                    return replace(result, schedule=schedule)
        return None

    def _count(self, result: ExploredResult) -> None:
        self.outcome.runs += 1
        for entry in result.entries:
            action = action_of(entry)
            kind = kind_of(action) if action is not None else None
            if kind is not None:
                self.outcome.fired[kind.name] += 1
        if result.ok:
            ending = result.outcome.message.split(" ", 1)[0]  # "an", "stopped", "gave"
            self.outcome.endings[_ENDINGS.get(ending, ending)] += 1

    def _single_fault(self, smallest: ExploredResult) -> ExploredResult:
        """Each of the schedule's rules, alone (same agent seed): the first that fails on
        its own is the smaller schedule. Hypothesis may keep a fault that changed nothing in
        front of the one that matters (it tries simpler kinds in the second place, not
        deleting the first); this is at most ``max_faults`` runs. Every rule is tried, not
        only those that fired: a verdict known from a larger schedule (``_known``) carries
        that schedule's journal, whose rule numbers are not this schedule's positions."""
        schedule = smallest.schedule
        if schedule is None or len(schedule.faults) < 2:
            return smallest
        for rule in schedule.faults:
            alone = FaultSchedule(faults=(rule,), agent_seed=schedule.agent_seed)
            try:
                result = self._judge(alone, "single")
            except Exception as exc:  # the harness broke: keep what hypothesis found
                self.echo(f"  could not run {alone.summary()} alone: {exc}")
                return smallest
            if not result.ok:
                return result
        return smallest

    def _confirm(self, smallest: ExploredResult) -> tuple[ExploredResult, bool]:
        assert smallest.schedule is not None
        self.echo(f"re-running the smallest failing schedule: {smallest.schedule.summary()}")
        again = self.run(smallest.schedule, MINIMAL_NAME)
        with self._lock:
            self.outcome.runs += 1
        return (again, True) if not again.ok else (smallest, False)

    def _database(self) -> ExampleDatabase | None:
        if self.settings.database is None:
            return None
        from hypothesis.database import DirectoryBasedExampleDatabase

        return DirectoryBasedExampleDatabase(self.settings.database)

    def _digest(self) -> bytes:
        s = self.settings
        words = f"{s.label}|{s.max_faults}|{','.join(s.operations)}"
        return hashlib.sha256(words.encode()).digest()


_ENDINGS = {"an": "mp4", "stopped": "refusal", "gave": "gave up"}


def _split(examples: int, jobs: int) -> list[_Worker]:
    jobs = max(1, min(jobs, examples)) if examples else 1
    shares = [examples // jobs + (1 if i < examples % jobs else 0) for i in range(jobs)]
    return [_Worker(i, share) for i, share in enumerate(shares)]


def _size(result: ExploredResult) -> tuple[int, int, str]:
    schedule = result.schedule or FaultSchedule()
    return len(schedule.faults), schedule.agent_seed, repr(schedule)


def _only_unfired_removed(
    ran: FaultSchedule, schedule: FaultSchedule, fired: frozenset[int]
) -> bool:
    """``schedule`` is ``ran`` with some rules left out, each of which never fired and is
    not a latency rule (a latency rule joining another fault is not named by the journal)."""
    kept = iter(schedule.faults)
    wanted = next(kept, None)
    for position, rule in enumerate(ran.faults):
        if wanted is not None and rule == wanted:
            wanted = next(kept, None)
        elif position in fired or rule.action.kind == "latency" or rule.action.latency_ms:
            return False
    return wanted is None
