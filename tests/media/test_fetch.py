"""URL uploads: checked before fetching, fetched concurrently, one deadline per request."""

from __future__ import annotations

import http.server
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

from nemo_mock.mock_server.domain.errors import UrlFetchFailed
from nemo_mock.mock_server.domain.ids import IdFactory
from nemo_mock.mock_server.media.fetch import FETCH_CONCURRENCY, check_url, fetch_all
from nemo_mock.mock_server.media.staging import Staging


class Source(http.server.ThreadingHTTPServer):
    """``/slow``: a byte every 50 ms for 10 s; ``/meet/N``: answers once N requests are in
    flight together (503 after 5 s alone); ``/hold``: a small file after 0.3 s; ``/file``:
    a small file at once."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0
        self.slow_sent = 0
        self.slow_cut = threading.Event()
        self.arrived = threading.Condition(self.lock)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Source

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.in_flight += 1
            self.server.most_in_flight = max(self.server.most_in_flight, self.server.in_flight)
            self.server.arrived.notify_all()
        try:
            self._answer()
        finally:
            with self.server.lock:
                self.server.in_flight -= 1

    def _answer(self) -> None:
        if self.path == "/slow":
            self._headers(200)
            try:
                for _ in range(200):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    self.server.slow_sent += 1
                    time.sleep(0.05)
            except OSError:
                self.server.slow_cut.set()
            return
        if self.path.startswith("/meet/"):
            wanted = int(self.path.split("?")[0].rsplit("/", 1)[1])
            with self.server.lock:
                met = self.server.arrived.wait_for(lambda: self.server.most_in_flight >= wanted, 5)
            self._headers(200 if met else 503)
            self.wfile.write(b"data")
            return
        if self.path.startswith("/hold"):
            time.sleep(0.3)
        self._headers(200)
        self.wfile.write(random.Random(1).randbytes(1000))

    def _headers(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "image/jpeg")
        self.end_headers()


@pytest.fixture
def source() -> Iterator[Source]:
    server = Source()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def staging(tmp_path: Path) -> Staging:
    return Staging(tmp_path, IdFactory(random.Random(0)), 10 * 1024 * 1024)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:99999/a.jpg", "is malformed: Port out of range"),
        ("http://example.com/a.jpg\r\nX-Evil: 1", "contains a space or control character"),
        ("http://example.com/a b.jpg", "contains a space or control character"),
        ("http://[::1/a.jpg", "is malformed"),
        ("file:///etc/passwd", "only http and https"),
        ("http:///a.jpg", "names no host"),
        ("http://example.com:0/a.jpg", "names port 0"),
        ("http://example.com/" + "a" * 5000, "longer than 4096 characters"),
    ],
)
def test_a_bad_url_is_refused_before_anything_is_fetched(url: str, message: str):
    """Port 99999 and CR/LF were unhandled (500)."""
    with pytest.raises(UrlFetchFailed) as caught:
        check_url(url)
    assert message in caught.value.message and caught.value.code == 400


def test_a_bad_url_among_good_ones_fetches_none(source: Source, staging: Staging):
    urls = [f"{source.base}/file", "http://127.0.0.1:99999/x.jpg"]
    with pytest.raises(UrlFetchFailed, match="99999"):
        anyio.run(lambda: fetch_all(urls, staging, timeout=5))
    assert source.most_in_flight == 0


def test_the_timeout_is_one_deadline_for_the_request(source: Source, staging: Staging):
    """A byte every 50 ms never trips a 0.5 s per-read timeout; the deadline cuts it."""
    with pytest.raises(UrlFetchFailed) as caught:
        anyio.run(lambda: fetch_all([f"{source.base}/slow"], staging, timeout=0.5))
    assert "took longer than the 0.5 s limit (--url-fetch-timeout)" in caught.value.message
    assert "/slow" in caught.value.message
    assert source.slow_sent < 200  # answered before the 10 s trickle ended


def test_urls_are_fetched_concurrently(source: Source, staging: Staging):
    """Each answers only once three are in flight together: one by one, all would 503."""
    urls = [f"{source.base}/meet/3?{i}" for i in range(3)]
    staged = anyio.run(lambda: fetch_all(urls, staging, timeout=20))
    assert [s.size for s in staged] == [4, 4, 4]


def test_concurrency_is_bounded_and_order_kept(source: Source, staging: Staging):
    urls = [f"{source.base}/hold/{i}.jpg" for i in range(3 * FETCH_CONCURRENCY)]
    staged = anyio.run(lambda: fetch_all(urls, staging, timeout=30))
    assert 2 <= source.most_in_flight <= FETCH_CONCURRENCY
    assert [s.filename for s in staged] == [f"{i}.jpg" for i in range(len(urls))]
