"""Reading answers: both error styles, every documented render shape, export-ready drafts."""

from __future__ import annotations

import pytest

from nemo_mock.client_tests.reference_client import envelope


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, {"code": 0, "data": {}}, None),
        (200, {"code": 0, "message": "ok", "data": None}, None),
        # --error-style http: the HTTP status and the code in the body
        (401, {"code": 1001, "message": "token expired", "data": None}, 1001),
        (404, {"code": 1002, "message": "session not found", "data": None}, 1002),
        (402, {"code": 2001, "message": "not enough credits", "data": {}}, 2001),
        (402, {"code": 402, "message": "free plan export blocked", "data": None}, 402),
        (415, {"code": 4001, "message": "unsupported", "data": None}, 4001),
        (413, {"code": 4002, "message": "too large", "data": None}, 4002),
        (429, {"code": 429, "message": "slow down", "data": None}, 429),
        (400, {"code": 400, "message": "missing X-Client-Id", "data": None}, 400),
        # --error-style envelope: HTTP 200 with a non-zero code
        (200, {"code": 1001, "message": "token expired", "data": None}, 1001),
        (200, {"code": 1002, "message": "session not found", "data": None}, 1002),
        (200, {"code": 2001, "message": "not enough credits", "data": {}}, 2001),
        (200, {"code": 4002, "message": "too large", "data": None}, 4002),
        # render jobs: success flag, or no code at all
        (200, {"success": True, "data": {"id": "r", "status": "pending"}}, None),
        (200, {"status": "processing", "output": {"url": None}}, None),
        (200, {"success": False, "data": None}, -1),
        # no JSON body at all
        (404, None, 404),
        (502, "Bad Gateway", 502),
        (500, {"code": 0}, 500),
        (200, None, None),
        (200, {"code": True}, None),
    ],
)
def test_error_code_reads_both_error_styles(status, body, expected):
    assert envelope.error_code(status, body) == expected


UNION = {
    "success": True,
    "code": 0,
    "taskId": "render_1",
    "id": "render_1",
    "status": "completed",
    "progress": 100,
    "output": {"url": "http://x/cdn/renders/k/render_1.mp4", "duration": 2.0, "size": 10},
    "error": None,
    "data": {
        "id": "render_1",
        "status": "completed",
        "progress": 100,
        "outputUrl": "http://x/cdn/renders/k/render_1.mp4",
        "createdAt": 1,
        "completedAt": 2,
        "error": None,
    },
}
SKILL = {"id": "render_1", "status": "completed", "progress": 100, "output": {"url": "http://s"}}
REFERENCE = {
    "success": True,
    "data": {"id": "render_1", "status": "completed", "outputUrl": "http://r"},
}
LEGACY = {
    "taskId": "render_1",
    "status": "completed",
    "progress": 100,
    "output": {"url": "http://l"},
}


@pytest.mark.parametrize(
    ("body", "status", "url"),
    [
        (UNION, "completed", "http://x/cdn/renders/k/render_1.mp4"),
        (SKILL, "completed", "http://s"),
        (REFERENCE, "completed", "http://r"),
        (LEGACY, "completed", "http://l"),
        ({"outputUrl": "http://top", "status": "completed"}, "completed", "http://top"),
        (
            {"success": True, "data": {"status": "processing", "outputUrl": None}},
            "processing",
            None,
        ),
        ({"status": "pending", "output": {"url": None}}, "pending", None),
        ({"data": {"status": "failed"}, "status": "processing"}, "failed", None),
        ({}, None, None),
        (None, None, None),
    ],
)
def test_render_shapes_give_status_and_url(body, status, url):
    assert envelope.render_status(body) == status
    assert envelope.render_url(body) == url


def test_render_error_reads_data_then_top_level():
    assert envelope.render_error({"data": {"error": "disk full"}, "error": None}) == "disk full"
    assert envelope.render_error({"status": "failed", "error": "encoder"}) == "encoder"
    assert envelope.render_error({"status": "failed"}) == "no reason given"


def test_bind_url_from_data_or_message():
    assert envelope.bind_url({"data": {"bind_url": "https://w/register?bind=anon_1"}}) == (
        "https://w/register?bind=anon_1"
    )
    message = {
        "message": "not enough credits: register (https://w/register?bind=anon_2).",
        "data": None,
    }
    assert envelope.bind_url(message) == "https://w/register?bind=anon_2"
    assert envelope.bind_url({"message": "not enough credits", "data": {"bind_url": None}}) is None


@pytest.mark.parametrize(
    ("state", "ready"),
    [
        (None, False),
        ({}, False),
        ({"draft": None}, False),
        ({"draft": {"t": []}}, False),
        ({"draft": {"t": [{"tt": 0, "sg": []}]}}, False),
        ({"draft": {"t": "tracks"}}, False),
        ({"draft": {"t": [{"tt": 1, "sg": None}, "x"]}}, False),
        ({"draft": {"t": [{"tt": 0, "sg": []}, {"tt": 1, "sg": [{"s": 0, "d": 10}]}]}}, True),
        ({"draft": {"t": [{"tt": 0, "sg": [{"s": 0, "d": 5000}]}], "d": 5000}}, True),
    ],
)
def test_export_ready(state, ready):
    assert envelope.export_ready(state) is ready
