"""The harness judges an MCP client: its refusals arrive as HTTP 200 with a tool error, its
scenarios are the library's ``surface: mcp`` ones (what ``--surface mcp`` runs by default)."""

from __future__ import annotations

from nemo_mock.client_tests.explore.properties import RunFacts, check_properties, refusal_of
from nemo_mock.client_tests.harness.check import choose
from nemo_mock.client_tests.harness.outcome import ClientRun, judge_outcome
from nemo_mock.mock_server.scenarios.library import ScenarioLibrary
from tests.helpers.mcp_journal import tool_entry

PLAN = {"status": 403, "code": "plan_required", "message": "upgrade", "retryable": False}
BUSY = {"status": 503, "code": "server_error", "message": "busy", "retryable": True}
CONFLICT = {"status": 409, "code": "version_conflict", "message": "moved", "retryable": False}


def test_a_refusal_scenario_is_judged_on_the_tool_errors_status(tmp_path):
    scenario = ScenarioLibrary().get_by_name("mcp-plan-refused")
    assert scenario.surface == "mcp" and scenario.expect.refusal_codes == [403]
    stopped = ClientRun(3, tmp_path / "none.mp4", 1.0)
    refused = tool_entry(1, "render_video", {"project_id": "p1"}, error=PLAN, sse=True)
    verdict = judge_outcome(scenario, stopped, [refused])
    assert verdict.ok and verdict.message == "stopped on 403 (exit 3)"
    answered = tool_entry(1, "render_video", {"project_id": "p1"}, result={"render_id": "r"})
    assert not judge_outcome(scenario, stopped, [answered]).ok


def test_only_402_and_403_are_an_mcp_tools_documented_refusals():
    assert refusal_of(tool_entry(1, "render_video", error=PLAN)) == 403
    assert refusal_of(tool_entry(1, "save_v3_draft", error=CONFLICT)) is None
    assert refusal_of(tool_entry(1, "render_video", error=BUSY)) is None


def test_the_valid_outcome_property_accepts_a_stop_on_an_mcp_refusal_only():
    run = RunFacts(exit_code=3, seconds=5.0, budget_s=60.0)
    refused = [tool_entry(1, "render_video", error=PLAN)]
    assert check_properties(refused, run)["valid-outcome"].status == "pass"
    conflicted = [tool_entry(1, "save_v3_draft", error=CONFLICT)]
    assert check_properties(conflicted, run)["valid-outcome"].status == "fail"


def test_identical_failures_are_counted_per_tool_not_per_route():
    run = RunFacts(exit_code=0, seconds=5.0, budget_s=60.0)
    tools = [
        "get_credits",
        "get_video_project",
        "render_video",
        "get_render_status",
        "upload_asset",
    ]
    spread = [tool_entry(i + 1, tool, error=BUSY) for i, tool in enumerate(tools)]
    assert check_properties(spread, run)["no-endless-retry"].status == "pass"
    same = [tool_entry(i + 1, "render_video", error=BUSY) for i in range(5)]
    assert check_properties(same, run)["no-endless-retry"].status == "fail"


def test_check_client_runs_the_scenarios_of_the_clients_surface_by_default():
    library = ScenarioLibrary()
    mcp = {s.name for s in choose(library, [], "mcp")}
    skill = {s.name for s in choose(library, [])}
    assert mcp == set(library.names("mcp"))
    assert {"mcp-baseline", "mcp-version-conflict", "mcp-plan-refused"} <= mcp
    assert "baseline" in skill and not mcp & skill
    assert [s.name for s in choose(library, ["mcp-baseline", "baseline"])] == [
        "mcp-baseline",
        "baseline",
    ]  # named scenarios run whatever their surface
