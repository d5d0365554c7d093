"""The one-line fault form: what it accepts, and how it says what it cannot read."""

import pytest

from nemo_mock.mock_server.domain.secrets import fingerprint
from nemo_mock.mock_server.faults.spec import VALID_FORMS, SpecError, parse_action, parse_rule


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("error=1001", {"error": 1001}),
        ("error=429 retry_after=5", {"error": 429, "retry_after": 5}),
        (
            "error=402; message='free plan export blocked'",
            {"error": 402, "message": "free plan export blocked"},
        ),
        ("latency=1500", {"latency_ms": 1500}),
        ("latency=1.5s error=503", {"latency_ms": 1500, "error": 503}),
        ("drop", {"drop": True}),
        ("cut=3", {"cut_after": 3}),
        ("cut=0 abort", {"cut_after": 0, "abort": True}),
        ("malformed", {"malformed": True}),
        ("silent", {"silent": True}),
        ("text", {"text": True}),
        ("heartbeats=660", {"heartbeats_only": 660.0}),
        ('render_fail="disk full"', {"render_fail": "disk full"}),
        ("render_fail", {"render_fail": "render failed (fault injected by nemo-mock)"}),
        ("render_pending", {"render_pending": True}),
        ("render_slow=90", {"render_slow": 90.0}),
        ("expire_token", {"expire_token": True}),
        ("advance_clock=604800", {"advance_clock": 604800.0}),
    ],
)
def test_each_action_form_reads_as_its_action(spec, expected):
    assert parse_action(spec).summary() == expected


def test_a_rule_spec_carries_match_keys_and_schedule():
    rule = parse_rule("op=runSse method=post nth=2 times=unlimited client=c-1 error=1001")
    assert (rule.operation, rule.method, rule.nth, rule.times, rule.client_id) == (
        "runSse",
        "POST",
        2,
        None,
        "c-1",
    )


def test_a_token_in_a_rule_is_kept_as_its_fingerprint_only():
    rule = parse_rule("token=nmv_usr_secret123 error=1001")
    assert rule.token == fingerprint("nmv_usr_secret123")
    assert "nmv_usr_secret123" not in rule.model_dump_json()


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("", "empty fault spec"),
        ("bogus=1", "unknown key 'bogus'"),
        ("error=12", "error 12 is not a documented code"),
        ("error=abc", "error='abc': not a number"),
        ("cut", "'cut_after' needs a value"),
        ("silent drop", "an action has one kind, got drop, silent"),
        ("op=runSse", "names no action"),
        ("op=getRender silent", "silent applies to runSse, not to getRender"),
        ("op=runsse error=1001", "unknown operation 'runsse'"),
        ("nth=2 every=3 error=1001", "use one of nth, every, probability"),
        ("drop=no", "drop is a flag"),
        ("message=hi drop", "message and retry_after go with error"),
        ("render_fail='unclosed", "cannot read fault spec"),
    ],
)
def test_a_spec_that_cannot_be_read_says_why_and_lists_the_forms(spec, says):
    with pytest.raises(SpecError) as raised:
        parse_rule(spec)
    assert says in raised.value.message
    assert raised.value.forms[: len(VALID_FORMS)] == VALID_FORMS


def test_the_header_form_refuses_match_keys():
    with pytest.raises(SpecError) as raised:
        parse_action("nth=2 error=1001")
    assert "'nth' is a match key" in raised.value.message
