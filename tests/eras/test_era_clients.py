"""Clients written to four eras' documents pass in their own era, and what each era forbids
is caught (check-client's harness, on a live mock reset for each run): the acceptance of issue 21.

Each era client ends by giving its user the project link of its documents and opening it
as a browser would (``client_tests.era_clients.links``); each careless one does one thing
its own era forbids (``client_tests.era_clients.careless``).
"""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nemo_mock.client_tests.harness.pool import MockPool
from nemo_mock.client_tests.harness.report import era_matrix
from nemo_mock.client_tests.harness.runner import (
    RunOptions,
    ScenarioResult,
    pool_for,
    run_scenario,
)
from nemo_mock.mock_server.scenarios.library import ScenarioLibrary
from tests.helpers.prompts import QUICK_PROMPT

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg]


#: The agent's pace: its turns take a thousandth of their real time (check-client's default is
#: a hundredth). These runs judge each era's calls and links, not a turn's pacing; at 0.01 a
#: turn waited 3.2 s, at 0.001 0.3 s.
AGENT_TIME_SCALE = 0.001


@pytest.fixture(scope="module")
def mocks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockPool]:
    """One mock for the module's runs, reset and re-seeded before each (as check-client does)."""
    options = RunOptions(
        command=(), workdir=tmp_path_factory.mktemp("era-mocks"), agent_time_scale=AGENT_TIME_SCALE
    )
    with pool_for(options) as pool:
        yield pool


def _run(
    client: str,
    era: str,
    mocks: MockPool,
    tmp_path: Path,
    scenario: str = "baseline",
    time_scale: float = 0.1,
) -> ScenarioResult:
    options = RunOptions(
        command=[sys.executable, "-m", "nemo_mock.client_tests.era_clients", client],
        workdir=tmp_path / client / era,
        era=era,
        timeout=240,
        time_scale=time_scale,
        agent_time_scale=AGENT_TIME_SCALE,
        prompt=QUICK_PROMPT,  # the era's rules and links are judged, not the video
    )
    return run_scenario(ScenarioLibrary().get(scenario), options, mocks)


def _failed(result: ScenarioResult) -> set[str]:
    return {rule for rule, verdict in result.rules.items() if verdict.status == "fail"}


def _log(result: ScenarioResult) -> str:
    return result.log.read_text(encoding="utf-8")


@pytest.mark.parametrize("era", ["v1.0", "v1.4", "api-reference", "v1.9"])
def test_a_client_of_an_era_passes_in_its_era_and_its_link_opens(
    era: str, mocks: MockPool, tmp_path: Path
):
    result = _run(era, era, mocks, tmp_path)
    failed = {k: v.violations for k, v in result.rules.items() if v.status == "fail"}
    assert result.ok, (result.outcome.message, failed)
    assert result.era == era
    assert result.rules["link-of-era"].status == "pass"
    opened = [
        e for e in result.entries if e.operation in ("openWorkspaceClaim", "openWorkspaceTask")
    ]
    assert opened and all(e.status == 200 for e in opened)
    if era == "v1.9":  # the claim token "can be reused": one claim, its link opened twice
        claims = [e for e in result.entries if e.operation == "createClaimToken"]
        assert len(claims) == 1 and len(opened) == 2
        assert all(e.query.startswith("ct=") for e in opened)
    assert "open your project in the browser" in _log(result)


@pytest.mark.parametrize(
    ("client", "era", "caught"),
    [
        ("careless-v1.0", "v1.0", {"link-of-era"}),
        ("careless-v1.4", "v1.4", {"link-of-era", "no-token-in-url"}),
        ("careless-v1.9", "v1.9", {"link-of-era", "no-token-in-url"}),
    ],
)
def test_a_link_its_era_forbids_is_caught_and_does_not_open(
    client: str, era: str, caught: set[str], mocks: MockPool, tmp_path: Path
):
    result = _run(client, era, mocks, tmp_path)
    assert not result.ok
    assert _failed(result) == caught
    refused = [
        e for e in result.entries if e.operation in ("openWorkspaceClaim", "openWorkspaceTask")
    ]
    assert [e.status for e in refused] == [400]
    assert f"the {era} web app" in _log(result) and "did not open" in _log(result)


def test_the_api_reference_client_waiting_10_minutes_on_keep_alives_is_caught(
    mocks: MockPool, tmp_path: Path
):
    result = _run(
        "careless-api-ref", "api-reference", mocks, tmp_path, "heartbeats-only-timeout", 0.02
    )
    assert _failed(result) == {"heartbeat-timeout"}
    (violation,) = result.rules["heartbeat-timeout"].violations
    assert "300 s" in violation.message


def test_the_1_0_client_is_caught_by_what_later_eras_forbid(mocks: MockPool, tmp_path: Path):
    result = _run("v1.0", "latest", mocks, tmp_path)
    assert not result.ok
    assert {"client-id-on-token-call", "platform-of-era"} <= _failed(result)
    old = _run("v1.0", "v1.0", mocks, tmp_path)
    matrix = era_matrix({"v1.0": [old], "latest": [result]})
    assert matrix.splitlines()[1].split() == ["client", "ok", "FAIL"]
    assert "client-id-on-token-call" in matrix and "n/a" in matrix


def test_the_api_reference_client_cannot_read_the_skill_shaped_render_job(
    mocks: MockPool, tmp_path: Path
):
    result = _run("api-reference", "v1.9", mocks, tmp_path)
    assert not result.outcome.ok
    assert "no success/data" in _log(result)
