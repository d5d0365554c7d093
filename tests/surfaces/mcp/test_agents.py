"""The scripted MCP agents against a live mock, judged by the client rules: the reference
agent passes every rule and exports a real MP4; the careless one breaks each MCP rule."""

from __future__ import annotations

import io

import anyio
import av
import pytest

from nemo_mock.client_tests.harness.runner import fetch_journal
from nemo_mock.client_tests.mcp_agent.__main__ import run
from nemo_mock.client_tests.mcp_agent.careless import BROKEN_RULES
from nemo_mock.contracts.rules import RuleContext, judge
from nemo_mock.contracts.rules.mcp import MCP_RULES

pytestmark = pytest.mark.ffmpeg
#: Rules the reference agent's run must exercise (a conflict needs a fault, refusals a 402).
EXERCISED = {
    "mcp-save-base-version",
    "mcp-no-save-during-turn",
    "mcp-turn-polling",
    "mcp-idempotency-key",
    "mcp-export-after-status",
    "valid-requests",
}


def _files(samples):
    return [samples.directory / "photo.png", samples.directory / "venue_clip.mp4"]


def test_the_reference_agent_passes_every_rule_and_exports(live_mcp, samples, tmp_path):
    output = tmp_path / "out.mp4"
    code = anyio.run(run, "reference", live_mcp.url, _files(samples), output)
    verdicts = judge(fetch_journal(live_mcp.url), RuleContext(claimed_export=code == 0))
    failed = {k: v.violations for k, v in verdicts.items() if v.status == "fail"}
    assert code == 0 and not failed, failed
    assert {k for k, v in verdicts.items() if v.status == "pass"} >= EXERCISED
    with av.open(io.BytesIO(output.read_bytes())) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert abs(float(container.duration / av.time_base) - 3.0) < 0.3
        assert container.streams.audio  # the generated music is in it


def test_the_reference_agent_applies_a_conflict_to_the_returned_template(
    live_mcp, samples, tmp_path
):
    live_mcp_arm(live_mcp, "operation=mcp.save_v3_draft version_conflict")
    code = anyio.run(run, "reference", live_mcp.url, _files(samples), tmp_path / "out.mp4")
    verdicts = judge(fetch_journal(live_mcp.url), RuleContext())
    assert code == 0
    assert verdicts["mcp-conflict-apply"].status == "pass"
    assert verdicts["mcp-save-base-version"].status == "pass"


def test_the_careless_agent_breaks_every_mcp_rule(live_mcp, samples, tmp_path):
    code = anyio.run(run, "careless", live_mcp.url, _files(samples), tmp_path / "out.mp4")
    assert code == 0  # it claims the export: the earlier render's file is at the output
    verdicts = judge(fetch_journal(live_mcp.url), RuleContext(claimed_export=True))
    broken = {rule.id for rule in MCP_RULES if verdicts[rule.id].status == "fail"}
    assert broken == set(BROKEN_RULES), {k: verdicts[k] for k in set(BROKEN_RULES) - broken}


def live_mcp_arm(live_mcp, spec: str) -> None:
    import httpx

    r = httpx.post(f"{live_mcp.url}/_mock/faults", json={"spec": spec}, timeout=10)
    assert r.status_code in (200, 201), r.text
