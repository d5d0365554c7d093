"""§8: the render job's JSON per document version, chosen by the era."""

import pytest

from tests.conftest import Api
from tests.helpers.renders import slideshow, start

pytestmark = pytest.mark.ffmpeg


def _started(api: Api, owner, era: str) -> dict:
    headers, sid, ids = owner
    response = start(api, {**headers, "X-Mock-Era": era}, sid, slideshow(ids), f"render_{era}")
    assert response.status_code == 200, response.text
    return response.json()


def test_the_api_reference_puts_status_and_output_url_inside_data(api: Api, owner):
    body = _started(api, owner, "api-reference")
    assert set(body) == {"success", "data"} and body["success"] is True
    assert body["data"]["status"] == "pending" and "outputUrl" in body["data"]


def test_the_skill_documents_put_status_on_top_and_the_url_at_output(api: Api, owner):
    body = _started(api, owner, "v1.9")
    assert body["status"] == "pending" and body["output"]["url"] is None
    assert "data" not in body and "taskId" not in body


def test_the_earliest_documents_answer_a_task_id(api: Api, owner):
    body = _started(api, owner, "v1.0")
    assert body["taskId"] == "render_v1.0" and "id" not in body and "data" not in body


def test_latest_answers_every_shape_at_once_as_before(api: Api, owner):
    body = _started(api, owner, "latest")
    assert body["taskId"] == body["id"] == body["data"]["id"] == "render_latest"
    assert body["success"] is True and body["code"] == 0


def test_polling_answers_in_the_era_of_the_poll(api: Api, owner):
    headers, _, _ = owner
    _started(api, owner, "latest")
    polled = api.client.get(
        "/api/render/proxy/lambda/render_latest", headers={**headers, "X-Mock-Era": "api-reference"}
    ).json()
    assert set(polled) == {"success", "data"}
