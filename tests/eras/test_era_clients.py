"""Clients written to three eras' documents pass in their own era, and what each era forbids
is caught (check-client's harness, a live mock per run)."""

import sys
from pathlib import Path

import pytest

from nemo_mock.client_tests.harness.report import era_matrix
from nemo_mock.client_tests.harness.runner import RunOptions, ScenarioResult, run_scenario
from nemo_mock.mock_server.scenarios.library import ScenarioLibrary

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg]


def _run(client: str, era: str, tmp_path: Path) -> ScenarioResult:
    options = RunOptions(
        command=[sys.executable, "-m", "nemo_mock.client_tests.era_clients", client],
        workdir=tmp_path / client / era,
        era=era,
        timeout=240,
    )
    return run_scenario(ScenarioLibrary().get("baseline"), options)


@pytest.mark.parametrize("era", ["v1.0", "v1.4", "api-reference"])
def test_a_client_of_an_era_passes_in_its_era(era: str, tmp_path: Path):
    result = _run(era, era, tmp_path)
    failed = {k: v.violations for k, v in result.rules.items() if v.status == "fail"}
    assert result.ok, (result.outcome.message, failed)
    assert result.era == era


def test_the_1_0_client_is_caught_by_what_later_eras_forbid(tmp_path: Path):
    result = _run("v1.0", "latest", tmp_path)
    assert not result.ok
    assert result.rules["client-id-on-token-call"].status == "fail"
    assert result.rules["platform-of-era"].status == "fail"
    old = _run("v1.0", "v1.0", tmp_path)
    matrix = era_matrix({"v1.0": [old], "latest": [result]})
    assert matrix.splitlines()[1].split() == ["client", "ok", "FAIL"]
    assert "client-id-on-token-call" in matrix and "n/a" in matrix


def test_the_api_reference_client_cannot_read_the_skill_shaped_render_job(tmp_path: Path):
    result = _run("api-reference", "v1.9", tmp_path)
    assert not result.outcome.ok
    assert "no success/data" in result.log.read_text(encoding="utf-8")
