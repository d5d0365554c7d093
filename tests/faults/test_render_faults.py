"""Render faults: a job that fails with a reason, one that stays pending, one that is slow."""

import time

import pytest

from tests.conftest import Api, assert_error
from tests.helpers.renders import slideshow, start, wait

pytestmark = pytest.mark.ffmpeg


def test_render_fail_fails_the_job_with_the_reason_and_the_next_job_works(api: Api, owner):
    headers, sid, ids = owner
    api.client.post("/_mock/faults", json={"spec": 'op=startRender render_fail="disk full"'})
    assert start(api, headers, sid, slideshow(ids), "render_a").status_code == 200
    failed = wait(api, headers, "render_a")
    assert (failed["status"], failed["data"]["error"]) == ("failed", "disk full")
    assert start(api, headers, sid, slideshow(ids), "render_b").status_code == 200
    assert wait(api, headers, "render_b")["status"] == "completed"


def test_render_pending_stays_pending_until_cancelled(api: Api, owner, clock):
    headers, sid, ids = owner
    start(api, headers, sid, slideshow(ids), "render_p", **{})
    api.client.post("/_mock/faults", json={"action": {"render_pending": True}})
    start(api, headers, sid, slideshow(ids), "render_q")
    assert wait(api, headers, "render_p")["status"] == "completed"
    clock.advance(3600)
    stuck = api.client.get("/api/render/proxy/lambda/render_q", headers=headers).json()
    assert (stuck["status"], stuck["progress"]) == ("pending", 5)
    cancelled = api.client.post("/api/render/proxy/lambda/render_q/cancel", headers=headers)
    assert cancelled.json()["status"] == "cancelled"


def test_render_slow_holds_the_job_until_its_time_has_passed_on_the_mock_clock(
    api: Api,
    owner,
    clock,
):
    headers, sid, ids = owner
    api.client.post("/_mock/faults", json={"action": {"render_slow": 120}})
    start(api, headers, sid, slideshow(ids), "render_s")
    # the job's time runs from its start on the mock clock: a job still queued when the clock
    # moves would start after it, and count nothing of the 60 s (seen on a loaded machine)
    _poll_until(api, headers, "render_s", lambda b: b["status"] != "pending")
    clock.advance(60)
    halfway = _poll_until(api, headers, "render_s", lambda b: b["progress"] >= 50)
    assert halfway["status"] == "processing"
    assert halfway["progress"] <= 55  # the encoder is done; the fault holds the rest
    clock.advance(60)
    assert wait(api, headers, "render_s")["status"] == "completed"


def test_a_render_fault_on_the_wrong_operation_is_refused(api: Api):
    response = api.client.post(
        "/_mock/faults", json={"operation": "getRender", "action": {"render_pending": True}}
    )
    assert_error(response, 400, 400, "render_pending applies to")
    assert "startRender" in response.json()["message"]
    assert "not to getRender" in response.json()["message"]


def test_render_fail_acts_on_the_gateways_lambda_render_too(api: Api, owner):
    """The gateway's export is the same job service: ``render_fail`` on its operation fails
    the job, and the gateway's poll says why (top-level ``status`` and ``error``)."""
    headers, sid, ids = owner
    rule = {"spec": 'op=gateway.submitLambdaRender render_fail="no space left"'}
    assert api.client.post("/_mock/faults", json=rule).status_code == 201
    body = {"id": "render_g", "sessionId": sid, "draft": slideshow(ids)}
    submitted = api.client.post("/services/v1/render-proxy/lambda", headers=headers, json=body)
    assert submitted.status_code == 200, submitted.text
    deadline = time.monotonic() + 60
    while (job := _gateway_job(api, headers, "render_g"))["status"] not in ("failed", "completed"):
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    assert job["status"] == "failed" and "no space left" in job["error"], job


def _gateway_job(api: Api, headers, render_id: str) -> dict:
    answer = api.client.get(f"/services/v1/render-proxy/lambda/{render_id}", headers=headers)
    assert answer.status_code == 200, answer.text
    job: dict = answer.json()["data"]
    return job


def _poll_until(api, headers, render_id, condition, limit=60):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        body = api.client.get(f"/api/render/proxy/lambda/{render_id}", headers=headers).json()
        if condition(body):
            return body
        time.sleep(0.1)
    raise AssertionError(f"render {render_id}: condition not met; last {body}")
