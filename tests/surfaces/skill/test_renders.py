"""§4.8 render endpoints end to end: real jobs, real ffmpeg, real files."""

import time

import av
import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.media.samples import SampleSet
from tests.conftest import ATTRIBUTION, Api, assert_error
from tests.helpers.renders import slideshow, start, upload, wait

pytestmark = pytest.mark.ffmpeg


def test_a_render_completes_into_a_playable_mp4(api: Api, owner, tmp_path):
    headers, sid, ids = owner
    started = start(api, headers, sid, slideshow(ids))
    assert started.status_code == 200, started.text
    first = started.json()
    assert (first["status"], first["progress"], first["success"]) == ("pending", 5, True)
    assert first["data"]["createdAt"] and first["output"]["url"] is None

    done = wait(api, headers, "render_1")
    assert done["status"] == "completed", done
    assert done["progress"] == 100 and done["data"]["completedAt"] >= done["data"]["createdAt"]
    assert done["output"]["url"] == done["data"]["outputUrl"]
    assert done["output"]["duration"] == pytest.approx(2.0, abs=0.05)

    video = api.client.get(done["output"]["url"])
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    assert len(video.content) == done["output"]["size"]
    path = tmp_path / "out.mp4"
    path.write_bytes(video.content)
    with av.open(str(path)) as container:
        streams = {s.type: s for s in container.streams}
        assert streams["video"].codec_context.name == "h264"
        assert (streams["video"].width, streams["video"].height) == (320, 180)
        assert streams["audio"].codec_context.name == "aac"

    part = api.client.get(done["output"]["url"], headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == video.content[:10]
    fallback = api.client.get("/api/render/proxy/render_1/download", headers=headers)
    assert fallback.status_code == 200 and fallback.content == video.content


def test_export_without_attribution_is_402_and_records_nothing(api: Api, owner):
    headers, sid, ids = owner
    bare = {"Authorization": headers["Authorization"], "X-Skill-Source": "nemo-video"}
    response = start(api, bare, sid, slideshow(ids))
    body = assert_error(response, 402, 402, "free plan export blocked")
    assert "X-Skill-Version" in body["message"] and "X-Skill-Platform" in body["message"]
    assert "not a credit problem" in body["message"]
    assert_error(api.client.get("/api/render/proxy/lambda/render_1", headers=headers), 404, 404, "")


def test_duplicate_id_is_409_but_another_user_may_use_it(api: Api, owner, samples: SampleSet):
    headers, sid, ids = owner
    assert start(api, headers, sid, slideshow(ids)).status_code == 200
    assert_error(start(api, headers, sid, slideshow(ids)), 409, 409, "already used")
    other = api.auth("other-client")
    other_sid = api.session(other)["session_id"]
    other_ids = upload(api, other, other_sid, samples.path("photo_3.jpg"))
    assert start(api, other, other_sid, slideshow(other_ids)).status_code == 200
    wait(api, headers, "render_1")
    wait(api, other, "render_1")


def test_jobs_are_isolated_between_users(api: Api, owner):
    headers, sid, ids = owner
    start(api, headers, sid, slideshow(ids))
    intruder = api.auth("intruder")
    for path in (
        "/api/render/proxy/lambda/render_1",
        "/api/render/proxy/render_1",
        "/api/render/proxy/render_1/download",
    ):
        assert_error(api.client.get(path, headers=intruder), 404, 404, "no render job")
    cancel = api.client.post("/api/render/proxy/lambda/render_1/cancel", headers=intruder)
    assert_error(cancel, 404, 404, "no render job")
    assert wait(api, headers, "render_1")["status"] == "completed"


def test_a_draft_using_another_users_upload_fails_with_a_reason(api: Api, owner):
    _, _, ids = owner
    intruder = {**api.auth("intruder"), **ATTRIBUTION}
    sid = api.session(intruder)["session_id"]
    assert start(api, intruder, sid, slideshow(ids)).status_code == 200
    failed = wait(api, intruder, "render_1")
    assert failed["status"] == "failed"
    assert "not an upload of this user" in failed["data"]["error"]


def test_render_of_a_foreign_session_is_1002(api: Api, owner):
    _, sid, ids = owner
    other = api.auth("other")
    assert_error(start(api, other, sid, slideshow(ids)), 404, 1002, "not found")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: b.pop("sessionId") and b.update(session_id="1"), "sessionId: Field required"),
        (lambda b: b.update(id="has space"), "id: String should match pattern"),
        (lambda b: b.update(output={"format": "mov"}), "output.format"),
        (lambda b: b.update(draft={"t": [{"tt": 9, "sg": []}]}), "draft.t[0].tt"),
        (lambda b: b.update(draft={"t": []}), "nothing to render"),
    ],
)
def test_bad_render_requests_are_400(api: Api, owner, mutate, message):
    headers, sid, ids = owner
    body = {"id": "render_1", "sessionId": sid, "draft": slideshow(ids)}
    mutate(body)
    response = api.client.post("/api/render/proxy/lambda", headers=headers, json=body)
    assert_error(response, 400, 400, message)


