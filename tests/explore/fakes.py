"""A fake client run for the search's tests: the mock's own ``FaultBook`` decides which
fault each call of a fixed flow meets, and a planted bug fails on a 1001 while polling."""

from __future__ import annotations

import random
import threading
from pathlib import Path

from nemo_mock.client_tests.explore.judged import ExploredResult
from nemo_mock.client_tests.explore.schedule import FaultSchedule
from nemo_mock.client_tests.harness.outcome import ClientRun, OutcomeVerdict
from nemo_mock.mock_server.faults.actions import FaultAction
from nemo_mock.mock_server.faults.rules import FaultBook, RequestFacts
from nemo_mock.mock_server.journal.entry import FaultRecord, JournalEntry

FLOW = (
    "createAnonymousToken",
    "createSession",
    "uploadFiles",
    "getSessionState",
    "runSse",
    "getSessionState",
    "startRender",
    "getRender",
    "getRender",
)
STOPS = ("drop", "render_pending")


class FakeRuns:
    """``run(schedule, name)``: a verdict in microseconds; counts the runs it made."""

    def __init__(self, buggy: bool = True) -> None:
        self.buggy = buggy
        self.names: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, schedule: FaultSchedule, name: str) -> ExploredResult:
        with self._lock:
            self.names.append(name)
        book = FaultBook(random.Random(0))
        for rule in schedule.faults:
            book.add(rule)
        entries: list[JournalEntry] = []
        ok, words = self._play(book, entries)
        scenario = schedule.to_scenario(name)
        run = ClientRun(0 if ok else 1, Path("out.mp4"), 0.1)
        verdict = OutcomeVerdict(ok, words)
        return ExploredResult(
            scenario, {}, verdict, run, entries, Path("client.log"), schedule=schedule
        )

    def _play(self, book: FaultBook, entries: list[JournalEntry]) -> tuple[bool, str]:
        def call(operation: str) -> FaultAction | None:
            firing = book.decide(RequestFacts("GET", f"/{operation}", operation)).main
            record = (
                FaultRecord(rule=firing.rule_id, action=firing.action.summary()) if firing else None
            )
            entries.append(
                JournalEntry(
                    seq=len(entries) + 1,
                    at="t",
                    at_ms=len(entries),
                    duration_ms=1,
                    method="GET",
                    path=f"/{operation}",
                    operation=operation,
                    fault=record,
                )
            )
            return firing.action if firing else None

        for operation in FLOW:
            action = call(operation)
            if action is None or action.kind == "latency":
                continue
            if action.kind in STOPS or (action.error or 0) in range(500, 600):
                return True, "gave up"
            if action.expire_token:
                if operation == "getRender" and self.buggy:
                    return False, "exit 1 after 1001 while polling"
                call("createAnonymousToken")
                call(operation)
        return True, "an MP4"
