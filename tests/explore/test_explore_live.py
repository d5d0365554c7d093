"""``check-client --explore`` for real: mocks, clients, hypothesis, the reports, the replay.

Both explorations start with the first test and run side by side (each with its own
mocks); the planted schedule's replays follow the planted exploration at once, so the
module costs about as long as the planted exploration and its replays.

* The reference client explores 10 schedules of the whole vocabulary and survives every
  one: an MP4, a documented refusal, or a give-up the fault excuses, breaking no rule
  (the nightly tier explores 50, and the other planted bugs: test_explore_nightly.py).
* The planted-bug client explores the render poll (``getRender``), where the reference
  client breaks no rule: the search finds the bug, shrinks it to the one fault, and the
  replay of the written schedule fails again the same way, while the reference client
  passes it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from nemo_mock.client_tests.explore.schedule import FaultSchedule
from tests.explore.live_runs import (
    PLANTED,
    REFERENCE,
    TIMING,
    assert_survived,
    check_client,
    common_args,
    explore_reference,
    failed_cases,
)

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg, pytest.mark.slow]

#: Schedules the reference client explores in the suite (the nightly tier explores 50).
SCHEDULES = 10


@dataclass
class Explorations:
    root: Path
    reference: Future[subprocess.CompletedProcess[str]]
    planted: Future[subprocess.CompletedProcess[str]]
    #: The planted schedule replayed by the planted client, then by the reference client.
    replays: Future[tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]]


@pytest.fixture(scope="module")
def explorations(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Explorations]:
    """Both explorations at once; the replays start as soon as the planted one is done."""
    root = tmp_path_factory.mktemp("explore")
    common = common_args(root)

    def planted_then_replays() -> None:
        try:
            args = ["--explore", "20", "--explore-operation", "getRender", *common]
            planted.set_result(check_client(PLANTED, root / "planted", *args))
            replays.set_result(replay_both(root))
        except BaseException as exc:  # never leave a test waiting for ever
            for future in (planted, replays):
                if not future.done():
                    future.set_exception(exc)

    planted: Future[subprocess.CompletedProcess[str]] = Future()
    replays: Future[tuple[subprocess.CompletedProcess[str], ...]] = Future()
    with ThreadPoolExecutor(2, thread_name_prefix="explore") as pool:
        reference = pool.submit(explore_reference, root, SCHEDULES, common)
        chained = pool.submit(planted_then_replays)
        yield Explorations(root, reference, planted, replays)  # type: ignore[arg-type]
        chained.result()


def replay_both(root: Path) -> tuple[subprocess.CompletedProcess[str], ...]:
    schedule_file = root / "planted" / "minimal-schedule.yaml"
    if not schedule_file.is_file():
        return ()
    seed = FaultSchedule.from_yaml(schedule_file.read_text(encoding="utf-8")).agent_seed
    args = ["--scenario-file", str(schedule_file), "--seed", str(seed), *TIMING]
    return (
        check_client(PLANTED, root / "replay", *args),
        check_client(REFERENCE, root / "replay-reference", *args),
    )


def test_the_reference_client_survives_every_schedule(explorations):
    report = explorations.root / "reference"
    assert_survived(explorations.reference.result(), report, SCHEDULES)


def test_a_planted_bug_is_found_shrunk_to_its_one_fault_and_replayed(explorations):
    done = explorations.planted.result()
    report = explorations.root / "planted"
    assert done.returncode == 1, done.stdout[-3000:]
    schedule_file = report / "minimal-schedule.yaml"
    schedule = FaultSchedule.from_yaml(schedule_file.read_text(encoding="utf-8"))
    (rule,) = schedule.faults
    assert rule.operation == "getRender"
    assert rule.action.expire_token  # the vocabulary's 1001: the token expires for real
    evidence = (report / "report.md").read_text(encoding="utf-8")
    assert "(getRender) → 401 code 1001" in evidence  # the journal shows the mock's 1001
    found = failed_cases(report)
    assert {"token-refresh", "valid-outcome"} <= found

    replay = next(line for line in done.stdout.splitlines() if line.startswith("replay: "))
    assert replay.startswith(f"replay: nemo-mock check-client --scenario-file {schedule_file}")
    again, _ = explorations.replays.result()
    assert again.returncode == 1, again.stdout[-3000:]
    assert found - {"outcome"} <= failed_cases(explorations.root / "replay", "minimal-schedule")


def test_the_replay_of_the_planted_schedule_passes_the_reference_client(explorations):
    _, done = explorations.replays.result()
    assert done.returncode == 0, done.stdout[-3000:]
