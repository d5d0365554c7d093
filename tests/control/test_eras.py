"""``GET /_mock/eras``: every era with what it decides, and the era the mock answers in."""

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nemo_mock.mock_server.domain.eras import ERA_NAMES

SCENARIO = {
    "name": "old-skill",
    "title": "A 1.4 client",
    "description": "The 1.4 skill's documents.",
    "client_should": "Work as 1.4 said.",
    "era": "v1.4",
}


def _by_name(body: dict) -> dict[str, dict]:
    return {era["name"]: era for era in body["eras"]}


def test_every_era_is_listed_with_its_link_and_claim_token_reuse(client: TestClient):
    body = client.get("/_mock/eras").json()
    assert [era["name"] for era in body["eras"]] == list(ERA_NAMES)
    assert body["current"] == body["default"] == "latest"
    eras = _by_name(body)
    assert eras["v1.1"]["link"] == "…/workspace/task/<task>/<session>?nemo_token=<token>"
    assert eras["v1.1"]["token_in_links"] and eras["v1.1"]["claim_token_lasts_seconds"] is None
    assert eras["v1.9"]["link"] == "…/workspace/claim?ct=<claim_token>"
    assert eras["v1.9"]["claim_token_lasts_seconds"] == 7 * 86_400
    assert (
        eras["v1.4"]["link_format"] == "claim_token" and not eras["v1.4"]["anonymous_tokens_expire"]
    )
    assert eras["v1.0"]["platforms"] == ["github"] and not eras["v1.0"]["client_id_required"]
    assert eras["api-reference"]["stream_limit_minutes"] == 10
    assert eras["adk"]["stream_style"] == "adk" and eras["latest"]["render_shape"] is None


def test_the_current_era_follows_the_option_and_the_scenario(
    make_app: Callable[..., FastAPI], client: TestClient
):
    with TestClient(make_app(era="v1.0")) as served:
        assert served.get("/_mock/eras").json()["current"] == "v1.0"
    assert client.post("/_mock/scenarios", json={"scenario": SCENARIO}).status_code == 200
    assert client.get("/_mock/eras").json()["current"] == "v1.4"
    client.post("/_mock/reset")
    assert client.get("/_mock/eras").json()["current"] == "latest"


def test_without_the_control_plane_there_is_no_eras_list(make_app: Callable[..., FastAPI]):
    with TestClient(make_app(control=False)) as client:
        assert client.get("/_mock/eras").status_code == 404
