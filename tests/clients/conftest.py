"""A session-wide book of client runs (``runs.RunBook``). Before the first live test,
every run that a selected test declares (``run_key`` parameters, or a ``needs_runs``
attribute on the test function) is started, the longest first, so that runs overlap."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.clients.runs import RunBook, RunKey

#: Runs that wait the longest: started first.
SLOW_SCENARIOS = ("render-stuck", "heartbeats-only-timeout", "stream-drops-during-generation")


def _declared(items: list[pytest.Item]) -> list[RunKey]:
    keys: list[RunKey] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and isinstance(callspec.params.get("run_key"), RunKey):
            keys.append(callspec.params["run_key"])
        keys += list(getattr(getattr(item, "function", None), "needs_runs", ()))
    unique = list(dict.fromkeys(keys))

    def slowness(key: RunKey) -> int:
        if key.scenario in SLOW_SCENARIOS:
            return SLOW_SCENARIOS.index(key.scenario)
        return len(SLOW_SCENARIOS)

    return sorted(unique, key=slowness)


@pytest.fixture(scope="session")
def runbook(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunBook]:
    book = RunBook(tmp_path_factory.mktemp("client-runs"))
    book.start(_declared(list(request.session.items)))
    yield book
    book.close()
