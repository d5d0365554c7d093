"""The gateway's REST operations over the shared domain, as the CLI calls them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Api, assert_error
from tests.surfaces.gateway.conftest import CLI_HEADERS, Gateway, mint


def test_balance_carries_what_the_cli_prints(gateway: Gateway):
    assert gateway.get("/billing/balance") == {
        "available": 500,
        "frozen": 0,
        "total": 500,
        "total_consumed": 0,
        "total_granted": 500,
    }


def test_verify_names_the_user_and_balance(gateway: Gateway):
    data = gateway.post("/auth/verify", {"token": gateway.token})
    assert data["user_id"].startswith("usr_") and data["balance"]["available"] == 500


def test_a_revoked_key_is_a_1010_with_http_401(client: TestClient, gateway: Gateway):
    client.post("/_mock/tokens/revoke", json={"token": gateway.token})
    response = client.get("/billing/balance", headers=gateway.headers)
    assert_error(response, 401, 1010, "revoked")


def test_an_expired_key_is_a_1011(client: TestClient, gateway: Gateway):
    client.post("/_mock/tokens/expire", json={"token": gateway.token})
    assert_error(client.get("/projects", headers=gateway.headers), 401, 1011, "expired")


def test_the_skill_surface_keeps_1001_for_the_same_key(client: TestClient, gateway: Gateway):
    client.post("/_mock/tokens/revoke", json={"token": gateway.token})
    response = client.get("/api/credits/balance/simple", headers=gateway.headers)
    assert_error(response, 401, 1001, "revoked")


def test_a_cli_project_is_a_session_of_the_skill_surface(api: Api, gateway: Gateway):
    made = gateway.project()
    session_id = made["session"]["session_id"]
    state = api.state(gateway.headers, session_id)
    assert state["task_id"] == made["project_id"] and state["session_id"] == session_id


def test_a_skill_session_is_a_project_the_cli_lists(api: Api, gateway: Gateway):
    skill = api.session(gateway.headers, task_name="wedding")
    listed = gateway.get("/projects")
    assert [(p["project_id"], p["name"]) for p in listed["projects"]] == [
        (skill["task_id"], "wedding")
    ]
    sessions = gateway.get(f"/projects/{skill['task_id']}/sessions")["sessions"]
    assert [s["session_id"] for s in sessions] == [skill["session_id"]]


def test_another_users_project_is_not_found(client: TestClient, gateway: Gateway):
    project_id = gateway.project()["project_id"]
    other = Gateway(client, mint(client))
    for path in (f"/projects/{project_id}", f"/api/v1/state/frontend/{project_id}"):
        response = client.get(path, headers=other.headers)
        assert_error(response, 404, 404, "not found")
        assert "session" not in response.text


def test_frontend_state_has_the_draft_and_the_uploaded_files(gateway: Gateway, samples):
    made = gateway.project()
    with samples.path("photo_1.jpg").open("rb") as photo:
        response = gateway.client.post(
            "/files/upload",
            headers={"Authorization": gateway.headers["Authorization"], **CLI_HEADERS},
            files={"file": ("photo_1.jpg", photo, "image/jpeg")},
            data={"session_id": made["session"]["session_id"]},
        )
    assert response.status_code == 200, response.text
    uploaded = response.json()["data"]
    assert uploaded["filename"] == "photo_1.jpg" and uploaded["file_type"] == "image"
    project = gateway.get(f"/api/v1/state/frontend/{made['project_id']}")["project"]
    assert project["timeline_draft"]["t"] == []
    (listed,) = project["files:uploads"]
    assert listed["cdn_url"] == uploaded["url"] and listed["s3_key"].endswith("/photo_1.jpg")
    assert gateway.client.get(uploaded["url"]).status_code == 200


def test_an_upload_without_session_id_is_refused_and_leaves_nothing(gateway: Gateway, samples):
    made = gateway.project()
    with samples.path("photo_1.jpg").open("rb") as photo:
        response = gateway.client.post(
            "/files/upload",
            headers={"Authorization": gateway.headers["Authorization"]},
            files={"file": ("photo_1.jpg", photo, "image/jpeg")},
        )
    assert_error(response, 400, 400, "session_id")
    project = gateway.get(f"/api/v1/state/frontend/{made['project_id']}")["project"]
    assert project["files:uploads"] == []


def test_an_upload_to_another_users_session_is_a_1002(client: TestClient, gateway, samples):
    session_id = gateway.project()["session"]["session_id"]
    other = Gateway(client, mint(client))
    with samples.path("photo_1.jpg").open("rb") as photo:
        response = client.post(
            "/files/upload",
            headers={"Authorization": other.headers["Authorization"]},
            files={"file": ("photo_1.jpg", photo, "image/jpeg")},
            data={"session_id": session_id},
        )
    assert_error(response, 404, 1002, "not found")


def test_an_unsupported_upload_is_a_4001(gateway: Gateway, samples):
    session_id = gateway.project()["session"]["session_id"]
    with samples.path("notes.txt").open("rb") as notes:
        response = gateway.client.post(
            "/files/upload",
            headers={"Authorization": gateway.headers["Authorization"]},
            files={"file": ("notes.txt", notes, "text/plain")},
            data={"session_id": session_id},
        )
    assert_error(response, 415, 4001, "notes.txt")


def test_usage_history_pages_and_refuses_a_page_size_over_100(client, gateway: Gateway):
    page = gateway.get("/billing/usage/conversations", page_no=1, page_size=1)
    assert (page["total"], page["total_pages"], page["has_next"]) == (2, 2, True)
    assert page["items"][0]["grant"] == {"source": "admin"}
    response = client.get(
        "/billing/usage/conversations", headers=gateway.headers, params={"page_size": 101}
    )
    assert_error(response, 400, 400, "page_size")


def test_claim_exchange_gives_a_clm_token_never_the_key(gateway: Gateway):
    project_id = gateway.project()["project_id"]
    data = gateway.post("/api/auth/exchange-claim-token", {"project_id": project_id})
    assert data["claim_token"].startswith("clm_") and data["url"].endswith(data["claim_token"])
    assert gateway.token not in str(data)


def test_download_before_any_export_has_no_output(gateway: Gateway):
    project_id = gateway.project()["project_id"]
    data = gateway.get(f"/services/v1/render-proxy/{project_id}/download")
    assert data == {"project_id": project_id, "render_id": None, "output": None}


def test_export_without_attribution_is_a_402(client: TestClient, gateway: Gateway):
    session_id = gateway.project()["session"]["session_id"]
    body = {"id": "draft-cli-1", "sessionId": session_id, "draft": {"t": []}}
    response = client.post(
        "/services/v1/render-proxy/lambda",
        headers={"Authorization": gateway.headers["Authorization"]},
        json=body,
    )
    assert_error(response, 402, 402, "X-Skill-Source")


def test_a_bad_crf_is_named(client: TestClient, gateway: Gateway):
    session_id = gateway.project()["session"]["session_id"]
    body = {"id": "r1", "sessionId": session_id, "draft": {}, "output": {"crf": 99}}
    response = client.post("/services/v1/render-proxy/lambda", headers=gateway.headers, json=body)
    assert_error(response, 400, 400, "crf")


def test_both_contracts_are_served_as_written(client: TestClient):
    from nemo_mock.contracts.loader import load_contract

    served = client.get("/_mock/surfaces/gateway/openapi.json").json()
    assert served == load_contract("gateway/openapi.yaml")
    asyncapi = client.get("/_mock/surfaces/gateway/asyncapi.json").json()
    assert asyncapi == load_contract("gateway/asyncapi.yaml") and asyncapi["asyncapi"] == "3.0.0"
    assert_error(client.get("/_mock/surfaces/skill/asyncapi.json"), 404, 404, "no sockets")
