"""The planted-bug clients: the reference client with one defect each, named in the
package's docstring and chosen with NEMO_PLANTED_BUG."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import nemo_mock.client_tests.planted_bug_client as planted
from nemo_mock.client_tests.explore.vocabulary import KINDS, kinds_for
from nemo_mock.client_tests.planted_bug_client import BUGS, ENV
from nemo_mock.client_tests.planted_bug_client.client import (
    DropResendClient,
    PlantedBugApi,
    PlantedBugClient,
    SameIdRenderer,
    SessionReuseApi,
    UploadRateLimitApi,
)
from nemo_mock.client_tests.reference_client.config import Task, read_settings
from nemo_mock.client_tests.reference_client.http import Api, Budget, Log, Reply
from nemo_mock.client_tests.reference_client.main import Client
from nemo_mock.client_tests.reference_client.render import Renderer
from nemo_mock.contracts.rules import rule_by_id


class Tokens:
    def __init__(self) -> None:
        self.refreshed = 0

    def bearer(self) -> str:
        return "nmv_usr_test"

    def refresh(self) -> None:
        self.refreshed += 1


def api(kind: type[Api] = PlantedBugApi) -> tuple[Api, Tokens]:
    settings = read_settings({"NEMO_API_URL": "http://mock", "NEMO_CLIENT_ID": "cid"})
    task = Task(prompt="make a video", files=(), output=Path("out.mp4"), time_scale=0)
    client = kind(settings, task, Log("test"))
    tokens = Tokens()
    client.tokens = tokens
    return client, tokens


def expired(operation: str) -> Reply:
    return Reply(operation, 401, {"code": 1001, "message": "token expired", "data": None}, {})


def test_a_1001_while_polling_a_render_is_not_recovered_from():
    client, tokens = api()
    assert client.recover(expired("getRender"), Budget(), auth=True) is False
    assert tokens.refreshed == 0


def test_a_1001_anywhere_else_gets_a_new_token_as_the_reference_client_does():
    client, tokens = api()
    for operation in ("getSessionState", "startRender", "runSse", "uploadFiles"):
        assert client.recover(expired(operation), Budget(), auth=True) is True
    assert tokens.refreshed == 4


def test_the_docstring_names_the_bug_and_the_client_differs_only_in_its_api():
    assert "except while polling a render" in " ".join(planted.__doc__.split())
    assert issubclass(PlantedBugClient, Client)
    assert PlantedBugClient.renderer_class is Client.renderer_class
    assert PlantedBugClient.api_class is PlantedBugApi


def refused(operation: str, code: int, status: int) -> Reply:
    return Reply(operation, status, {"code": code, "message": "no", "data": None}, {})


def test_upload_rate_limit_retries_an_upload_at_once_and_waits_elsewhere():
    client, _ = api(UploadRateLimitApi)
    waits: list[float] = []
    client.sleep = waits.append  # type: ignore[method-assign]
    assert client.recover(refused("uploadFiles", 429, 429), Budget(), auth=True) is True
    assert waits == []
    assert client.recover(refused("createSession", 429, 429), Budget(), auth=True) is True
    assert waits == [0.0]  # the reference wait (30 s), times the time scale (0 here)


def test_render_retry_same_id_reuses_only_a_failed_id():
    same = SameIdRenderer.next_id(SameIdRenderer.__new__(SameIdRenderer), "render_1")
    fresh = SameIdRenderer.next_id(SameIdRenderer.__new__(SameIdRenderer), None)
    reference = Renderer.next_id(Renderer.__new__(Renderer), "render_1")
    assert same == "render_1"
    assert fresh.startswith("render_") and fresh != "render_1"
    assert reference != "render_1"


def test_session_reuse_reads_the_lost_session_again_once():
    client, _ = api(SessionReuseApi)
    budget = Budget()
    assert client.recover(refused("getSessionState", 1002, 404), budget, auth=True) is True
    assert client.recover(refused("getSessionState", 1002, 404), budget, auth=True) is False
    assert client.recover(refused("runSse", 1002, 404), Budget(), auth=True) is False


def test_drop_resend_overrides_only_the_settling():
    assert issubclass(DropResendClient, Client)
    assert DropResendClient.api_class is Client.api_class
    assert DropResendClient.settle is not Client.settle


@pytest.mark.parametrize("name", sorted(BUGS))
def test_each_bug_is_catalogued_with_faults_its_operation_can_get(name):
    bug = BUGS[name]
    assert bug.name == name and f"``{name}``" in planted.__doc__
    assert bug.kinds <= set(kinds_for(bug.operation)) and bug.kinds <= set(KINDS)
    for rule in bug.broken - {"valid-outcome"}:
        assert rule_by_id(rule).id == rule


def test_an_unknown_bug_name_is_refused_with_the_choices():
    env = {**os.environ, ENV: "no-such-bug"}
    done = subprocess.run(
        [sys.executable, "-m", "nemo_mock.client_tests.planted_bug_client"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "choose one of render-poll-token, upload-rate-limit" in done.stderr
