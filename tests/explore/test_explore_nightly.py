"""The long explorations, in the nightly tier (``NEMO_NIGHTLY=1 ./dev test``).

* The reference client explores 50 schedules of the whole vocabulary and survives every
  one (the suite explores 10: test_explore_live.py).
* Each planted bug other than the render poll's (which the suite explores) is found by an
  exploration aimed at its operation and shrunk to one fault of its kind. Each costs 1.5-4
  minutes; they run one after another beside the reference exploration.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from nemo_mock.client_tests.explore.schedule import FaultSchedule
from nemo_mock.client_tests.explore.vocabulary import kind_of
from nemo_mock.client_tests.planted_bug_client import BUGS
from tests.explore.live_runs import (
    PLANTED,
    assert_survived,
    check_client,
    common_args,
    explore_reference,
    failed_cases,
)

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg, pytest.mark.slow, pytest.mark.nightly]

SCHEDULES = 50
#: Every planted bug but the render poll's 1001, which the suite explores already.
OTHER_BUGS = sorted(name for name, bug in BUGS.items() if bug.operation != "getRender")


@dataclass
class LongExplorations:
    root: Path
    reference: Future[subprocess.CompletedProcess[str]]
    bugs: dict[str, Future[subprocess.CompletedProcess[str]]]


@pytest.fixture(scope="module")
def explorations(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LongExplorations]:
    root = tmp_path_factory.mktemp("explore-nightly")
    common = common_args(root)

    def each_bug() -> None:
        for name, future in bugs.items():
            try:
                aim = ["--explore", "40", "--explore-operation", BUGS[name].operation]
                # Two faults at most: the failure found is small, so its shrink to the one
                # fault is a deletion or two, well within the budget on a loaded machine.
                aim += ["--max-faults", "2", "--shrink-time", "120"]
                future.set_result(check_client(PLANTED, root / name, *aim, *common, bug=name))
            except BaseException as exc:  # never leave a test waiting for ever
                future.set_exception(exc)

    bugs: dict[str, Future[subprocess.CompletedProcess[str]]] = {n: Future() for n in OTHER_BUGS}
    with ThreadPoolExecutor(2, thread_name_prefix="explore") as pool:
        reference = pool.submit(explore_reference, root, SCHEDULES, common)
        chained = pool.submit(each_bug)
        yield LongExplorations(root, reference, bugs)
        chained.result()


def test_the_reference_client_survives_fifty_schedules(explorations):
    report = explorations.root / "reference"
    assert_survived(explorations.reference.result(), report, SCHEDULES)


@pytest.mark.parametrize("name", OTHER_BUGS)
def test_each_planted_bug_is_found_and_shrunk_to_one_fault_of_its_kind(explorations, name):
    bug = BUGS[name]
    done = explorations.bugs[name].result()
    report = explorations.root / name
    assert done.returncode == 1, done.stdout[-3000:]
    schedule = FaultSchedule.from_yaml((report / "minimal-schedule.yaml").read_text("utf-8"))
    (rule,) = schedule.faults
    kind = kind_of(rule.action)
    assert rule.operation == bug.operation
    assert kind is not None and kind.name in bug.kinds, rule
    assert bug.broken <= failed_cases(report), (report / "table.txt").read_text("utf-8")
