"""Control plane: set credits, mint, revoke and expire tokens, from any HTTP client."""

import pytest

from tests.conftest import Api, assert_error


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_set_credits_by_token_then_a_generation_is_2001(api: Api):
    token = api.anonymous_token()
    response = api.client.post("/_mock/credits", json={"token": token["token"], "available": 0})
    assert response.json() == {"user_id": token["user_id"], "available": 0, "frozen": 0, "total": 0}
    sid = api.session(bearer(token["token"]))["session_id"]
    body = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": sid,
        "new_message": {"parts": [{"text": "make me a 10-second sunset timelapse video"}]},
    }
    assert_error(
        api.client.post("/run_sse", headers=bearer(token["token"]), json=body),
        402,
        2001,
        "0 available",
    )


def test_set_credits_by_user_id(api: Api):
    token = api.anonymous_token()
    response = api.client.post(
        "/_mock/credits", json={"user_id": token["user_id"], "available": 5000.0}
    )
    assert response.json()["available"] == 5000
    balance = api.client.get("/api/credits/balance/simple", headers=bearer(token["token"]))
    assert balance.json()["data"] == {"available": 5000, "frozen": 0, "total": 5000}


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"token": "nmv_usr_nope", "available": 1}, 404, "unknown token"),
        ({"user_id": "anon_nobody", "available": 1}, 404, "unknown user"),
        ({"available": 1}, 400, "exactly one of 'token' and 'user_id'"),
        ({"token": "x", "user_id": "y", "available": 1}, 400, "exactly one"),
        ({"user_id": "u", "available": -1}, 400, "greater than or equal to 0"),
        ({"user_id": "u", "available": 1.5}, 400, "must be a whole number"),
        ({"user_id": "u", "available": True}, 400, "must be a whole number"),
        ({"token": "x", "user_id": None, "available": 1}, 400, "instead of sending null: user_id"),
    ],
)
def test_bad_credit_requests(api: Api, body, status, message):
    assert_error(api.client.post("/_mock/credits", json=body), status, status, message)


def test_mint_a_registered_token_with_chosen_scopes_plan_and_credits(api: Api):
    minted = api.client.post(
        "/_mock/tokens", json={"scopes": ["read", "render"], "plan": "pro", "credits": 500}
    ).json()
    assert minted["user_id"].startswith("usr_") and minted["plan"] == "pro"
    assert minted["scopes"] == ["read", "render"] and minted["credits"] == 500
    headers = bearer(minted["token"])
    assert (
        api.client.get("/api/credits/balance/simple", headers=headers).json()["data"]["available"]
        == 500
    )
    refused = api.client.post("/api/tasks/me/with-session/nemo_agent", headers=headers, json={})
    assert_error(refused, 401, 1001, "needs scope 'write'")


def test_mint_with_no_body_gives_an_all_scopes_free_token(api: Api):
    minted = api.client.post("/_mock/tokens").json()
    assert minted["scopes"] == ["*"] and minted["plan"] == "free" and minted["credits"] == 100


@pytest.mark.parametrize("blank", [b"\r", b" ", b"\n\t"])
@pytest.mark.parametrize("path", ["/_mock/tokens", "/_mock/reset"])
def test_a_body_of_blanks_is_not_an_omitted_body(api: Api, path: str, blank: bytes):
    """A body may be left out (defaults), but one that is sent must be JSON: blanks alone are
    refused, and nothing is minted or reset."""
    token = api.anonymous_token()
    headers = {"Content-Type": "application/json"}
    assert_error(api.client.post(path, content=blank, headers=headers), 400, 400, "JSON")
    balance = api.client.get("/api/credits/balance/simple", headers=bearer(token["token"]))
    assert balance.status_code == 200  # not reset: the token still works


def test_minted_token_ttl(api: Api, clock):
    minted = api.client.post("/_mock/tokens", json={"ttl_seconds": 60}).json()
    clock.advance(61)
    expired = api.client.get("/api/credits/balance/simple", headers=bearer(minted["token"]))
    assert_error(expired, 401, 1001, "expired")


def test_revoke_and_expire(api: Api):
    token = api.anonymous_token("client-1")
    revoked = api.client.post("/_mock/tokens/revoke", json={"token": token["token"]}).json()
    assert revoked["revoked"] is True
    assert_error(
        api.client.get("/api/credits/balance/simple", headers=bearer(token["token"])),
        401,
        1001,
        "revoked",
    )
    other = api.anonymous_token("client-2")
    api.client.post("/_mock/tokens/expire", json={"token": other["token"]})
    assert_error(
        api.client.get("/api/credits/balance/simple", headers=bearer(other["token"])),
        401,
        1001,
        "expired",
    )
    assert api.anonymous_token("client-2")["token"] != other["token"]  # the client may ask again


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/_mock/tokens/revoke", {"token": "nmv_usr_nope"}, 404, "unknown token"),
        ("/_mock/tokens/expire", {}, 400, "token: Field required"),
        ("/_mock/tokens", {"scopes": ["read", "read"]}, 400, "must not repeat"),
        ("/_mock/tokens", {"scopes": ["admin"]}, 400, "scopes[0]"),
        ("/_mock/tokens", {"credits": "10"}, 400, "credits"),
    ],
)
def test_bad_token_requests(api: Api, path, body, status, message):
    assert_error(api.client.post(path, json=body), status, status, message)


@pytest.mark.parametrize("user_id", ["../etc", "a\x00b", "..", ".hidden", "a/b", "sp ace"])
def test_a_user_id_with_nul_or_traversal_is_refused_everywhere(api: Api, user_id: str):
    """Minting for '../etc' or 'a\\x00b' used to create that user."""
    message = "is not usable: give 1-64 letters, digits"
    assert_error(api.client.post("/_mock/tokens", json={"user_id": user_id}), 400, 400, message)
    body = {"user_id": user_id, "available": 1}
    assert_error(api.client.post("/_mock/credits", json=body), 400, 400, message)
    reset = api.client.post("/_mock/reset", json={"user_id": user_id})
    assert_error(reset, 400, 400, message)


def test_a_plain_user_id_can_be_minted(api: Api):
    minted = api.client.post("/_mock/tokens", json={"user_id": "usr_ci-bot.1"})
    assert minted.status_code == 200 and minted.json()["user_id"] == "usr_ci-bot.1"
