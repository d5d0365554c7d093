"""``--error-style envelope`` serves a contract that matches it (issue 13 item 15): the
refusals sent as HTTP 200 are documented under 200, and real answers validate."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

from nemo_mock.contracts.loader import load_contract
from nemo_mock.mock_server.edge.contract_style import for_style
from nemo_mock.mock_server.edge.errors import HTTP_STATUS_OF_CODE
from tests.conftest import Api

SKILL = "skill/openapi.yaml"


def operations(document: dict[str, Any]):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "delete", "patch"):
                yield path, method, operation


def validate(document: dict[str, Any], path: str, method: str, body: Any) -> list[str]:
    pointer = path.replace("~", "~0").replace("/", "~1")
    root = {
        **document,
        "$ref": f"#/paths/{pointer}/{method}/responses/200/content/application~1json/schema",
    }
    return [e.message for e in Draft202012Validator(root).iter_errors(body)]


def test_the_http_style_serves_the_contract_as_written():
    assert for_style(load_contract(SKILL), "http") == load_contract(SKILL)


def test_the_envelope_style_documents_no_status_it_never_sends():
    document = for_style(load_contract(SKILL), "envelope")
    moved = {str(status) for status in HTTP_STATUS_OF_CODE.values()}
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            text = str(response)
            for code in HTTP_STATUS_OF_CODE:
                assert f"'const': {code}" not in text or status == "200", (path, method, status)
        if "401" in load_contract(SKILL)["paths"][path][method]["responses"]:
            assert "401" not in operation["responses"] and moved
            assert "application/json" in operation["responses"]["200"]["content"]


def test_the_served_contracts_follow_the_style(make_app):
    with TestClient(make_app(error_style="envelope")) as client:
        served = client.get("/openapi.json").json()
        surface = client.get("/_mock/surfaces/skill/openapi.json").json()
    assert served == surface == for_style(load_contract(SKILL), "envelope")
    with TestClient(make_app()) as client:
        assert client.get("/openapi.json").json() == load_contract(SKILL)


@pytest.mark.parametrize(
    ("method", "path", "template"),
    [
        ("get", "/api/credits/balance/simple", "/api/credits/balance/simple"),
        ("post", "/run_sse", "/run_sse"),
        (
            "get",
            "/api/state/nemo_agent/me/nope/latest",
            "/api/state/nemo_agent/{user_id}/{session_id}/latest",
        ),
        ("get", "/api/render/proxy/r1/download", "/api/render/proxy/{render_id}/download"),
    ],
)
def test_an_envelope_refusal_validates_against_the_served_200(make_app, method, path, template):
    with TestClient(make_app(error_style="envelope")) as client:
        served = client.get("/openapi.json").json()
        api = Api(client)
        headers = api.auth() if "state" in path else {"Authorization": "Bearer nmv_usr_wrong"}
        body = {
            "app_name": "nemo_agent", "user_id": "me", "session_id": "1",
            "new_message": {"parts": [{"text": "hi"}]},
        }  # fmt: skip
        answer = client.request(
            method, path, headers=headers, json=body if method == "post" else None
        )
    assert answer.status_code == 200 and answer.json()["code"] in (1001, 1002)
    assert validate(served, template, method, answer.json()) == []
    as_written = load_contract(SKILL)
    if "application/json" in as_written["paths"][template][method]["responses"]["200"].get(
        "content", {}
    ):
        assert validate(as_written, template, method, answer.json()) != []
