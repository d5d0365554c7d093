"""The rule set as a whole: ids, sections, the judge."""

from __future__ import annotations

import re

import pytest

from nemo_mock.contracts.rules import RULES, RuleContext, judge, rule_by_id
from tests.helpers.docs import doc_sections
from tests.rules.factory import (
    EMPTY_DRAFT,
    JournalBuilder,
    generation_events,
    text,
    tool_call,
    tool_result,
)


def test_rule_ids_are_unique_and_kebab_case():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule_id) for rule_id in ids)


def test_every_rule_cites_a_section_of_the_api_description():
    sections = doc_sections()
    assert {"§2", "§3", "§4", "§4.4", "§4.8"} <= sections
    assert {rule.id: rule.section for rule in RULES if rule.section not in sections} == {}


def test_every_description_cites_its_section():
    assert [r.id for r in RULES if r.section not in r.description] == []


def test_the_issues_minimum_is_covered():
    assert {rule.id for rule in RULES} >= {
        "attribution-headers", "bearer-token", "stable-client-id", "no-token-in-url",
        "valid-requests", "rate-limit-retry", "token-refresh", "session-recovery",
        "no-retry-on-refusal", "no-resend-during-generation", "state-after-silent-close",
        "stream-drop-recovery", "no-export-chat", "export-ready-before-render",
        "render-poll-cadence", "render-failure-retry", "duplicate-render-id",
    }  # fmt: skip


def test_rule_by_id_finds_a_rule_and_names_the_known_ones_otherwise():
    assert rule_by_id("token-refresh").section == "§3"
    with pytest.raises(KeyError, match="no rule 'retry'; known: attribution-headers, "):
        rule_by_id("retry")


def test_judge_answers_for_every_rule_in_order():
    results = judge([], RuleContext())
    assert list(results) == [rule.id for rule in RULES]
    assert {r.status for r in results.values()} == {"not_exercised"}


def well_behaved_client() -> JournalBuilder:
    """A journal in which a careful client meets most situations the rules are about."""
    j = JournalBuilder()
    j.token(error=429)
    j.wait(30).token()
    j.session()
    j.upload()
    j.state(EMPTY_DRAFT)
    j.run_sse("make a sunset video", events=generation_events()[:2], outcome="dropped")
    j.wait(30).state()
    j.run_sse("add a title 'Golden Hour'", events=[tool_call(), tool_result()])
    j.state()
    j.run_sse("add lo-fi music", events=[tool_call(), tool_result(), text()], error=1001)
    j.token()
    j.run_sse("add lo-fi music", events=[tool_call(), tool_result(), text()])
    j.state()
    j.render("render_1")
    j.wait(10).poll("render_1", status="failed")
    j.render("render_2")
    for _ in range(3):
        j.wait(10).poll("render_2")
    j.wait(10).poll("render_2", status="completed")
    j.run_sse("make another clip", error=2001)
    j.credits()
    j.state(error=1002)
    j.session()
    j.state(EMPTY_DRAFT)
    heartbeats = {"heartbeats_only": 660}
    j.run_sse("make a sunset video", events=[], fault=heartbeats, duration_s=600,
              outcome="client_disconnected")  # fmt: skip
    j.wait(30).state()
    j.claim()
    j.call("openWorkspaceClaim", "GET", "/workspace/claim", token=None,
           query="ct=<fp_c1a1c1a1c1a1c1a1>", secrets_in_url=("fp_c1a1c1a1c1a1c1a1",))  # fmt: skip
    return j


def test_a_well_behaved_client_breaks_no_rule():
    results = judge(well_behaved_client().entries, RuleContext())
    assert {rule_id: r.violations for rule_id, r in results.items() if r.status == "fail"} == {}
    skill = {rule.id for rule in RULES if rule.surfaces is None or "skill" in rule.surfaces}
    assert {k: r.status for k, r in results.items() if r.status != "pass" and k in skill} == {}
    # the MCP rules judge only the MCP surface: a skill client's journal does not exercise them
    assert {results[k].status for k in results if k not in skill} == {"not_exercised"}


def test_a_careless_client_is_caught_by_several_rules():
    j = JournalBuilder()
    j.token()
    j.session(drop_headers=("x-skill-platform",))
    j.run_sse("make a sunset video", events=generation_events(), at_s=1, duration_s=150)
    j.run_sse("make a sunset video", at_s=20, duration_s=150)
    j.run_sse("export it", at_s=200)
    j.render("render_1", drop_headers=("x-skill-source",), error=402)
    results = judge(j.entries)
    failed = {rule_id for rule_id, r in results.items() if r.status == "fail"}
    assert failed == {
        "attribution-headers", "valid-requests", "no-resend-during-generation",
        "no-export-chat", "export-ready-before-render",
    }  # fmt: skip


def test_the_judge_scales_waits():
    j = JournalBuilder()
    j.token(error=429)
    j.wait(0.3).token()
    assert judge(j.entries, RuleContext(time_scale=0.01))["rate-limit-retry"].status == "pass"
    assert judge(j.entries)["rate-limit-retry"].status == "fail"
