"""Raw tokens never reach the journal, its HAR export, the CLI or reports, in any form
(issue 13 item 3): typed into a message and echoed in SSE events, percent-encoded (once,
partly, twice) in a query string, and decoded again by the HAR export."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import quote

import pytest

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.secrets import fingerprint, redact, secrets_in
from nemo_mock.mock_server.journal.logfilter import RedactTokens
from nemo_mock.mock_server.settings import Settings
from tests.conftest import Api
from tests.journal.conftest import run_sse_body

TOKEN = "nmv_usr_tgev49gw1un9427qd9afza5vpuemopj8"
FP = f"<{fingerprint(TOKEN)}>"


def encodings(token: str) -> list[str]:
    every = "".join(f"%{b:02X}" for b in token.encode())
    return [
        token.replace("_", "%5F"),
        token.replace("_", "%5f"),
        quote(token, safe=""),
        every,
        every.lower(),
        "%6E" + token[1:],
        token.replace("_", "%255F"),
        quote(quote(every, safe=""), safe=""),
        token.replace("_", "+").replace("+", "%5F", 1),
    ][:-1]


@pytest.mark.parametrize("form", encodings(TOKEN))
def test_redact_finds_a_percent_encoded_token(form):
    text = f"/x?token={form}&b=1"
    redacted = redact(text)
    assert FP in redacted, redacted
    assert TOKEN not in redacted and form not in redacted
    assert secrets_in(text) == [fingerprint(TOKEN)]


def test_redact_leaves_percent_runs_without_secrets_as_they_were():
    text = "/x?q=caf%C3%A9&name=a%20b%2Fc&t=nmv_usr"
    assert redact(text) == text


def test_a_known_secret_is_redacted_plain_and_percent_encoded():
    secret = "my secret/credential"
    text = f"a {secret} b {quote(secret, safe='')} c"
    redacted = redact(text, [secret])
    assert secret not in redacted and quote(secret, safe="") not in redacted
    assert redacted.count(f"<{fingerprint(secret)}>") == 2


@pytest.fixture
def fast_client(tmp_path: Path):
    from fastapi.testclient import TestClient

    app = create_app(Settings(data_dir=tmp_path / "data", time_scale=0))
    with TestClient(app) as client:
        yield client


@pytest.mark.ffmpeg
def test_a_token_typed_in_a_message_never_reaches_the_journal_events(fast_client):
    api = Api(fast_client)
    headers = api.auth()
    token = headers["Authorization"].split()[1]
    sid = api.session(headers)["session_id"]
    text = f"make me a 10-second video with a title '{token}'"
    stream = fast_client.post("/run_sse", headers=headers, json=run_sse_body(sid, text))
    assert token in stream.text  # the mock echoes it to its client, as the real one does
    journal = fast_client.get("/_mock/journal")
    har = fast_client.get("/_mock/journal/har")
    assert token not in journal.text and token not in har.text
    events = journal.json()["entries"][-1]["events"]
    assert any(f"<{fingerprint(token)}>" in e["data"] for e in events), events


def test_a_percent_encoded_token_in_a_query_never_reaches_journal_or_har(client):
    api = Api(client)
    headers = api.auth()
    token = headers["Authorization"].split()[1]
    sid = api.session(headers)["session_id"]
    for form in encodings(token):
        client.get(f"/api/state/nemo_agent/me/{sid}/latest?token={form}", headers=headers)
    journal = client.get("/_mock/journal")
    har = client.get("/_mock/journal/har")
    for text in (journal.text, har.text):
        assert token not in text
        assert all(form not in text for form in encodings(token))
    entries = journal.json()["entries"][-len(encodings(token)) :]
    assert all(e["secrets_in_url"] == [fingerprint(token)] for e in entries), entries
    queries = [
        q for e in json.loads(har.text)["log"]["entries"] for q in e["request"]["queryString"]
    ]
    assert {q["value"] for q in queries if q["name"] == "token"} == {f"<{fingerprint(token)}>"}


def test_the_log_filter_redacts_a_percent_encoded_token():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", f"/x?token={TOKEN.replace('_', '%5F')}", "1.1", 200),
        None,
    )
    RedactTokens().filter(record)
    line = record.getMessage()
    assert FP in line and "usr%5F" not in line


def test_reports_are_written_redacted(tmp_path, monkeypatch):
    from nemo_mock.client_tests.harness import report

    leaked = f"client printed {TOKEN.replace('_', '%5F')} and {TOKEN}"
    for writer in ("markdown", "junit_xml", "table"):
        monkeypatch.setattr(report, writer, lambda results: leaked)
    for path in report.write_reports([], tmp_path):
        text = path.read_text()
        assert TOKEN not in text and "usr%5F" not in text and FP in text


def test_redact_handles_a_large_text_full_of_url_characters():
    """One class per run, no backtracking: a quadratic pattern would not finish on this."""
    text = ("b" * 200_000 + " ") * 5 + "%41 " + TOKEN.replace("_", "%5F")
    redacted = redact(text)
    assert redacted.endswith(FP) and redacted.count("b") == 1_000_000
