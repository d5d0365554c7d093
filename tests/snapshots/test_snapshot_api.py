"""Snapshots over the control API, in-process: save, list, restore, delete, export, import,
and every refusal with its code and message."""

from __future__ import annotations

import io
import json
import random
import tarfile

from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.settings import Settings
from tests.conftest import Api, assert_error
from tests.helpers.renders import upload


def save(api: Api, name: str) -> dict:
    response = api.client.post("/_mock/snapshots", json={"name": name})
    assert response.status_code == 201, response.text
    return response.json()


def credits(api: Api, headers) -> int:
    response = api.client.get("/api/credits/balance/simple", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["data"]["available"]


def test_a_snapshot_lists_its_files_and_restores_the_state(api, owner, samples):
    headers, sid, ids = owner
    summary = save(api, "two-photos")
    assert summary["name"] == "two-photos" and summary["files"] == 2
    assert summary["file_bytes"] == sum(
        samples.path(n).stat().st_size for n in ("photo_1.jpg", "photo_2.jpg")
    )
    listed = api.client.get("/_mock/snapshots").json()["snapshots"]
    assert [s["name"] for s in listed] == ["two-photos"]
    # change everything: another session, a third upload, credits spent by the control plane
    other = api.session(headers)["session_id"]
    upload(api, headers, sid, samples.path("photo_1.jpg"))
    api.client.post("/_mock/credits", json={"token": _raw(headers), "available": 3})
    assert credits(api, headers) == 3
    restored = api.client.post("/_mock/snapshots/two-photos/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json()["restored"]["name"] == "two-photos"
    assert credits(api, headers) == 100  # the same token works, its balance is back
    state = api.state(headers, sid)["state"]
    assert [m["file_id"] for m in state["video_infos"]] == ids
    gone = api.client.get(f"/api/state/nemo_agent/me/{other}/latest", headers=headers)
    assert gone.status_code == 404  # the session made after the snapshot is not there
    served = [api.client.get(info["cdn_url"]).content for info in state["video_infos"]]
    assert served == [samples.path(n).read_bytes() for n in ("photo_1.jpg", "photo_2.jpg")]
    journal = api.client.get("/_mock/journal").json()["entries"]
    assert journal[0]["seq"] == 1 and journal[0]["operation"] == "getCreditBalance"


def _raw(headers) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def test_an_exported_snapshot_is_one_file_another_mock_imports(
    api, owner, samples, tmp_path, clock
):
    headers, sid, ids = owner
    save(api, "fixture")
    exported = api.client.get("/_mock/snapshots/fixture/file")
    assert exported.status_code == 200
    assert exported.headers["content-type"] == "application/x-tar"
    assert 'filename="fixture.snapshot.tar"' in exported.headers["content-disposition"]
    with tarfile.open(fileobj=io.BytesIO(exported.content)) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[-2:] == ["state.json", "manifest.json"]
    assert manifest["format"] == "nemo-mock-snapshot" and manifest["version"] == 1
    assert sorted(f["path"].split("/")[0] for f in manifest["files"]) == ["uploads", "uploads"]
    # a second mock, its own data dir elsewhere
    other_dir = tmp_path / "elsewhere"
    second_app = create_app(Settings(data_dir=other_dir), clock=clock, rng=random.Random(0))
    with TestClient(second_app) as client:
        second = Api(client)
        files = {"file": ("team.snapshot.tar", exported.content, "application/x-tar")}
        imported = client.post("/_mock/snapshots/import", files=files, data={"name": "team"})
        assert imported.status_code == 201, imported.text
        assert imported.json()["name"] == "team" and imported.json()["files"] == 2
        assert client.post("/_mock/snapshots/team/restore").status_code == 200
        state = second.state(headers, sid)["state"]
        assert [m["file_id"] for m in state["video_infos"]] == ids
        served = [client.get(m["cdn_url"]).content for m in state["video_infos"]]
        assert served == [samples.path(n).read_bytes() for n in ("photo_1.jpg", "photo_2.jpg")]
        uploads = sorted(p for p in (other_dir / "uploads").rglob("*") if p.is_file())
        assert len(uploads) == 2  # the files live in this mock's data dir now


def test_a_snapshot_name_is_checked(api):
    assert_error(api.client.post("/_mock/snapshots", json={"name": "../x"}), 400, 400, "not usable")
    assert_error(api.client.post("/_mock/snapshots", json={}), 400, 400, "name")
    save(api, "once")
    assert_error(
        api.client.post("/_mock/snapshots", json={"name": "once"}), 409, 409, "delete it first"
    )


def test_unknown_snapshots_are_404_naming_the_known_ones(api):
    save(api, "known")
    for answer in (
        api.client.post("/_mock/snapshots/nope/restore"),
        api.client.delete("/_mock/snapshots/nope"),
        api.client.get("/_mock/snapshots/nope/file"),
    ):
        assert_error(answer, 404, 404, "no snapshot 'nope' (snapshots now: known)")


def test_delete_removes_a_snapshot(api):
    save(api, "short-lived")
    deleted = api.client.delete("/_mock/snapshots/short-lived")
    assert deleted.status_code == 200 and deleted.json()["deleted"]["name"] == "short-lived"
    assert api.client.get("/_mock/snapshots").json()["snapshots"] == []


def test_restoring_releases_a_hold_the_snapshot_caught(api, owner, app):
    headers, _, _ = owner
    mock = app.state.mock
    user_id = next(iter(mock.backend.store.users))
    mock.backend.ledger.freeze(user_id, 7, "a turn in progress")
    assert credits(api, headers) == 93
    save(api, "mid-turn")
    assert api.client.post("/_mock/snapshots/mid-turn/restore").status_code == 200
    balance = mock.backend.ledger.balance(user_id)
    assert (balance.available, balance.frozen) == (100, 0)  # no turn runs: nothing stays frozen


def _import(api: Api, content: bytes, **data) -> object:
    files = {"file": ("x.snapshot.tar", content, "application/x-tar")}
    return api.client.post("/_mock/snapshots/import", files=files, data=data)


def _tar(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _exported(api: Api) -> bytes:
    save(api, "base")
    return api.client.get("/_mock/snapshots/base/file").content


def test_import_refuses_what_is_not_a_snapshot(api):
    assert_error(_import(api, b"hello"), 400, 400, "not a snapshot file")
    assert_error(_import(api, _tar({"a.txt": b"x"})), 400, 400, "it has no manifest.json")
    answer = api.client.post("/_mock/snapshots/import", content=b"{}")
    assert_error(answer, 400, 400, "multipart/form-data")
    assert api.client.get("/_mock/snapshots").json()["snapshots"] == []


def test_import_refuses_a_newer_format_naming_both_versions(api):
    manifest = json.dumps({"format": "nemo-mock-snapshot", "version": 9}).encode()
    answer = _import(api, _tar({"manifest.json": manifest}))
    assert_error(answer, 400, 400, "format version 9 is newer than this nemo-mock reads (up to 1)")


def test_import_refuses_a_damaged_file(api, owner):
    content = bytearray(_exported(api))
    jpeg = content.find(b"\xff\xd8\xff")  # the first photo's bytes inside the tar
    content[jpeg + 100] ^= 0xFF
    assert_error(_import(api, bytes(content), name="bad"), 400, 400, "do not match the manifest")
    assert [s["name"] for s in api.client.get("/_mock/snapshots").json()["snapshots"]] == ["base"]


def test_import_refuses_paths_outside_the_data_folders(api, owner):
    with tarfile.open(fileobj=io.BytesIO(_exported(api))) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        state = tar.extractfile("state.json").read()
    manifest["files"][0]["path"] = "uploads/../../etc/passwd"
    answer = _import(
        api, _tar({"state.json": state, "manifest.json": json.dumps(manifest).encode()})
    )
    assert_error(answer, 400, 400, "is not allowed")


def test_import_refuses_a_taken_name(api):
    content = _exported(api)
    assert_error(_import(api, content), 409, 409, "a snapshot named 'base' exists")
    assert _import(api, content, name="copy").status_code == 201
