"""nemo_mock.client_tests.live_mock: the mock's output is read for as long as it runs, so a
chatty mock never blocks on a full pipe (it used to stop answering after ~64 KiB of log lines)."""

import socket
from urllib.parse import urlsplit

import httpx
import pytest

from tests.live.conftest import start_mock

pytestmark = pytest.mark.live

MALFORMED = 3000  # each one logs a line ("Invalid HTTP request received."): well over 64 KiB


def test_thousands_of_malformed_requests_do_not_hang_the_mock(tmp_path):
    mock = start_mock(tmp_path)
    try:
        address = urlsplit(mock.url)
        for _ in range(MALFORMED):
            with socket.create_connection((address.hostname, address.port), timeout=5) as conn:
                conn.sendall(b"NOT HTTP AT ALL\r\n\r\n")
                conn.recv(1024)
        answer = httpx.get(f"{mock.url}/_mock/health", timeout=5)
        assert answer.status_code == 200
        assert "Invalid HTTP request" in mock.output()
    finally:
        mock.stop()
