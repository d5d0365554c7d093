"""nemo_mock.client_tests.live_mock: the mock's output is read for as long as it runs, so a
chatty mock never blocks on a full pipe (it used to stop answering after ~64 KiB of log lines);
a mock is stopped by ``stop()``, by the end of a ``with`` block, or, dropped without either,
when its ``LiveMock`` is collected."""

import gc
import socket
import time
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


def _ended(mock_process, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if mock_process.poll() is not None:
            return True
        time.sleep(0.05)
    return False


def test_a_mock_dropped_without_being_stopped_ends_when_it_is_collected(tmp_path):
    mock = start_mock(tmp_path)
    process, url = mock.process, mock.url
    assert httpx.get(f"{url}/_mock/health", timeout=5).status_code == 200
    del mock
    gc.collect()
    try:
        assert _ended(process), "the mock outlived its LiveMock"
    finally:
        if process.poll() is None:
            process.kill()


def test_a_mock_used_as_a_context_manager_ends_with_its_block(tmp_path):
    with start_mock(tmp_path) as mock:
        assert httpx.get(f"{mock.url}/_mock/health", timeout=5).status_code == 200
        process = mock.process
        assert process.poll() is None
    assert process.poll() is not None
    mock.stop()  # stopping again is harmless
