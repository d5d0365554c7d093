import pytest

from tests.conftest import Api, assert_error


def test_clock_reads_and_advances(client, clock):
    before = client.get("/_mock/clock").json()
    assert before["now"] == clock.now().isoformat() and before["offset_seconds"] == 0
    after = client.post("/_mock/clock/advance", json={"seconds": 90}).json()
    assert after["epoch_ms"] - before["epoch_ms"] == 90_000
    assert after["offset_seconds"] == 90


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"seconds": -1}, "seconds: Input should be greater than or equal to 0"),
        ({"seconds": False}, "seconds: Input should be a valid number"),
        ({"seconds": "5"}, "seconds: Input should be a valid number"),
        ({}, "seconds: Field required"),
        ({"seconds": 1, "extra": 1}, "extra: Extra inputs are not permitted"),
    ],
)
def test_bad_clock_moves_are_400_and_move_nothing(client, clock, body, message):
    now = clock.now()
    assert_error(client.post("/_mock/clock/advance", json=body), 400, 400, message)
    assert clock.now() == now


def test_health(client):
    body = client.get("/_mock/health").json()
    assert body["status"] == "ok" and body["version"]


def test_unknown_path_is_an_envelope_404(client):
    assert_error(client.get("/api/nothing"), 404, 404, "no operation GET /api/nothing")


def test_wrong_method_is_an_envelope_405(client):
    response = client.delete("/api/credits/balance/simple")
    assert_error(response, 405, 405, "no operation DELETE")
    assert response.headers["allow"] == "GET"


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/api/render/proxy/draft", "POST"),  # not GET /api/render/proxy/{render_id}'s
        ("/api/render/proxy/render_1", "GET"),
        ("/_mock/journal", "DELETE, GET"),
    ],
)
def test_a_405_names_the_methods_of_the_most_specific_path(client, path: str, allow: str):
    """As in the contracts (OpenAPI matches a path without parameters first)."""
    response = client.request("OPTIONS", path)
    assert_error(response, 405, 405, f"no operation OPTIONS {path}")
    assert response.headers["allow"] == allow


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_a_fault_body_nested_1000_deep_is_a_400(api: Api, opening: str):
    """json.loads hit the recursion limit: a 500."""
    closing = "]" if opening == "[" else "}"
    body = opening * 1000 + ("" if opening == "[" else "1") + closing * 1000
    response = api.client.post(
        "/_mock/faults", content=body, headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, 400, "JSON nested too deeply")
