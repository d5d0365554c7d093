"""``mcp-export-after-status`` and the reading of MCP tool errors (HTTP 200 + ``isError``)."""

from __future__ import annotations

import pytest

from nemo_mock.contracts.rules import RuleContext, rule_by_id
from nemo_mock.contracts.rules.journal import error_of
from tests.helpers.mcp_journal import render_started, render_status, tool_entry

RULE = "mcp-export-after-status"
CLAIMED = RuleContext(claimed_export=True)


def verdict(entries, ctx=CLAIMED):
    return rule_by_id(RULE)(entries, ctx)


@pytest.mark.parametrize("sse", [False, True])
def test_a_tool_error_is_an_error_of_its_status_though_http_said_200(sse):
    refused = {"status": 403, "code": "plan_required", "message": "upgrade", "retryable": False}
    entry = tool_entry(1, "render_video", {"project_id": "p1"}, error=refused, sse=sse)
    assert entry.status == 200 and error_of(entry) == 403
    assert error_of(tool_entry(2, "get_credits", result={"available": 5}, sse=sse)) is None


def test_a_claim_after_get_render_status_said_completed_passes():
    entries = [render_started(1, "r1"), render_status(2, "r1", "rendering")]
    entries.append(render_status(3, "r1", "completed"))
    assert verdict(entries).status == "pass"


def test_no_claim_leaves_the_rule_unexercised_whatever_the_calls():
    entries = [render_started(1, "r1")]
    assert verdict(entries, RuleContext()).status == "not_exercised"
    assert verdict([], CLAIMED).status == "not_exercised"  # not an MCP client at all


def test_a_claim_while_the_render_still_runs_fails_naming_its_last_status():
    entries = [render_started(1, "r1"), render_status(2, "r1", "rendering")]
    result = verdict(entries)
    assert result.status == "fail"
    assert "'rendering'" in result.violations[0].message
    assert result.violations[0].evidence == (1, 2)


def test_an_earlier_renders_file_is_no_export_of_the_last_render():
    entries = [render_started(1, "r1"), render_status(2, "r1", "completed")]
    entries.append(render_started(3, "r2"))
    result = verdict(entries)
    assert result.status == "fail"
    assert "r2" in result.violations[0].message and "never asked" in result.violations[0].message


def test_a_failed_render_or_a_completed_answer_without_a_url_is_no_export():
    failed = [render_started(1, "r1"), render_status(2, "r1", "failed")]
    assert verdict(failed).status == "fail"
    no_url = {"render_id": "r1", "status": "completed", "download_url": None}
    bare = [
        render_started(1, "r1"),
        tool_entry(2, "get_render_status", {"render_id": "r1"}, result=no_url),
    ]
    assert verdict(bare).status == "fail"


def test_a_claim_without_any_render_fails():
    refused = {"status": 403, "code": "plan_required", "message": "upgrade", "retryable": False}
    entries = [tool_entry(1, "render_video", {"project_id": "p1"}, error=refused)]
    result = verdict(entries)
    assert result.status == "fail" and "never started one" in result.violations[0].message


def test_another_renders_completion_does_not_count():
    entries = [render_started(1, "r1"), render_status(2, "r2", "completed")]
    assert verdict(entries).status == "fail"
