"""§8 anonymous tokens by era: never expiring (≤1.7) or 7 days; X-Client-Id optional in 1.0."""

from datetime import timedelta

import pytest

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.domain.eras import LATEST, era_named
from nemo_mock.mock_server.domain.errors import ClientIdMissing, RateLimited, TokenExpired
from nemo_mock.mock_server.domain.tokens import NEVER

V1_0, V1_4, V1_8 = era_named("v1.0"), era_named("v1.4"), era_named("v1.8")


def test_a_1_4_token_still_works_a_year_later(backend: NemoBackend, clock: ManualClock):
    token, _ = backend.issue_anonymous_token("client-a", "1.1.1.1", V1_4)
    assert token.expires_at == NEVER and not token.expires
    clock.advance(400 * 86_400)
    assert backend.authenticate(token.token).user_id == token.user_id


def test_a_1_8_token_expires_after_7_days(backend: NemoBackend, clock: ManualClock):
    token, _ = backend.issue_anonymous_token("client-a", "1.1.1.1", V1_8)
    assert token.expires_at - clock.now() == timedelta(days=7)
    clock.advance(7 * 86_400)
    with pytest.raises(TokenExpired):
        backend.authenticate(token.token)


def test_a_never_expiring_token_still_limits_its_client_to_one_a_week(
    backend: NemoBackend, clock: ManualClock
):
    first, _ = backend.issue_anonymous_token("client-a", "1.1.1.1", V1_4)
    with pytest.raises(RateLimited) as caught:
        backend.issue_anonymous_token("client-a", "1.1.1.1", V1_4)
    assert caught.value.retry_after == 7 * 86_400
    assert "never expires" in caught.value.message
    clock.advance(7 * 86_400)
    again, _ = backend.issue_anonymous_token("client-a", "1.1.1.1", V1_4)
    assert again.user_id == first.user_id and again.token != first.token


def test_1_0_issues_tokens_without_a_client_id_each_a_new_user(backend: NemoBackend):
    one, _ = backend.issue_anonymous_token(None, "1.1.1.1", V1_0)
    two, _ = backend.issue_anonymous_token("", "1.1.1.1", V1_0)
    assert one.user_id != two.user_id and one.client_id is None
    assert not one.expires


def test_1_0_still_keeps_a_client_id_that_is_sent(backend: NemoBackend):
    one, _ = backend.issue_anonymous_token("client-a", "1.1.1.1", V1_0)
    with pytest.raises(RateLimited):
        backend.issue_anonymous_token("client-a", "1.1.1.1", V1_0)
    assert one.client_id == "client-a"


def test_the_ip_limit_holds_in_1_0_too(backend: NemoBackend):
    for _ in range(10):
        backend.issue_anonymous_token(None, "2.2.2.2", V1_0)
    with pytest.raises(RateLimited) as caught:
        backend.issue_anonymous_token(None, "2.2.2.2", V1_0)
    assert "too many anonymous tokens from 2.2.2.2" in caught.value.message


@pytest.mark.parametrize("era", [LATEST, V1_4, V1_8])
def test_later_eras_require_the_client_id(backend: NemoBackend, era):
    with pytest.raises(ClientIdMissing) as caught:
        backend.issue_anonymous_token(None, "1.1.1.1", era)
    assert "X-Client-Id" in caught.value.message
