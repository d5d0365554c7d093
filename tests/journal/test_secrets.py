"""No raw token ever appears in the journal, its exports or the logs."""

from __future__ import annotations

import io
import logging
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from nemo_mock.mock_server.domain.secrets import fingerprint
from nemo_mock.mock_server.journal.logfilter import (
    RedactTokens,
    install_log_redaction,
    remove_log_redaction,
)
from nemo_mock.mock_server.media.samples import SampleSet
from tests.conftest import ATTRIBUTION
from tests.journal.conftest import run_sse_body
from tests.live.conftest import start_mock

WRONG = "Bearer not-a-real-token-but-secret"


def careless_flow(http: httpx.Client, photo: Path) -> list[str]:
    """A realistic run with every way a secret can travel; the secrets it used."""
    token = http.post(
        "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
    ).json()["data"]["token"]
    http.headers["Authorization"] = f"Bearer {token}"
    session = http.post("/api/tasks/me/with-session/nemo_agent", json={"task_name": "p"}).json()
    sid, task = session["data"]["session_id"], session["data"]["task_id"]
    files = [("files", (photo.name, photo.read_bytes()))]
    upload = http.post(f"/api/upload-video/nemo_agent/me/{sid}", files=files)
    assert upload.json()["code"] == 0, upload.text
    http.get(f"/api/state/nemo_agent/me/{sid}/latest")
    claim = http.post("/api/auth/claim-token", json={"task_id": task, "session_id": sid})
    claim_token = claim.json()["data"]["claim_token"]
    http.get(f"/api/state/nemo_agent/me/{sid}/latest?token={token}&ct={claim_token}")
    http.post("/run_sse", json={**run_sse_body(sid, "hello"), "token": token})
    http.get("/api/credits/balance/simple", headers={"Authorization": WRONG})
    http.get("/api/credits/balance/simple", headers={"Authorization": f"Bearer {claim_token}"})
    return [token, claim_token, WRONG.removeprefix("Bearer ")]


@pytest.mark.live
@pytest.mark.ffmpeg
def test_a_careless_run_leaves_no_secret_in_journal_har_or_server_output(
    tmp_path: Path, samples: SampleSet
):
    server = start_mock(tmp_path, "--time-scale", "0", "--log-level", "debug")
    try:
        with httpx.Client(base_url=server.url, timeout=60, headers=ATTRIBUTION) as http:
            secrets = careless_flow(http, samples.path("photo_1.jpg"))
            journal = http.get("/_mock/journal")
            har = http.get("/_mock/journal/har")
    finally:
        server.stop()
    output = server.banner + server.output()
    assert "Application shutdown complete" in output  # read to the end
    entries = journal.json()["entries"]
    assert len(entries) == 9 and har.status_code == 200
    for secret in secrets:
        assert secret not in journal.text
        assert secret not in har.text
        assert secret not in output
    token, claim_token, _ = secrets
    in_url = next(e for e in entries if e["secrets_in_url"])
    assert in_url["secrets_in_url"] == [fingerprint(token), fingerprint(claim_token)]
    assert fingerprint(token) in journal.text and fingerprint(claim_token) in har.text


# -- the logs --------------------------------------------------------------------------------

TOKEN = "nmv_usr_LogLeakCheck0123456789"


def test_the_filter_redacts_message_args_and_traceback_keeping_the_args_shape():
    try:
        raise ValueError(f"bad token {TOKEN}")
    except ValueError as exc:
        record = logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            __file__,
            1,
            '%s - "%s %s HTTP/%s" %d',
            ("127.0.0.1:5", "GET", f"/api/x?token={TOKEN}", "1.1", 200),
            (type(exc), exc, exc.__traceback__),
        )
    assert RedactTokens().filter(record)
    assert isinstance(record.args, tuple) and len(record.args) == 5 and record.args[4] == 200
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted and f"<{fingerprint(TOKEN)}>" in formatted
    assert "ValueError: bad token <fp_" in formatted


@pytest.fixture
def uvicorn_logs(make_app) -> Iterator[tuple[str, io.StringIO]]:
    """A real uvicorn in a thread with its access log on and redaction installed; its log text."""
    config = uvicorn.Config(make_app(), access_log=True, log_level="info", lifespan="on")
    install_log_redaction()
    stream = io.StringIO()
    handlers = [h for n in ("uvicorn", "uvicorn.access") for h in logging.getLogger(n).handlers]
    previous = [h.setStream(stream) for h in handlers if isinstance(h, logging.StreamHandler)]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", stream
    finally:
        server.should_exit = True
        thread.join(10)
        for handler, old in zip(handlers, previous, strict=False):
            handler.setStream(old)
        remove_log_redaction()


def test_uvicorn_access_and_error_logs_never_show_a_token(uvicorn_logs, caplog):
    url, stream = uvicorn_logs
    with httpx.Client(base_url=url, headers=ATTRIBUTION) as http:
        token = http.post("/api/auth/anonymous-token", headers={"X-Client-Id": "c"}).json()
        raw = token["data"]["token"]
        http.get(f"/api/credits/balance/simple?token={raw}")
        http.get(f"/_mock/journal?token={raw}")
    logging.getLogger("nemo_mock").error("a route logged %s", raw)
    logged = stream.getvalue() + caplog.text
    assert "GET /api/credits/balance/simple?token=<fp_" in logged  # the access log ran
    assert "a route logged <fp_" in logged
    assert raw not in logged


def test_records_of_the_mocks_own_child_loggers_are_redacted_too(caplog):
    logging.getLogger("nemo_mock.render")  # exists once its module is imported
    install_log_redaction()
    try:
        logging.getLogger("nemo_mock.render").warning("job of %s failed", TOKEN)
        assert any(isinstance(f, RedactTokens) for f in logging.lastResort.filters)
    finally:
        remove_log_redaction()
    assert f"job of <{fingerprint(TOKEN)}> failed" in caplog.text
    assert TOKEN not in caplog.text
    assert not any(isinstance(f, RedactTokens) for f in logging.lastResort.filters)
