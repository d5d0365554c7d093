"""The published CLI, unmodified, runs every command against a live mock.

One mock and one CLI home for the module; the tests run in order, like a user would:
configure, check credits, create with export, list, chat, re-export, download, upload,
read the history, and finally find the key revoked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import av
import httpx
import pytest

from nemo_mock.client_tests.live_mock import LiveMock
from nemo_mock.contracts.rules import RuleContext
from nemo_mock.contracts.rules.gateway_chat import ANSWER_ASK_QUESTION, CHAT_RECONNECT_ONCE
from nemo_mock.mock_server.journal.entry import JournalEntry
from nemo_mock.mock_server.surfaces.gateway.asyncapi import problem
from tests.helpers.prompts import QUICK_RENDERS
from tests.live.conftest import start_mock
from tests.surfaces.gateway.vendor_cli import Cli, vendor_cli

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg]


@pytest.fixture(scope="module")
def cli_command() -> list[str]:
    command, why = vendor_cli()
    if command is None:
        pytest.skip(why)
    return command


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveMock]:
    live = start_mock(tmp_path_factory.mktemp("gateway"), env=QUICK_RENDERS)  # the CLI is judged
    yield live
    live.stop()


@pytest.fixture(scope="module")
def key(mock: LiveMock) -> str:
    minted = httpx.post(f"{mock.url}/_mock/tokens", json={"scopes": ["*"], "credits": 500})
    return str(minted.json()["token"])


@pytest.fixture(scope="module")
def cli(cli_command, mock: LiveMock, key: str, tmp_path_factory) -> Cli:
    cli = Cli(cli_command, tmp_path_factory.mktemp("home"))
    assert cli("config", "set", "base_url", mock.url).code == 0
    assert cli("config", "set", "api_key", key).code == 0
    return cli


def _gateway(mock: LiveMock, key: str, path: str) -> dict:
    response = httpx.get(f"{mock.url}{path}", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _project(mock: LiveMock, key: str) -> str:
    return str(_gateway(mock, key, "/projects")["projects"][0]["project_id"])


def _video(path: Path) -> tuple[str, int, int, float]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        seconds = float(container.duration or 0) / av.time_base
        return stream.codec_context.name, stream.width, stream.height, round(seconds, 1)


def test_credits(cli: Cli):
    run = cli("credits")
    assert run.code == 0 and "Available: 500 | Frozen: 0 | Total consumed: 0" in run.out, run


def test_create_with_export_writes_an_h264_mp4_of_that_shape(cli: Cli, mock, key):
    out = cli.home / "coffee.mp4"
    run = cli("create", "-p", "a coffee ad", "-d", "6", "-r", "9:16", "--export", "-o", str(out))
    assert run.code == 0 and "Exported:" in run.out, run
    assert _video(out) == ("h264", 1080, 1920, 6.0)
    assert _gateway(mock, key, "/billing/balance")["total_consumed"] == 100


def test_project_list_and_get(cli: Cli, mock, key):
    project_id = _project(mock, key)
    listed = cli("project", "list")
    assert listed.code == 0 and project_id in listed.out, listed
    got = cli("project", "get", project_id)
    assert got.code == 0 and "has content" in got.out, got


def test_chat_edits_the_timeline(cli: Cli, mock, key):
    project_id = _project(mock, key)
    run = cli("chat", project_id, "-p", 'put a title "Fresh Brew" at the beginning')
    assert run.code == 0 and "Done!" in run.out, run
    draft = _gateway(mock, key, f"/api/v1/state/frontend/{project_id}")["project"]
    assert any(track["tt"] == 7 for track in draft["timeline_draft"]["t"])


def test_export_and_download_the_same_render(cli: Cli, mock, key):
    project_id = _project(mock, key)
    exported, downloaded = cli.home / "again.mp4", cli.home / "download.mp4"
    run = cli("export", project_id, "-o", str(exported))
    assert run.code == 0 and "Export is free" in run.out, run
    run = cli("project", "download", project_id, "-o", str(downloaded))
    assert run.code == 0 and "Saved" in run.out, run
    assert downloaded.read_bytes() == exported.read_bytes()
    assert _video(downloaded)[:3] == ("h264", 1080, 1920)


def test_upload_lands_in_the_project(cli: Cli, mock, key, samples):
    project_id = _project(mock, key)
    run = cli("upload", str(samples.path("photo_1.jpg")), "--project", project_id)
    assert run.code == 0 and "Uploaded photo_1.jpg" in run.out, run
    files = _gateway(mock, key, f"/api/v1/state/frontend/{project_id}")["project"]
    assert [f["filename"] for f in files["files:uploads"]] == ["photo_1.jpg"]


def test_credits_history_shows_the_paid_creation(cli: Cli, mock, key):
    project_id = _project(mock, key)
    run = cli("credits", "history", "--json")
    assert run.code == 0, run
    history = json.loads(run.stdout)
    kinds = [(i["kind"], i["amount_delta"]) for i in history["items"]]
    assert ("conversation", -100) in kinds and ("grant", 100) in kinds
    paid = next(i for i in history["items"] if i["kind"] == "conversation")
    assert paid["conversation"]["project_id"] == project_id


def test_the_journal_holds_the_cli_to_the_contract_and_never_the_raw_key(mock, key):
    journal = httpx.get(f"{mock.url}/_mock/journal").json()["entries"]
    sockets = [e for e in journal if e["operation"] == "gateway.chatSocket"]
    assert len(sockets) == 2 and all(e["outcome"] == "completed" for e in sockets)
    for entry in sockets:
        sent = [json.loads(event["data"]) for event in entry["events"]]
        received = [json.loads(frame["data"]) for frame in entry["notes"]["client_frames"]]
        assert [problem(f, "ServerFrame") for f in sent] == [None] * len(sent)
        assert [problem(f, "ClientFrame") for f in received] == [None] * len(received)
        assert [f["type"] for f in received].count("message") == 1
    operations = {e["operation"] for e in journal}
    assert {
        "gateway.createProject",
        "gateway.submitLambdaRender",
        "gateway.uploadFile",
    } <= operations
    assert key not in json.dumps(journal)


@pytest.mark.parametrize("action", [{"error": 503}, {"drop": True}])
def test_the_cli_recovers_from_a_refused_or_dropped_handshake(cli: Cli, mock, key, action):
    rule = {"operation": "gateway.chatSocket", "action": action, "times": 1}
    assert httpx.post(f"{mock.url}/_mock/faults", json=rule).status_code == 201
    before = len(httpx.get(f"{mock.url}/_mock/journal").json()["entries"])
    run = cli("chat", _project(mock, key), "-p", "add lo-fi background music")
    assert run.code == 0 and "Done!" in run.out, run
    entries = httpx.get(f"{mock.url}/_mock/journal").json()["entries"][before:]
    sockets = [e for e in entries if e["operation"] == "gateway.chatSocket"]
    assert [e["fault"] is not None for e in sockets] == [True, False]
    assert sockets[-1]["outcome"] == "completed"


def _sockets_since(mock: LiveMock, before: int) -> list[dict]:
    entries = httpx.get(f"{mock.url}/_mock/journal").json()["entries"][before:]
    return [e for e in entries if e["operation"] == "gateway.chatSocket"]


def _journal_size(mock: LiveMock) -> int:
    return len(httpx.get(f"{mock.url}/_mock/journal").json()["entries"])


def test_the_cli_answers_the_agents_question_with_its_first_option(cli: Cli, mock, key):
    project_id = _project(mock, key)
    before = _journal_size(mock)
    run = cli("chat", project_id, "-p", "hmm")
    assert run.code == 0 and 'auto-selecting "Add lo-fi background music"' in run.out, run
    draft = _gateway(mock, key, f"/api/v1/state/frontend/{project_id}")["project"]
    assert any(track["tt"] == 1 for track in draft["timeline_draft"]["t"])  # music added
    (socket,) = _sockets_since(mock, before)
    sent = [json.loads(frame["data"]) for frame in socket["notes"]["client_frames"]]
    answers = [f["content"] for f in sent if f["type"] == "message"]
    assert answers == ["hmm", "1. What would you like me to do?: Add lo-fi background music"]


def test_the_cli_reconnects_once_after_a_mid_turn_drop_and_never_resends(cli: Cli, mock, key):
    rule = {"operation": "gateway.chatSocket", "action": {"socket_close": 1011, "after": 6}}
    assert httpx.post(f"{mock.url}/_mock/faults", json=rule).status_code == 201
    before = _journal_size(mock)
    run = cli("chat", _project(mock, key), "-p", "put a title 'Last Sip' at the end")
    assert run.code == 0 and "Done!" in run.out, run
    dropped, resumed = _sockets_since(mock, before)
    assert dropped["notes"]["close_code"] == 1011 and len(dropped["events"]) == 6
    sent = [json.loads(frame["data"])["type"] for frame in resumed["notes"]["client_frames"]]
    assert "message" not in sent  # the prompt is not sent again
    assert json.loads(resumed["events"][-1]["data"])["type"] == "done"


def test_a_mid_turn_4001_is_an_auth_failure_to_the_cli(cli: Cli, mock, key):
    rule = {"operation": "gateway.chatSocket", "action": {"socket_close": 4001, "after": 5}}
    assert httpx.post(f"{mock.url}/_mock/faults", json=rule).status_code == 201
    before = _journal_size(mock)
    run = cli("chat", _project(mock, key), "-p", "make it black and white")
    assert run.code == 1 and "Authentication failed" in run.out, run
    assert len(_sockets_since(mock, before)) == 1  # no reconnect after 4001


def test_the_cli_keeps_the_chat_rules(mock):
    entries = httpx.get(f"{mock.url}/_mock/journal").json()["entries"]
    journal = [JournalEntry.model_validate(e) for e in entries]
    for rule in (CHAT_RECONNECT_ONCE, ANSWER_ASK_QUESTION):
        assert rule(journal, RuleContext()).status == "pass", rule.id  # both were exercised


def test_a_revoked_key_fails_as_an_auth_error(cli: Cli, mock, key):
    httpx.post(f"{mock.url}/_mock/tokens/revoke", json={"token": key})
    run = cli("credits")
    assert run.code == 1 and "Authentication failed" in run.out, run
    chat = cli("chat", "task_0", "-p", "hello")
    assert chat.code == 1 and "Authentication failed" in chat.out, chat
