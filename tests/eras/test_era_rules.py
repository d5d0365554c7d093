"""Client rules that know eras (§8): which eras a rule applies to, and the era's values."""

import pytest

from nemo_mock.contracts.rules import RULES, RuleContext, judge
from tests.rules.factory import JournalBuilder


def _journal(**token_kw) -> JournalBuilder:
    j = JournalBuilder()
    j.token(**token_kw)
    j.session()
    return j


def test_every_rule_names_only_known_eras():
    from nemo_mock.mock_server.domain.eras import ERA_NAMES

    for rule in RULES:
        assert rule.eras is None or set(rule.eras) <= set(ERA_NAMES), rule.id


def test_a_token_call_without_client_id_fails_from_1_1_on_and_is_no_rule_in_1_0():
    entries = _journal(client_id=None).entries
    later = judge(entries, RuleContext(era="v1.4"))["client-id-on-token-call"]
    assert later.status == "fail" and "since skill 1.1" in later.violations[0].message
    assert judge(entries, RuleContext(era="latest"))["client-id-on-token-call"].status == "fail"
    first = judge(entries, RuleContext(era="v1.0"))["client-id-on-token-call"]
    assert first.status == "not_applicable"


def test_a_token_call_with_client_id_passes():
    verdict = judge(_journal().entries, RuleContext(era="v1.8"))["client-id-on-token-call"]
    assert verdict.status == "pass"


@pytest.mark.parametrize("era", ["v1.0", "latest"])
def test_legacy_headers_are_flagged_in_every_era(era: str):
    j = _journal()
    bad = j.credits(headers={"x-api-key": "<fp_1>", "x-user-id": "anon_1"}, token=None)
    verdict = judge(j.entries, RuleContext(era=era))["no-legacy-auth"]
    assert verdict.status == "fail" and verdict.violations[0].evidence == (bad.seq,)
    assert "X-API-Key, X-User-Id" in verdict.violations[0].message


def test_calling_api_v1_generate_is_flagged():
    j = _journal()
    bad = j.call("generateV1", "POST", "/api/v1/generate", error=404)
    verdict = judge(j.entries, RuleContext(era="generated"))["no-generate-endpoint"]
    assert verdict.status == "fail" and verdict.violations[0].evidence == (bad.seq,)
    assert "/run_sse" in verdict.violations[0].message
    assert judge(_journal().entries, RuleContext())["no-generate-endpoint"].status == "pass"


def test_platform_github_is_of_the_first_and_the_generated_skills_only():
    j = JournalBuilder()
    j.token(headers={"x-skill-platform": "github"})
    for era in ("v1.0", "generated"):
        assert judge(j.entries, RuleContext(era=era))["platform-of-era"].status == "pass"
    for era in ("latest", "v1.9", "api-reference"):
        verdict = judge(j.entries, RuleContext(era=era))["platform-of-era"]
        assert verdict.status == "fail" and "only the 1.0 and" in verdict.violations[0].message


def test_the_api_reference_times_out_a_silent_stream_at_five_minutes():
    j = JournalBuilder()
    j.token()
    j.session()
    j.run_sse("make a sunset video", events=[], fault={"heartbeats_only": 660},
              duration_s=300, outcome="client_disconnected")  # fmt: skip
    assert judge(j.entries, RuleContext(era="api-reference"))["heartbeat-timeout"].status == "pass"
    latest = judge(j.entries, RuleContext(era="latest"))["heartbeat-timeout"]
    assert latest.status == "fail" and "wait 600 s" in latest.violations[0].message


def test_closing_a_silent_stream_at_ten_minutes_is_late_in_the_api_reference_era():
    j = JournalBuilder()
    j.token()
    j.session()
    j.run_sse("make a sunset video", events=[], fault={"heartbeats_only": 660},
              duration_s=600, outcome="client_disconnected")  # fmt: skip
    assert judge(j.entries, RuleContext(era="latest"))["heartbeat-timeout"].status == "pass"
    late = judge(j.entries, RuleContext(era="api-reference"))["heartbeat-timeout"]
    assert late.status == "fail"
    assert "after 600.0 s: the api-reference documents call 300 s" in late.violations[0].message
