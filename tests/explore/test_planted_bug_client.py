"""The planted-bug client: the reference client with one defect, named in its docstring."""

from __future__ import annotations

from pathlib import Path

import client_tests.planted_bug_client as planted
from client_tests.planted_bug_client.client import PlantedBugApi, PlantedBugClient
from client_tests.reference_client.config import Task, read_settings
from client_tests.reference_client.http import Budget, Log, Reply
from client_tests.reference_client.main import Client


class Tokens:
    def __init__(self) -> None:
        self.refreshed = 0

    def bearer(self) -> str:
        return "nmv_usr_test"

    def refresh(self) -> None:
        self.refreshed += 1


def api() -> tuple[PlantedBugApi, Tokens]:
    settings = read_settings({"NEMO_API_URL": "http://mock", "NEMO_CLIENT_ID": "cid"})
    task = Task(prompt="make a video", files=(), output=Path("out.mp4"), time_scale=0)
    client = PlantedBugApi(settings, task, Log("test"))
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
    assert "except while\n    polling a render" in planted.__doc__
    assert issubclass(PlantedBugClient, Client)
    assert PlantedBugClient.renderer_class is Client.renderer_class
    assert PlantedBugClient.api_class is PlantedBugApi
