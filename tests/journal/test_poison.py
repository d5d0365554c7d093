"""One odd request never poisons the journal (issue 13 item 2): a lone surrogate, NUL,
overlong or invalid UTF-8 in a body, header or path is recorded as readable text, and the
journal, its HAR export and ``nemo-mock journal`` keep working."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nemo_mock.mock_server.journal.cli import batches, show
from nemo_mock.mock_server.journal.entry import JournalEntry
from nemo_mock.mock_server.journal.table import render_table
from tests.conftest import ATTRIBUTION

ODD_BODIES = [
    b'{"task_name":"\\ud800"}',
    b'{"task_name":"\\udfff tail", "\\ud83d": "key"}',
    b'{"task_name":"a\\u0000b"}',
    b'{"task_name":"\xff\xfe bad utf-8"}',
    b'{"task_name":"\xed\xa0\x80 encoded surrogate"}',
    b'{"task_name":"\\ud83d\\ude00 a real pair"}',
]


def _post(client, body: bytes, headers: dict[str, str] | None = None) -> None:
    client.post(
        "/api/tasks/me/with-session/nemo_agent",
        content=body,
        headers={"Content-Type": "application/json", **ATTRIBUTION, **(headers or {})},
    )


@pytest.mark.parametrize("body", ODD_BODIES, ids=range(len(ODD_BODIES)))
def test_an_odd_body_leaves_the_journal_and_its_har_readable(client, body):
    _post(client, body)
    journal = client.get("/_mock/journal")
    assert journal.status_code == 200, journal.text
    assert len(journal.json()["entries"]) == 1
    har = client.get("/_mock/journal/har")
    assert har.status_code == 200, har.text
    json.loads(har.text)
    assert "\\ud8" not in journal.text.lower() and "\\udf" not in journal.text.lower()


def test_a_lone_surrogate_becomes_the_replacement_character(client):
    _post(client, b'{"task_name":"x\\ud800y"}')
    body = client.get("/_mock/journal").json()["entries"][0]["request"]["body"]
    assert body == {"task_name": "x\ufffdy"}


def test_a_real_surrogate_pair_stays_the_character_it_encodes(client):
    _post(client, b'{"task_name":"\\ud83d\\ude00"}')
    body = client.get("/_mock/journal").json()["entries"][0]["request"]["body"]
    assert body == {"task_name": "\U0001f600"}


def test_odd_headers_and_query_are_recorded_readably(client):
    client.get(
        "/api/credits/balance/simple?q=%ED%A0%80&n=%00",
        headers={"X-Client-Id": b"caf\xc3\xa9\xed\xa0\x80"},
    )
    journal = client.get("/_mock/journal")
    assert journal.status_code == 200, journal.text
    har = client.get("/_mock/journal/har")
    assert har.status_code == 200, har.text


def test_the_journal_command_prints_after_an_odd_request(client):
    for body in ODD_BODIES:
        _post(client, body)
    runner = CliRunner()

    def print_all() -> None:
        for n, entries in enumerate(
            batches(client, "http://testserver", {}, follow=False, interval=0)
        ):
            show(entries, as_json=False, first=n == 0)
            show(entries, as_json=True, first=False)

    import typer

    app = typer.Typer()
    app.command()(print_all)
    result = runner.invoke(app, [])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1 + 2 * len(ODD_BODIES)


def test_an_entry_carrying_a_lone_surrogate_still_prints_as_a_table():
    """The CLI's table is safe even against a journal answer made by an older mock."""
    entry = JournalEntry(
        seq=1,
        at="2026-11-01T00:00:00+00:00",
        at_ms=0,
        duration_ms=1,
        method="GET",
        path="/x\ud800",
        session_id="s\udc00",
    )
    table = render_table([entry])
    table.encode("utf-8")
