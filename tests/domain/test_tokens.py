import re
from datetime import timedelta

import pytest

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.domain.errors import (
    ClaimTokenNotAccepted,
    ClientIdMissing,
    RateLimited,
    ScopeMissing,
    TokenExpired,
    TokenInvalid,
    TokenMissing,
    TokenRevoked,
)
from nemo_mock.mock_server.domain.tokens import ANONYMOUS_SCOPES, Scope
from nemo_mock.mock_server.edge.headers import Credential

WEEK = 7 * 86_400


def bearer(token: str) -> str:
    """The raw token, as the edge hands it on after reading ``Authorization``."""
    return token


def authenticate_header(backend: NemoBackend, header: str | None, *needs: Scope):
    """What a route does: read the header at the edge, then authenticate the token."""
    return backend.authenticate(Credential(() if header is None else (header,)).require(), *needs)


def test_anonymous_token_has_the_documented_shape(backend: NemoBackend, clock: ManualClock):
    token, balance = backend.issue_anonymous_token("client-a", "1.1.1.1")
    assert re.fullmatch(r"nmv_usr_[a-z0-9]{32}", token.token)
    assert re.fullmatch(r"anon_[0-9a-f]{16}", token.user_id)
    assert token.expires_at - clock.now() == timedelta(days=7)
    assert token.scopes == ANONYMOUS_SCOPES == {Scope.READ, Scope.WRITE, Scope.UPLOAD}
    assert balance.available == 100 and balance.frozen == 0


def test_missing_or_blank_client_id_is_refused(backend: NemoBackend):
    for missing in (None, "", "   "):
        with pytest.raises(ClientIdMissing, match="X-Client-Id"):
            backend.issue_anonymous_token(missing, "1.1.1.1")


def test_second_token_for_the_same_client_is_rate_limited_until_expiry(
    backend: NemoBackend, clock: ManualClock
):
    backend.issue_anonymous_token("client-a", "1.1.1.1")
    clock.advance(3600)
    with pytest.raises(RateLimited, match="one anonymous token per client id") as caught:
        backend.issue_anonymous_token("client-a", "1.1.1.1")
    assert caught.value.retry_after == WEEK - 3600
    clock.advance(WEEK - 3600)
    token, _ = backend.issue_anonymous_token("client-a", "1.1.1.1")
    assert token.expires_at > clock.now()


def test_revoked_token_frees_its_client_slot(backend: NemoBackend):
    token, _ = backend.issue_anonymous_token("client-a", "1.1.1.1")
    backend.tokens.revoke(token.token)
    assert backend.issue_anonymous_token("client-a", "1.1.1.1")[0].token != token.token


def test_per_ip_limit_counts_tokens_in_a_sliding_window(backend: NemoBackend, clock: ManualClock):
    for i in range(10):
        backend.issue_anonymous_token(f"client-{i}", "9.9.9.9")
        clock.advance(60)
    with pytest.raises(RateLimited, match="too many anonymous tokens from 9.9.9.9") as caught:
        backend.issue_anonymous_token("client-x", "9.9.9.9")
    assert caught.value.retry_after == WEEK - 600
    backend.issue_anonymous_token("client-y", "8.8.8.8")  # another IP is unaffected
    clock.advance(WEEK - 600)
    backend.issue_anonymous_token("client-x", "9.9.9.9")


def test_authenticate_accepts_a_valid_token(backend: NemoBackend):
    token, _ = backend.issue_anonymous_token("c", "ip")
    assert backend.authenticate(bearer(token.token), Scope.READ) == token
    assert authenticate_header(backend, f"bearer   {token.token}  ") == token


@pytest.mark.parametrize(
    ("header", "error", "message"),
    [
        (None, TokenMissing, "missing bearer token"),
        ("", TokenMissing, "missing bearer token"),
        ("Basic abc", TokenInvalid, "expected 'Bearer <token>'"),
        ("Bearer", TokenInvalid, "expected 'Bearer <token>'"),
        ("Bearer nmv_usr_bogus", TokenInvalid, "unknown token"),
        ("Bearer clm_abcdef", ClaimTokenNotAccepted, "no API access"),
    ],
)
def test_authenticate_refuses_bad_headers(backend: NemoBackend, header, error, message):
    with pytest.raises(error, match=message) as caught:
        authenticate_header(backend, header)
    assert caught.value.code == 1001


def test_issued_claim_token_is_refused_as_bearer(backend: NemoBackend):
    token, _ = backend.issue_anonymous_token("c", "ip")
    session = backend.create_session(token, "me", "p", None)
    claim = backend.create_claim_token(token, session.task_id, session.session_id)
    assert claim.token.startswith("clm_")
    with pytest.raises(ClaimTokenNotAccepted):
        backend.authenticate(bearer(claim.token))


def test_token_expires_after_its_ttl(backend: NemoBackend, clock: ManualClock):
    token, _ = backend.issue_anonymous_token("c", "ip")
    clock.advance(WEEK - 1)
    backend.authenticate(bearer(token.token))
    clock.advance(1)
    with pytest.raises(TokenExpired, match="expired at .* same X-Client-Id"):
        backend.authenticate(bearer(token.token))


def test_revoked_and_expired_now_tokens_are_refused(backend: NemoBackend):
    a, _ = backend.issue_anonymous_token("a", "ip")
    b, _ = backend.issue_anonymous_token("b", "ip")
    backend.tokens.revoke(a.token)
    backend.tokens.expire_now(b.token)
    with pytest.raises(TokenRevoked, match="revoked"):
        backend.authenticate(bearer(a.token))
    with pytest.raises(TokenExpired):
        backend.authenticate(bearer(b.token))
    assert backend.issue_anonymous_token("b", "ip")  # expiry frees the client slot


def test_scopes_are_enforced(backend: NemoBackend):
    reader = backend.mint_token(scopes=frozenset({Scope.READ}), plan="free", credits=5)
    assert reader.user_id.startswith("usr_")
    assert backend.credit_balance(reader).available == 5
    with pytest.raises(ScopeMissing, match="needs scope 'upload'; the token has read"):
        backend.authenticate(bearer(reader.token), Scope.UPLOAD)
    star = backend.mint_token(scopes=frozenset({Scope.ALL}))
    assert backend.authenticate(bearer(star.token), Scope.RENDER) == star


def test_error_messages_never_echo_a_whole_token(backend: NemoBackend, clock: ManualClock):
    token, _ = backend.issue_anonymous_token("c", "ip")
    clock.advance(WEEK)
    with pytest.raises(TokenExpired) as caught:
        backend.authenticate(bearer(token.token))
    assert token.token not in caught.value.message


@pytest.mark.parametrize("bad", ["has space", "x" * 129, "tab\there", "ünïcode"])
def test_client_id_must_be_visible_ascii(backend: NemoBackend, bad):
    with pytest.raises(ClientIdMissing, match="visible ASCII"):
        backend.issue_anonymous_token(bad, "ip")
