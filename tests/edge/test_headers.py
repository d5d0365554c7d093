"""The one reading of ``Authorization``: tokens, secrets, fingerprints, refusals."""

import pytest

from nemo_mock.mock_server.domain.errors import TokenInvalid, TokenMissing
from nemo_mock.mock_server.domain.secrets import fingerprint
from nemo_mock.mock_server.edge.headers import Credential, bearer_token, header, header_values
from tests.conftest import Api, assert_error

RAW = [(b"Authorization", b"Bearer nmv_usr_a"), (b"x-client-id", b"c1"), (b"X-Client-Id", b"c2")]


def test_header_values_are_read_in_any_case_in_the_order_sent():
    assert header_values(RAW, "X-CLIENT-ID") == ["c1", "c2"]
    assert header(RAW, "x-client-id") == "c1"
    assert header(RAW, "x-missing") is None


@pytest.mark.parametrize(
    ("value", "token"),
    [
        ("Bearer abc", "abc"),
        ("bearer   abc  ", "abc"),
        ("  BEARER abc", "abc"),
        ("Bearer", None),
        ("Bearer   ", None),
        ("Basic abc", None),
        ("abc", None),
    ],
)
def test_bearer_token(value, token):
    assert bearer_token(value) == token


def test_one_well_formed_header_gives_its_token_and_its_fingerprint():
    credential = Credential.of(RAW)
    assert credential.token == "nmv_usr_a" == credential.require()
    assert credential.secrets == ("nmv_usr_a",)
    assert credential.fingerprint == fingerprint("nmv_usr_a")


def test_a_value_without_the_bearer_scheme_is_a_secret_whole():
    credential = Credential(("Basic dXNlcjpwYXNz",))
    assert credential.token is None
    assert credential.secrets == ("Basic dXNlcjpwYXNz",)
    assert credential.fingerprint == fingerprint("Basic dXNlcjpwYXNz")


def test_no_header_has_no_fingerprint_and_is_refused_as_missing():
    assert Credential().fingerprint is None
    with pytest.raises(TokenMissing):
        Credential().require()
    with pytest.raises(TokenMissing):
        Credential(("  ",)).require()


def test_two_headers_are_refused_clearly_and_both_stay_secret():
    credential = Credential(("Bearer nmv_usr_a", "Bearer nmv_usr_b"))
    assert credential.token is None
    assert credential.secrets == ("nmv_usr_a", "nmv_usr_b")
    with pytest.raises(TokenInvalid, match="2 Authorization headers: send exactly one"):
        credential.require()


def test_two_authorization_headers_are_a_1001_naming_the_problem(api: Api):
    token = api.auth()["Authorization"]
    response = api.client.get(
        "/api/credits/balance/simple",
        headers=[("Authorization", token), ("Authorization", token)],
    )
    assert_error(response, 401, 1001, "2 Authorization headers")
    assert token.split()[1] not in response.text


def test_two_authorization_headers_are_journaled_fingerprinted_never_raw(api: Api):
    one, two = api.auth()["Authorization"], api.auth()["Authorization"]
    api.client.get(
        "/api/credits/balance/simple", headers=[("Authorization", one), ("Authorization", two)]
    )
    entries = api.client.get("/_mock/journal").json()["entries"]
    entry = entries[-1]
    assert entry["operation"] == "getCreditBalance" and entry["code"] == 1001
    raw_one, raw_two = one.split()[1], two.split()[1]
    assert raw_one not in str(entry) and raw_two not in str(entry)
    shown = entry["request"]["headers"]["authorization"]
    assert shown == f"Bearer <{fingerprint(raw_one)}>, Bearer <{fingerprint(raw_two)}>"
    assert entry["token"] == fingerprint(raw_one)
