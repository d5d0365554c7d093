"""Fixtures shared by the whole suite: generated sample media, an app on a manual clock."""

from __future__ import annotations

import gc
import os
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.media.samples import SampleSet, make_sample_set
from nemo_mock.mock_server.settings import Settings
from tests.helpers.collect import could_select_module, could_select_under, save_cache
from tests.helpers.order import longest_first

# The suite's ~150 live mocks (and those its check-client runs start) are forked from a
# process that imported the mock once (client_tests/forked_start.py): ~0.3 instead of ~1 CPU-s
# a start. NEMO_FORKED_MOCKS=0 starts each from a cold interpreter instead.
os.environ.setdefault("NEMO_FORKED_MOCKS", "1")

#: Shared fixtures (``owner``: a session with two photos) live with their helpers; the tiers
#: and ``--tiers`` (what ``./dev test`` runs) with theirs.
pytest_plugins = ("tests.helpers.renders", "tests.helpers.tiers")

ATTRIBUTION = {
    "X-Skill-Source": "nemo-video",
    "X-Skill-Version": "1.9",
    "X-Skill-Platform": "unknown",
}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """A test module none of whose tests ``-m`` could select is not imported, nor a folder
    none of whose modules could be, with its ``conftest.py`` (``tests/helpers/collect.py``):
    ``./dev test``'s workers skip the nightly modules, and a tier run alone (``-m live``) the
    other tiers' imports and apps."""
    expression = config.getoption("markexpr", default="")
    if not expression:
        return None
    if collection_path.is_dir():
        return None if could_select_under(expression, collection_path) else True
    if not collection_path.name.startswith("test_") or collection_path.suffix != ".py":
        return None
    return None if could_select_module(expression, collection_path) else True


def pytest_collection_finish(session: pytest.Session) -> None:
    save_cache()  # what the modules' sources said of their marks, for the next process
    if os.environ.get("NEMO_TEST_GC_FREEZE", "1") == "1":
        # What collection built (the mock, the contracts, the test modules, Hypothesis'
        # strategies) lives as long as this process: frozen, it is no longer walked by every
        # full collection that the tests' own garbage sets off.
        gc.collect()
        gc.freeze()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The modules tier by tier, the longest first in each (``tests/helpers/order.py``), so
    that the fast tests report first and the session ends on short modules; and never two
    tests under one node id (``refuse_shared_node_ids``)."""
    refuse_shared_node_ids(items)
    items[:] = longest_first(items)


def refuse_shared_node_ids(items: list[pytest.Item]) -> None:
    """Stop the run when tests share a node id: pytest-xdist tells tests apart by it, so it
    runs one of them and says nothing of the rest. (pytest 9.2 builds the id of a Schemathesis
    per-operation test from its function name alone: 65 of the slow tier's 116 tests were
    silently not run until ``pyproject.toml`` kept pytest below 9.2.)"""
    shared = {nodeid: n for nodeid, n in Counter(i.nodeid for i in items).items() if n > 1}
    if shared:
        listed = "; ".join(f"{nodeid} ({n} tests)" for nodeid, n in shared.items())
        raise pytest.UsageError(
            f"tests that share a node id would not all run under pytest-xdist: {listed}"
        )


@pytest.fixture(scope="session", autouse=True)
def shared_synthesis_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One synthesis cache (``--synthesis-cache``) for every mock the session starts, in
    process or launched, on every worker: each distinct clip or voiceover of the agent is
    made once, as a CI run sharing a cache would (of 93 syntheses in the live and slow tiers,
    27 were distinct). The tests of the synthesis and its cache build their own."""
    root = tmp_path_factory.getbasetemp()
    shared = root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root  # the workers'
    folder = shared / "synthesis-cache"
    folder.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:  # Settings.synthesis_cache's variable
        patch.setenv("NEMO_MOCK_SYNTHESIS_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> SampleSet:
    return make_sample_set(tmp_path_factory.getbasetemp() / "samples")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def make_app(tmp_path: Path, clock: ManualClock) -> Callable[..., FastAPI]:
    """Apps on the manual clock whose agent takes no time (``time_scale=0``) unless a test
    asks for some: at the served default (0.01) every generation turn waited 1-3 s of real
    time that no in-process test judges (``test_forced_silence_...``: 2.2 s to 0.5 s)."""

    def make(**overrides: Any) -> FastAPI:
        settings = Settings(data_dir=tmp_path / "data", **{"time_scale": 0, **overrides})
        return create_app(settings, clock=clock, rng=random.Random(settings.seed))

    return make


class Api:
    """A TestClient plus the steps every test repeats (token, session)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def anonymous_token(self, client_id: str | None = None) -> dict[str, Any]:
        response = self.client.post(
            "/api/auth/anonymous-token",
            headers={**ATTRIBUTION, "X-Client-Id": client_id or str(uuid.uuid4())},
        )
        assert response.status_code == 200, response.text
        return response.json()["data"]

    def auth(self, client_id: str | None = None) -> dict[str, str]:
        token = self.anonymous_token(client_id)["token"]
        return {**ATTRIBUTION, "Authorization": f"Bearer {token}"}

    def session(self, headers: dict[str, str], **body: Any) -> dict[str, Any]:
        response = self.client.post(
            "/api/tasks/me/with-session/nemo_agent",
            headers=headers,
            json={"task_name": "project", **body},
        )
        assert response.status_code == 200, response.text
        return response.json()["data"]

    def state(self, headers: dict[str, str], session_id: str) -> dict[str, Any]:
        response = self.client.get(f"/api/state/nemo_agent/me/{session_id}/latest", headers=headers)
        assert response.status_code == 200, response.text
        return response.json()["data"]


@pytest.fixture
def app(make_app: Callable[..., FastAPI]) -> FastAPI:
    return make_app()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


def assert_error(response: Any, status: int, code: int, message: str) -> dict[str, Any]:
    """An error answer: this status, the envelope with this code, a message containing this."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    assert message in body["message"], body["message"]
    assert "data" in body
    return body
