"""attribution-headers, bearer-token, stable-client-id, no-token-in-url."""

from __future__ import annotations

from tests.rules.factory import CLIENT_ID, JournalBuilder, verdict

ALL_ATTRIBUTION = ("x-skill-source", "x-skill-version", "x-skill-platform")


def started() -> JournalBuilder:
    j = JournalBuilder()
    j.token()
    j.session()
    return j


# --------------------------------------------------------------------------- attribution


def test_attribution_passes_when_every_request_carries_the_three_headers():
    j = started()
    j.state()
    assert verdict("attribution-headers", j.entries).status == "pass"


def test_attribution_fails_naming_the_missing_header_and_the_requests():
    j = started()
    session = j.session(drop_headers=("x-skill-platform",))
    state = j.state(drop_headers=("x-skill-platform",))
    credits = j.credits(drop_headers=ALL_ATTRIBUTION)
    result = verdict("attribution-headers", j.entries)
    assert result.status == "fail"
    platform, everything = result.violations
    assert platform.evidence == (session.seq, state.seq)
    assert platform.message.startswith("X-Skill-Platform missing on 2 request(s)")
    assert "createSession, getSessionState" in platform.message
    assert everything.evidence == (credits.seq,)
    assert "X-Skill-Source, X-Skill-Version, X-Skill-Platform" in everything.message


def test_attribution_counts_an_empty_header_as_missing():
    j = started()
    state = j.state(headers={"x-skill-version": " "})
    (v,) = verdict("attribution-headers", j.entries).violations
    assert v.evidence == (state.seq,)
    assert "X-Skill-Version" in v.message


def test_attribution_is_not_exercised_without_requests():
    assert verdict("attribution-headers", []).status == "not_exercised"


# --------------------------------------------------------------------------- bearer


def test_bearer_passes_with_no_token_on_the_token_call_only():
    j = started()
    j.state()
    assert j.entries[0].token is None
    assert verdict("bearer-token", j.entries).status == "pass"


def test_bearer_fails_on_a_call_without_authorization():
    j = started()
    bare = j.state(token=None)
    (v,) = verdict("bearer-token", j.entries).violations
    assert v.evidence == (bare.seq,)
    assert v.rule == "bearer-token"
    assert "getSessionState" in v.message
    assert "has no Authorization header" in v.message


def test_bearer_fails_on_another_scheme():
    j = started()
    basic = j.credits(headers={"authorization": "Token <fp_0000000000000001>"})
    (v,) = verdict("bearer-token", j.entries).violations
    assert v.evidence == (basic.seq,)
    assert "uses the scheme 'Token' instead of Bearer" in v.message


def test_bearer_fails_on_a_token_without_a_scheme():
    j = started()
    raw = j.credits(headers={"authorization": "<fp_0000000000000001>"})
    (v,) = verdict("bearer-token", j.entries).violations
    assert v.evidence == (raw.seq,)
    assert "sends the token without the 'Bearer' scheme" in v.message


def test_bearer_is_not_exercised_with_only_token_calls():
    j = JournalBuilder()
    j.token()
    assert verdict("bearer-token", j.entries).status == "not_exercised"


# --------------------------------------------------------------------------- client id


def test_client_id_passes_when_reused_for_a_second_token():
    j = started()
    j.state(error=1001)
    j.token()
    j.state()
    assert verdict("stable-client-id", j.entries).status == "pass"


def test_client_id_fails_when_it_changes_without_a_400():
    j = JournalBuilder()
    first = j.token()
    second = j.token(client_id="another-id")
    (v,) = verdict("stable-client-id", j.entries).violations
    assert v.evidence == (first.seq, second.seq)
    assert f"changed from {CLIENT_ID!r} to 'another-id'" in v.message


def test_client_id_may_change_once_after_a_400_on_the_token_call():
    j = JournalBuilder()
    j.token(client_id="not a uuid", error=400)
    j.token(client_id=CLIENT_ID)
    assert verdict("stable-client-id", j.entries).status == "pass"


def test_client_id_first_sent_after_a_400_for_a_missing_one_is_no_change():
    j = JournalBuilder()
    j.token(client_id=None, error=400)
    j.token()
    assert verdict("stable-client-id", j.entries).status == "pass"


def test_client_id_allowance_is_for_the_next_id_only():
    j = JournalBuilder()
    j.token(client_id=None, error=400)
    first = j.token()
    j.session()
    later = j.token(client_id="another-id")
    (v,) = verdict("stable-client-id", j.entries).violations
    assert v.evidence == (first.seq, later.seq)


def test_client_id_a_second_change_after_one_400_fails():
    j = JournalBuilder()
    j.token(client_id="bad id", error=400)
    fixed = j.token(client_id=CLIENT_ID)
    again = j.token(client_id="third-id")
    (v,) = verdict("stable-client-id", j.entries).violations
    assert v.evidence == (fixed.seq, again.seq)


def test_client_id_is_not_exercised_when_never_sent():
    j = JournalBuilder()
    j.token(client_id=None)
    assert verdict("stable-client-id", j.entries).status == "not_exercised"


# --------------------------------------------------------------------------- token in URL


def test_token_in_url_passes_for_a_clean_journal():
    j = started()
    j.state()
    assert verdict("no-token-in-url", j.entries).status == "pass"


def test_token_in_url_fails_naming_the_fingerprint_and_the_call():
    j = started()
    leak = j.state(query="token=<fp_0000000000000001>", secrets_in_url=("fp_0000000000000001",))
    (v,) = verdict("no-token-in-url", j.entries).violations
    assert v.evidence == (leak.seq,)
    assert "fp_0000000000000001 appears in the URL of getSessionState" in v.message


def test_token_in_url_allows_a_claim_token():
    j = started()
    j.claim("fp_c1a1c1a1c1a1c1a1")
    j.state(secrets_in_url=("<fp_c1a1c1a1c1a1c1a1>",))
    assert verdict("no-token-in-url", j.entries).status == "pass"


def test_token_in_url_is_not_exercised_without_requests():
    assert verdict("no-token-in-url", []).status == "not_exercised"


def test_the_mocks_own_paths_are_not_api_calls():
    j = started()
    j.call(None, "GET", "/cdn/renders/k/render_1.mp4", token=None, drop_headers=ALL_ATTRIBUTION)
    assert verdict("attribution-headers", j.entries).status == "pass"
    assert verdict("bearer-token", j.entries).status == "pass"
