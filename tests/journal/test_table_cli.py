"""``render_table`` and the ``nemo-mock journal`` command against a live mock."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator

import httpx
import pytest
import typer
from typer.testing import CliRunner

from nemo_mock.client_tests.live_mock import LiveMock
from nemo_mock.mock_server.domain.secrets import fingerprint
from nemo_mock.mock_server.journal.cli import JournalUnavailable, batches, fetch, register
from nemo_mock.mock_server.journal.entry import FaultRecord, JournalEntry, SseEventRecord
from nemo_mock.mock_server.journal.table import header, render_table
from tests.conftest import ATTRIBUTION
from tests.live.conftest import start_mock


def entry(**fields) -> JournalEntry:
    base = {
        "seq": 12,
        "at": "2026-11-01T12:34:56+00:00",
        "at_ms": 1_793_536_496_000,
        "duration_ms": 41.6,
        "method": "POST",
        "path": "/run_sse",
        "operation": "runSse",
        "status": 200,
        "token": fingerprint("nmv_usr_x"),
        "session_id": "5529798706024415232",
    }
    return JournalEntry.model_validate({**base, **fields})


def test_a_row_shows_the_essentials_in_fixed_columns():
    row = render_table(
        [
            entry(
                events=[SseEventRecord(at_ms=1, data="")] * 3,
                fault=FaultRecord(rule="f2", action={"cut_after": 2, "abort": True}),
                outcome="client_disconnected",
            )
        ]
    ).splitlines()[1]
    assert row.split() == [
        "12",
        "12:34:56",
        "POST",
        "runSse",
        "200/gone",
        "-",
        fingerprint("nmv_usr_x")[:11],
        "…024415232",
        "3",
        "f2",
        "cut_after=2",
        "…",
        "42",
    ]


def test_columns_line_up_and_long_paths_are_cut():
    table = render_table(
        [entry(), entry(seq=13, operation=None, path="/api/" + "x" * 60, query="a=1", code=404)]
    )
    lines = table.splitlines()
    assert lines[0] == header() and lines[0].split()[:4] == ["SEQ", "TIME", "METHOD", "OPERATION"]
    status_at = lines[0].index("STATUS")
    assert {len(line[: status_at + 8]) for line in lines} == {status_at + 8}
    assert "/api/xxxxxxxx" in lines[2] and "…" in lines[2] and "404" in lines[2]


def test_an_empty_journal_is_just_the_header_or_nothing():
    assert render_table([]) == header()
    assert render_table([], with_header=False) == ""


# -- the command -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveMock]:
    server = start_mock(tmp_path_factory.mktemp("journal-cli"))
    yield server
    server.stop()


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """The nemo-mock CLI, reduced to what register() adds."""

    register(app)
    return app


@pytest.fixture
def traffic(mock: LiveMock) -> str:
    """Three exchanges in a cleared journal; the token used."""
    with httpx.Client(base_url=mock.url, headers=ATTRIBUTION) as http:
        http.delete("/_mock/journal")
        token = http.post(
            "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
        ).json()["data"]["token"]
        auth = {"Authorization": f"Bearer {token}"}
        http.post("/api/tasks/me/with-session/nemo_agent", headers=auth, json={})
        http.get("/api/credits/balance/simple", headers=auth)
    return token


def test_the_command_prints_the_journal_as_a_table(cli, mock, traffic):
    result = CliRunner().invoke(cli, ["journal", "--url", mock.url])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == header()
    assert [line.split()[3] for line in lines[1:]] == [
        "createAnonymousToken",
        "createSession",
        "getCreditBalance",
    ]
    assert traffic not in result.stdout


def test_json_lines_and_filters_from_the_environment_url(cli, mock, traffic):
    result = CliRunner().invoke(
        cli, ["journal", "--json", "--token", traffic], env={"NEMO_API_URL": mock.url}
    )
    assert result.exit_code == 0, result.output
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["operation"] for e in entries] == ["createSession", "getCreditBalance"]
    assert {e["token"] for e in entries} == {fingerprint(traffic)}
    only = CliRunner().invoke(
        cli, ["journal", "--json", "--url", mock.url, "--operation", "createSession"]
    )
    assert [json.loads(line)["operation"] for line in only.stdout.splitlines()] == ["createSession"]


def test_follow_yields_only_the_new_entries(mock, traffic):
    with httpx.Client() as http:
        polls = batches(http, mock.url, {}, follow=True, interval=0.01)
        assert len(next(polls)) == 3
        http.get(f"{mock.url}/api/nothing")
        assert [e["path"] for e in next(polls)] == ["/api/nothing"]
        assert next(polls) == []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_mock_is_a_clear_error(cli):
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(cli, ["journal", "--url", url])
    assert result.exit_code == 1
    assert f"error: cannot reach a mock at {url}" in result.stderr
    assert result.stdout == ""


def test_a_mock_without_its_control_plane_is_a_clear_error(cli, tmp_path):
    server = start_mock(tmp_path, "--no-control")
    try:
        result = CliRunner().invoke(cli, ["journal", "--url", server.url])
    finally:
        server.stop()
    assert result.exit_code == 1
    assert f"error: {server.url} has no /_mock/journal" in result.stderr


@pytest.mark.parametrize(
    "answer",
    [httpx.Response(200, text="<html>"), httpx.Response(200, json={"x": 1}), httpx.Response(500)],
)
def test_a_server_that_is_not_a_mock_is_a_clear_error(answer):
    http = httpx.Client(transport=httpx.MockTransport(lambda _: answer))
    with http, pytest.raises(JournalUnavailable, match="http://elsewhere/_mock/journal"):
        fetch(http, "http://elsewhere", {})


def test_follow_starts_over_when_the_mock_was_reset():
    """A reset numbers entries from 1 again: a cursor past ``last_seq`` would miss them."""
    journals = iter(
        [
            {"entries": [{"seq": 1}, {"seq": 2}], "last_seq": 2},
            {"entries": [], "last_seq": 1},  # since=2, but only one entry since the reset
            {"entries": [{"seq": 1}], "last_seq": 1},
        ]
    )
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.query.decode())
        return httpx.Response(200, json=next(journals))

    with httpx.Client(transport=httpx.MockTransport(answer)) as http:
        polls = batches(http, "http://mock", {}, follow=True, interval=0)
        assert next(polls) == [{"seq": 1}, {"seq": 2}]
        assert next(polls) == [{"seq": 1}]
    assert asked == ["", "since=2", ""]