def test_cancel_stops_a_job(api: Api, owner):
    headers, sid, ids = owner
    long_draft = slideshow(ids * 10, seconds_each=3, width=1280, height=720)
    assert start(api, headers, sid, long_draft, output={"quality": "high"}).status_code == 200
    wait(api, headers, "render_1", until=("processing",))
    cancelled = api.client.post("/api/render/proxy/lambda/render_1/cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert wait(api, headers, "render_1")["status"] == "cancelled"
    again = api.client.post("/api/render/proxy/lambda/render_1/cancel", headers=headers)
    assert_error(again, 409, 409, "already ended (cancelled)")
    download = api.client.get("/api/render/proxy/render_1/download", headers=headers)
    assert_error(download, 409, 409, "is cancelled, not completed")


def test_a_missing_source_fails_the_job_with_a_reason(api: Api, owner):
    headers, sid, _ = owner
    draft = slideshow(["f_0000000000000000"])
    assert start(api, headers, sid, draft).status_code == 200
    failed = wait(api, headers, "render_1")
    assert failed["status"] == "failed" and "f_0000000000000000" in failed["data"]["error"]
    assert failed["output"]["url"] is None


def test_legacy_aliases_reach_the_same_job(api: Api, owner):
    headers, sid, ids = owner
    body = {"id": "render_legacy", "sessionId": sid, "draft": slideshow(ids)}
    assert api.client.post("/api/render/proxy/draft", headers=headers, json=body).status_code == 200
    wait(api, headers, "render_legacy")
    legacy = api.client.get("/api/render/proxy/render_legacy", headers=headers).json()
    assert legacy["taskId"] == "render_legacy" and legacy["status"] == "completed"


@pytest.mark.parametrize(
    ("shape", "keys"),
    [
        ("skill", {"id", "status", "progress", "output", "error"}),
        ("reference", {"success", "data"}),
        ("legacy", {"taskId", "status", "progress", "output", "error"}),
    ],
)
def test_render_shape_setting_emits_one_documented_shape(make_app, samples, shape, keys):
    with TestClient(make_app(render_shape=shape)) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers)["session_id"]
        ids = upload(api, headers, sid, samples.path("photo_1.jpg"))
        body = start(api, headers, sid, slideshow(ids)).json()
        assert set(body) == keys
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            polled = client.get("/api/render/proxy/lambda/render_1", headers=headers).json()
            status = polled["data"]["status"] if shape == "reference" else polled["status"]
            if status == "completed":
                break
            time.sleep(0.1)
        assert set(polled) == keys
        url = polled["data"]["outputUrl"] if shape == "reference" else polled["output"]["url"]
        assert client.get(url).status_code == 200
