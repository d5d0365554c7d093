"""A session-wide book of client runs (``runs.RunBook``). Before the first live test,
every run that a selected test declares (``run_key`` parameters, or a ``needs_runs``
attribute on the test function) is started, the longest first, so that runs overlap.

Under pytest-xdist every worker collects every test but runs only some modules: there a
module's first test starts only that module's runs (before, each worker that ran one of
the client modules started the runs of both, and every run was made twice)."""

from __future__ import annotations

import os
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
def _book(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunBook]:
    book = RunBook(tmp_path_factory.mktemp("client-runs"))
    if "PYTEST_XDIST_WORKER" not in os.environ:
        book.start(_declared(list(request.session.items)))
    yield book
    book.close()


@pytest.fixture(scope="module")
def runbook(request: pytest.FixtureRequest, _book: RunBook) -> RunBook:
    """The book, with the runs this module's selected tests declare started."""
    module = request.module
    mine = [i for i in request.session.items if getattr(i, "module", None) is module]
    _book.start(_declared(mine))
    return _book
