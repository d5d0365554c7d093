"""§8 browser links by era: each era's web app opens its own link form; a claim token opens
its project any number of times for 7 days; token links live as long as their token."""

from typing import Any

from fastapi.testclient import TestClient

from nemo_mock.mock_server.domain.clock import ManualClock
from tests.conftest import ATTRIBUTION, Api, assert_error

WEEK = 7 * 86_400


def _era(name: str, **headers: str) -> dict[str, str]:
    return {"X-Mock-Era": name, **headers}


def _token(client: TestClient, era: str) -> str:
    headers = {**ATTRIBUTION, "X-Client-Id": f"client-{era}", "X-Mock-Era": era}
    response = client.post("/api/auth/anonymous-token", headers=headers)
    assert response.status_code == 200, response.text
    token: str = response.json()["data"]["token"]
    return token


def _project(api: Api, token: str) -> dict[str, Any]:
    return api.session({**ATTRIBUTION, "Authorization": f"Bearer {token}"})


def _claim(client: TestClient, token: str, project: dict[str, Any]) -> str:
    response = client.post(
        "/api/auth/claim-token",
        headers={**ATTRIBUTION, "Authorization": f"Bearer {token}"},
        json={"task_id": project["task_id"], "session_id": project["session_id"]},
    )
    assert response.status_code == 200, response.text
    claim: str = response.json()["data"]["claim_token"]
    return claim


def _claim_link(token: str, project: dict[str, Any]) -> dict[str, str]:
    return {
        "token": token,
        "task": project["task_id"],
        "session": project["session_id"],
        "skill_name": "nemo-video",
    }


def _task_path(project: dict[str, Any]) -> str:
    return f"/workspace/task/{project['task_id']}/{project['session_id']}"


def _opened(response: Any, project: dict[str, Any], form: str) -> None:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert f'data-session="{project["session_id"]}"' in response.text
    assert f'data-task="{project["task_id"]}"' in response.text
    assert f'data-link="{form}"' in response.text


def test_a_claim_token_opens_its_project_again_and_again_for_7_days(
    client: TestClient, api: Api, clock: ManualClock
):
    token = _token(client, "v1.9")
    project = _project(api, token)
    ct = _claim(client, token, project)
    for _ in range(3):
        _opened(client.get("/workspace/claim", params={"ct": ct}), project, "claim_ct")
    clock.advance(WEEK - 1)
    _opened(client.get("/workspace/claim", params={"ct": ct}), project, "claim_ct")
    clock.advance(1)
    expired = client.get("/workspace/claim", params={"ct": ct})
    assert_error(expired, 401, 1001, "(claim tokens last 7 days)")
    assert "POST /api/auth/claim-token" in expired.json()["message"]


def test_the_1_1_task_link_opens_with_its_token_a_year_later(
    client: TestClient, api: Api, clock: ManualClock
):
    token = _token(client, "v1.1")
    project = _project(api, token)
    clock.advance(365 * 86_400)
    page = client.get(_task_path(project), params={"nemo_token": token}, headers=_era("v1.1"))
    _opened(page, project, "task_nemo_token")


def test_the_1_8_claim_link_stops_opening_when_its_token_expires(
    client: TestClient, api: Api, clock: ManualClock
):
    token = _token(client, "v1.8")
    project = _project(api, token)
    link = _claim_link(token, project)
    _opened(
        client.get("/workspace/claim", params=link, headers=_era("v1.8")), project, "claim_token"
    )
    clock.advance(WEEK)
    later = client.get("/workspace/claim", params=link, headers=_era("v1.8"))
    assert_error(later, 401, 1001, "expired")


def test_each_era_refuses_the_links_of_the_others_naming_its_own(client: TestClient, api: Api):
    token = _token(client, "latest")
    project = _project(api, token)
    ct = _claim(client, token, project)
    token_link = client.get("/workspace/claim", params=_claim_link(token, project))
    body = assert_error(token_link, 400, 400, "the latest web app")
    assert "opens only links of the form …/workspace/claim?ct=<claim_token>" in body["message"]
    assert "this link has the form …/workspace/claim?token=<token>" in body["message"]
    old = client.get("/workspace/claim", params={"ct": ct}, headers=_era("v1.4"))
    assert_error(old, 400, 400, "opens only links of the form …/workspace/claim?token=<token>")
    task = client.get(_task_path(project), params={"nemo_token": token}, headers=_era("v1.9"))
    assert_error(task, 400, 400, "the v1.9 web app")


def test_a_link_opens_only_its_own_users_project(client: TestClient, api: Api):
    owner, other = _token(client, "v1.4"), _token(client, "v1.8")
    project = _project(api, owner)
    theirs = client.get(
        "/workspace/claim", params=_claim_link(other, project), headers=_era("v1.4")
    )
    assert_error(theirs, 404, 1002, "not found")


def test_the_access_token_in_ct_opens_nothing(client: TestClient, api: Api):
    token = _token(client, "latest")
    _project(api, token)
    refused = client.get("/workspace/claim", params={"ct": token})
    body = assert_error(refused, 401, 1001, "ct= carries a claim token")
    assert token not in body["message"]


def test_an_unknown_claim_token_opens_nothing(client: TestClient):
    refused = client.get("/workspace/claim", params={"ct": "clm_nosuchclaimtoken"})
    assert_error(refused, 401, 1001, "unknown claim token")


def test_a_malformed_link_says_what_it_lacks(client: TestClient, api: Api):
    assert_error(client.get("/workspace/claim"), 400, 400, "a claim link needs ct=<claim_token>")
    partial = client.get("/workspace/claim", params={"token": "nmv_usr_x", "task": "task_1"})
    assert_error(partial, 400, 400, "also needs session=")
    both = client.get("/workspace/claim", params={"token": "nmv_usr_x", "ct": "clm_y"})
    assert_error(both, 400, 400, "not both")
    bare = client.get("/workspace/task/task_1/123", headers=_era("v1.1"))
    assert_error(bare, 400, 400, "needs nemo_token=<token>")


def test_the_journal_keeps_the_links_form_but_not_their_tokens(client: TestClient, api: Api):
    token = _token(client, "v1.4")
    project = _project(api, token)
    client.get("/workspace/claim", params=_claim_link(token, project), headers=_era("v1.4"))
    entries = client.get("/_mock/journal").json()["entries"]
    (opened,) = [e for e in entries if e["operation"] == "openWorkspaceClaim"]
    assert opened["status"] == 200 and opened["notes"]["link_format"] == "claim_token"
    assert token not in str(opened)
    (fp,) = opened["secrets_in_url"]
    assert opened["query"].startswith(f"token=<{fp}>&task={project['task_id']}&session=")
