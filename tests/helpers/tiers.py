"""The suite's tiers, and ``--tiers``: the whole suite as one session that runs them in turn.

A test's tier comes from its markers (``tests/helpers/order.py``, which hands the modules
out tier by tier, so the fast tests report first): ``nightly`` (the long explorations), else
``slow`` (whole renders, long client runs), else ``live`` (real servers on free ports, real
client processes), else ``fast`` (in process).

``./dev test`` runs ``pytest --tiers`` once over every tier instead of once per tier: every
worker collects once instead of three times, and no worker waits at the end of a tier for
the others before the next tier's session starts (about ten seconds of the suite's six
minutes). What the separate sessions gave is kept:

- a broken build still fails in a minute: a fast test that fails stops the session (no
  more modules are handed out; those running finish), and the live and slow tests are not
  run, as when the fast tier's session failed;
- the summary says when each tier's last test ended, counted from the session's start.

With ``--dist loadfile`` it also hands a worker its next module only when the one it runs is
down to its last test (``pytest_xdist_make_scheduler``), so that a long module never waits
on a worker behind another.

Each report carries its test's tier (``report.tier``, which pytest-xdist carries from the
workers to the controller as it carries any attribute of a report).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Generator
from typing import Any

import pytest

from tests.helpers.order import TIERS, tier_of


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--tiers",
        action="store_true",
        help="nemo-mock: stop when a fast test fails (the tiers run in turn: fast, live, "
        "slow), and say when each tier ended",
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, Any, None]:
    outcome = yield
    outcome.get_result().tier = TIERS[tier_of(item)]


class TierClock:
    """On the controller (or a session without workers): when each tier's last report came,
    how many tests each ran, and the stop when a fast test fails."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.started = time.monotonic()
        self.ended: dict[str, float] = {}
        self.tests: Counter[str] = Counter()
        self.stopped: str | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        tier = getattr(report, "tier", None)
        if tier not in TIERS:
            return
        self.ended[tier] = time.monotonic() - self.started
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.tests[tier] += 1
        if report.failed and tier == TIERS[0] and self.stopped is None:
            self.stop(f"a fast test failed ({report.nodeid}): the later tiers are not run")

    def stop(self, why: str) -> None:
        self.stopped = why
        dsession = self.config.pluginmanager.getplugin("dsession")
        if dsession is not None:  # pytest-xdist's controller: hands out no more modules
            dsession.shouldstop = why
        else:
            self.config.pluginmanager.getplugin("session").shouldstop = why  # type: ignore[union-attr]

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.ended:
            return
        said = ", ".join(
            f"{tier} ended at {_minutes(self.ended[tier])} ({self.tests[tier]} tests)"
            for tier in TIERS
            if tier in self.ended
        )
        terminalreporter.write_line(f"tiers: {said}")
        if self.stopped:
            terminalreporter.write_line(f"tiers: stopped, {self.stopped}")


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    worker = hasattr(config, "workerinput")  # a pytest-xdist worker reports to the controller
    if config.getoption("tiers") and not worker:
        config.pluginmanager.register(TierClock(config), "nemo-tier-clock")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``--tiers`` and ``--dist loadfile``: ``OneModuleAhead``."""
    if not config.getoption("tiers") or config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class OneModuleAhead(LoadFileScheduling):  # type: ignore[misc]
        """loadfile, but a worker gets its next module only when the one it runs is down to
        its last test (which a worker holds until it knows the test after it). xdist's own
        mark is two tests: a module of two long tests took the next module in the queue
        with it at once, and the 55-second wedding export waited 116 s on one worker behind
        the Schemathesis module while the others ran out of work."""

        def _reschedule(self, node: Any) -> None:
            if node.shutting_down:
                return
            if not self.workqueue:
                node.shutdown()
                return
            if self._pending_of(self.assigned_work[node]) > 1:
                return
            self._assign_work_unit(node)

    return OneModuleAhead(config, log)
