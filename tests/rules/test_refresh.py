"""token-refresh: after 1001, one new token with the same client id, then the call again."""

from __future__ import annotations

from tests.rules.factory import JournalBuilder, verdict


def started() -> JournalBuilder:
    j = JournalBuilder()
    j.token()
    j.session()
    return j


def test_refresh_passes_with_one_token_and_the_call_repeated():
    j = started()
    old = j.token_fp
    j.state(error=1001)
    j.token()
    again = j.state()
    assert again.token != old
    assert verdict("token-refresh", j.entries).status == "pass"


def test_refresh_reads_the_envelope_style():
    j = started()
    j.state(error=1001, envelope=True)
    j.token()
    j.state()
    assert verdict("token-refresh", j.entries).status == "pass"


def test_refresh_fails_without_a_new_token():
    j = started()
    rejected = j.state(error=1001)
    j.wait(1).credits()
    (v,) = verdict("token-refresh", j.entries).violations
    assert v.evidence == (rejected.seq,)
    assert "answered 1001" in v.message
    assert "no new anonymous token was asked for" in v.message


def test_refresh_fails_with_two_new_tokens():
    j = started()
    rejected = j.state(error=1001)
    first = j.token()
    second = j.token()
    j.state()
    (v,) = verdict("token-refresh", j.entries).violations
    assert v.evidence == (rejected.seq, first.seq, second.seq)
    assert "2 new anonymous tokens were fetched after one 1001" in v.message


def test_refresh_fails_with_another_client_id():
    j = started()
    issued = j.entries[0]
    j.state(error=1001)
    refresh = j.token(client_id="a-new-id")
    j.state()
    (v,) = verdict("token-refresh", j.entries).violations
    assert v.evidence == (issued.seq, refresh.seq)
    assert "with X-Client-Id 'a-new-id'" in v.message


def test_refresh_fails_when_the_failed_call_is_not_repeated():
    j = started()
    rejected = j.run_sse(error=1001)
    refresh = j.token()
    j.credits()
    (v,) = verdict("token-refresh", j.entries).violations
    assert v.evidence == (rejected.seq, refresh.seq)
    assert "runSse on session" in v.message
    assert "was not repeated with the new token" in v.message


def test_refresh_fails_when_the_call_is_repeated_with_the_old_token():
    j = started()
    old = j.token_fp
    j.state(error=1001)
    j.token()
    j.state(token=old, error=1001)
    result = verdict("token-refresh", j.entries)
    assert result.status == "fail"
    assert all("not repeated with the new token" in v.message for v in result.violations)


def test_one_refresh_serves_concurrent_failures():
    j = started()
    j.render()
    poll = j.poll(error=1001, at_s=100)
    state = j.state(error=1001, at_s=100.01)
    j.wait(1).token()
    j.poll()
    j.state()
    assert poll.token == state.token
    assert verdict("token-refresh", j.entries).status == "pass"


def test_a_later_expiry_is_a_new_refresh():
    j = started()
    j.state(error=1001)
    j.token()
    j.state()
    j.wait(7 * 86400).state(error=1001)
    j.token()
    j.state()
    assert verdict("token-refresh", j.entries).status == "pass"


def test_refresh_is_not_exercised_without_a_1001():
    assert verdict("token-refresh", started().entries).status == "not_exercised"


def test_a_repeat_that_meets_1001_again_is_still_the_repeat():
    j = started()
    j.state(error=1001)
    j.token()
    again = j.state(error=1001)  # the new token expired too
    j.token()
    j.state()
    assert again.token == j.entries[-3].token
    assert verdict("token-refresh", j.entries).status == "pass"


def test_a_repeat_that_meets_1001_again_still_needs_its_own_refresh():
    j = started()
    j.state(error=1001)
    j.token()
    again = j.state(error=1001)
    j.credits()
    (v,) = verdict("token-refresh", j.entries).violations
    assert v.evidence == (again.seq,)
    assert "no new anonymous token was asked for" in v.message
