"""rate-limit-retry, session-recovery, no-retry-on-refusal."""

from __future__ import annotations

import pytest

from tests.rules.factory import JournalBuilder, verdict


def started() -> JournalBuilder:
    j = JournalBuilder()
    j.token()
    j.session()
    return j


# --------------------------------------------------------------------------- 429


def test_rate_limit_passes_with_one_retry_after_retry_after():
    j = JournalBuilder()
    j.token(error=429)
    j.wait(30).token()
    assert verdict("rate-limit-retry", j.entries).status == "pass"


def test_rate_limit_scales_the_wait():
    j = JournalBuilder()
    j.token(error=429)
    j.wait(0.3).token()
    assert verdict("rate-limit-retry", j.entries, time_scale=0.01).status == "pass"
    assert verdict("rate-limit-retry", j.entries).status == "fail"


def test_rate_limit_forgives_the_tolerance():
    j = JournalBuilder()
    j.token(error=429)
    j.wait(27.5).token()
    assert verdict("rate-limit-retry", j.entries).status == "pass"
    assert verdict("rate-limit-retry", j.entries, tolerance=0.0).status == "fail"


def test_rate_limit_fails_on_an_early_retry():
    j = JournalBuilder()
    limited = j.token(error=429)
    retry = j.wait(5).token()
    (v,) = verdict("rate-limit-retry", j.entries).violations
    assert v.evidence == (limited.seq, retry.seq)
    assert "retried 5.00 s after a 429 whose Retry-After is 30 s" in v.message


def test_rate_limit_uses_the_header_value():
    j = JournalBuilder()
    j.token(error=429, retry_after="2")
    j.wait(2).token()
    assert verdict("rate-limit-retry", j.entries).status == "pass"


def test_rate_limit_without_a_header_waits_the_documented_30_s():
    j = JournalBuilder()
    j.token(error=429, retry_after=None)
    j.wait(5).token()
    (v,) = verdict("rate-limit-retry", j.entries).violations
    assert "Retry-After is 30 s" in v.message


def test_rate_limit_fails_on_a_second_retry():
    j = JournalBuilder()
    first = j.token(error=429)
    second = j.wait(30).token(error=429)
    third = j.wait(30).token()
    (v,) = verdict("rate-limit-retry", j.entries).violations
    assert v.evidence == (first.seq, second.seq, third.seq)
    assert "createAnonymousToken was repeated 2 times after a 429" in v.message


def test_rate_limit_giving_up_passes():
    j = JournalBuilder()
    j.token(error=429)
    assert verdict("rate-limit-retry", j.entries).status == "pass"


def test_rate_limit_is_not_exercised_without_a_429():
    j = started()
    assert verdict("rate-limit-retry", j.entries).status == "not_exercised"


# --------------------------------------------------------------------------- 1002


def test_session_recovery_passes_with_a_new_session():
    j = started()
    lost = j.session_id
    j.run_sse(error=1002)
    j.session()
    assert j.session_id != lost
    j.run_sse()
    assert verdict("session-recovery", j.entries).status == "pass"


def test_session_recovery_fails_without_a_new_session():
    j = started()
    missing = j.state(error=1002)
    j.credits()
    (v,) = verdict("session-recovery", j.entries).violations
    assert v.evidence == (missing.seq,)
    assert "reported missing (1002) but no new session was created" in v.message


def test_session_recovery_fails_when_the_lost_session_is_used_again():
    j = started()
    lost = j.session_id
    missing = j.run_sse(error=1002)
    j.session()
    again = j.state(session=lost)
    (v,) = verdict("session-recovery", j.entries).violations
    assert v.evidence == (missing.seq, again.seq)
    assert f"session {lost} was used 1 more time(s) after it was reported missing" in v.message


def test_session_recovery_allows_stopping_when_the_new_session_is_lost_too():
    j = started()
    j.state(error=1002)
    j.session()
    j.state(error=1002)
    assert verdict("session-recovery", j.entries).status == "pass"


def test_session_recovery_never_allows_reusing_a_second_lost_session():
    j = started()
    j.state(error=1002)
    j.session()
    second = j.session_id
    missing = j.state(error=1002)
    again = j.state(session=second)
    (v,) = verdict("session-recovery", j.entries).violations
    assert v.evidence == (missing.seq, again.seq)


def test_session_recovery_reads_the_envelope_style():
    j = started()
    j.state(error=1002, envelope=True)
    assert j.entries[-1].status == 200
    assert verdict("session-recovery", j.entries).status == "fail"


def test_session_recovery_is_not_exercised_without_a_1002():
    assert verdict("session-recovery", started().entries).status == "not_exercised"


# --------------------------------------------------------------------------- 2001 / 402


def test_refusal_passes_when_the_user_is_told():
    j = started()
    j.run_sse("make a video", error=2001)
    j.credits()
    assert verdict("no-retry-on-refusal", j.entries).status == "pass"


def test_refusal_allows_one_repeat():
    j = started()
    j.render(error=402, drop_headers=("x-skill-platform",))
    j.render("render_2")
    j.render("render_3")
    assert verdict("no-retry-on-refusal", j.entries).status == "pass"


def test_refusal_fails_on_a_retry_loop():
    j = started()
    calls = [j.run_sse("make a video", error=2001) for _ in range(3)]
    (v,) = verdict("no-retry-on-refusal", j.entries).violations
    assert v.evidence == tuple(c.seq for c in calls)
    assert "runSse on session" in v.message
    assert "was repeated 2 times after 2001" in v.message


def test_refusal_fails_on_a_402_loop():
    j = started()
    for n in range(3):
        j.render(f"render_{n}", error=402, drop_headers=("x-skill-source",))
    (v,) = verdict("no-retry-on-refusal", j.entries).violations
    assert "startRender" in v.message
    assert "after 402" in v.message


def test_refusal_on_another_session_is_another_call():
    j = started()
    j.run_sse(error=2001)
    j.session()
    j.run_sse(error=2001)
    assert verdict("no-retry-on-refusal", j.entries).status == "pass"


def test_refusal_is_not_exercised_without_2001_or_402():
    assert verdict("no-retry-on-refusal", started().entries).status == "not_exercised"


@pytest.mark.parametrize("code", [4001, 4002])
def test_an_upload_refused_for_its_file_is_not_sent_again_and_again(code):
    j = started()
    uploads = [j.upload(error=code) for _ in range(3)]
    (v,) = verdict("no-retry-on-refusal", j.entries).violations
    assert v.evidence == tuple(u.seq for u in uploads)
    assert f"was repeated 2 times after {code}" in v.message


@pytest.mark.parametrize("code", [4001, 4002])
def test_an_upload_refused_once_and_reported_passes(code):
    j = started()
    j.upload(error=code)
    assert verdict("no-retry-on-refusal", j.entries).status == "pass"
