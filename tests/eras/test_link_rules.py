"""The link rules by era (§8): the link's form, and the access token in a link only where the
era's documents put it there."""

import pytest

from nemo_mock.contracts.rules import RuleContext, judge
from tests.rules.factory import JournalBuilder

TOKEN_FP = "<fp_0123456789abcdef>"
CLAIM_FP = "fp_c1a1c1a1c1a1c1a1"


def _with_link(form: str) -> JournalBuilder:
    j = JournalBuilder()
    j.token()
    j.session()
    if form == "task_nemo_token":
        j.call(
            "openWorkspaceTask",
            "GET",
            "/workspace/task/task_1/5529798706024415232",
            query=f"nemo_token={TOKEN_FP}",
            secrets_in_url=[TOKEN_FP],
            token=None,
        )
    elif form == "claim_token":
        j.call(
            "openWorkspaceClaim",
            "GET",
            "/workspace/claim",
            token=None,
            query=f"token={TOKEN_FP}&task=task_1&session=5529798706024415232",
            secrets_in_url=[TOKEN_FP],
        )
    else:
        j.claim(CLAIM_FP)
        j.call(
            "openWorkspaceClaim",
            "GET",
            "/workspace/claim",
            token=None,
            query=f"ct=<{CLAIM_FP}>",
            secrets_in_url=[f"<{CLAIM_FP}>"],
        )
    return j


@pytest.mark.parametrize(
    ("form", "era"),
    [
        ("task_nemo_token", "v1.1"),
        ("claim_token", "v1.4"),
        ("claim_token", "api-reference"),
        ("claim_ct", "v1.9"),
        ("claim_ct", "latest"),
    ],
)
def test_the_link_of_the_era_passes_both_link_rules(form: str, era: str):
    verdicts = judge(_with_link(form).entries, RuleContext(era=era))
    assert verdicts["link-of-era"].status == "pass"
    assert verdicts["no-token-in-url"].status == "pass"


def test_a_1_4_link_in_the_1_9_era_is_the_wrong_form_and_leaks_the_token():
    verdicts = judge(_with_link("claim_token").entries, RuleContext(era="v1.9"))
    wrong = verdicts["link-of-era"]
    assert wrong.status == "fail"
    assert "…/workspace/claim?ct=<claim_token>" in wrong.violations[0].message
    assert verdicts["no-token-in-url"].status == "fail"


def test_a_1_1_link_in_the_1_4_era_is_the_wrong_form_but_no_leak_there():
    verdicts = judge(_with_link("task_nemo_token").entries, RuleContext(era="v1.4"))
    assert verdicts["link-of-era"].status == "fail"
    assert "the v1.4 documents (skill 1.4–1.7)" in verdicts["link-of-era"].violations[0].message
    # the 1.4 documents put the token in their own link only, not in the 1.1 one
    assert verdicts["no-token-in-url"].status == "fail"


def test_a_ct_link_in_the_1_0_era_is_the_wrong_form():
    verdict = judge(_with_link("claim_ct").entries, RuleContext(era="v1.0"))["link-of-era"]
    assert verdict.status == "fail" and "?nemo_token=<token>" in verdict.violations[0].message


def test_without_a_link_the_rule_is_not_exercised():
    j = JournalBuilder()
    j.token()
    assert judge(j.entries, RuleContext())["link-of-era"].status == "not_exercised"


def test_a_browser_link_is_no_api_call_for_the_header_rules():
    verdicts = judge(_with_link("claim_ct").entries, RuleContext())
    assert verdicts["attribution-headers"].status == "pass"
    assert verdicts["bearer-token"].status == "pass"
