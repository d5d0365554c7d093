"""The control plane's clock drives token expiry, rate windows and render timestamps."""

from datetime import UTC, datetime

import pytest

from tests.conftest import Api, assert_error
from tests.helpers.renders import slideshow, start, wait


def advance(api: Api, seconds: float) -> dict:
    response = api.client.post("/_mock/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text
    return response.json()


def test_seven_days_on_the_clock_expire_an_anonymous_token(api: Api):
    headers = api.auth("c-1")
    advance(api, 7 * 86_400 - 1)
    assert api.client.get("/api/credits/balance/simple", headers=headers).status_code == 200
    advance(api, 1)
    assert_error(
        api.client.get("/api/credits/balance/simple", headers=headers), 401, 1001, "expired"
    )


def test_the_rate_window_follows_the_clock(api: Api):
    api.anonymous_token("c-2")
    advance(api, 86_400)
    refused = api.client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "c-2"})
    assert int(refused.headers["Retry-After"]) == 6 * 86_400
    advance(api, 6 * 86_400)
    assert api.anonymous_token("c-2")["token"]


def test_setting_the_clock_jumps_forward_and_never_back(api: Api):
    now = api.client.get("/_mock/clock").json()
    moved = api.client.post("/_mock/clock/set", json={"now": "2027-01-01T00:00:00Z"}).json()
    assert moved["now"] == "2027-01-01T00:00:00+00:00"
    assert moved["epoch_ms"] > now["epoch_ms"]
    back = api.client.post("/_mock/clock/set", json={"now": "2026-01-01T00:00:00Z"})
    assert_error(back, 400, 400, "it is before 2027-01-01")
    assert_error(
        api.client.post("/_mock/clock/set", json={"now": "2027-02-01T00:00:00"}), 400, 400, "zone"
    )
    assert_error(api.client.post("/_mock/clock/set", json={"now": "soon"}), 400, 400, "ISO-8601")


def test_a_clock_set_past_its_limit_is_a_400_and_everything_keeps_working(api: Api):
    far = api.client.post("/_mock/clock/set", json={"now": "9999-12-31T00:00:00Z"})
    assert_error(far, 400, 400, "latest instant the mock clock shows is 2200-01-01")
    api.client.post("/_mock/clock/set", json={"now": "2199-12-31T00:00:00Z"})
    assert_error(
        api.client.post("/_mock/clock/advance", json={"seconds": 365 * 86_400}),
        400,
        400,
        "it would pass 2200-01-01",
    )
    assert api.anonymous_token()["token"]  # was a 500 for ever after
    assert advance(api, 60)["now"] == "2199-12-31T00:01:00+00:00"


@pytest.mark.ffmpeg
def test_render_timestamps_come_from_the_clock(api: Api, owner):
    headers, sid, ids = owner
    api.client.post("/_mock/clock/set", json={"now": "2026-11-03T10:00:00Z"})
    start(api, headers, sid, slideshow(ids), "render_t")
    done = wait(api, headers, "render_t")
    epoch = int(datetime(2026, 11, 3, 10, tzinfo=UTC).timestamp() * 1000)
    assert done["data"]["createdAt"] == epoch
    assert done["data"]["completedAt"] == epoch  # the manual clock stood still meanwhile
