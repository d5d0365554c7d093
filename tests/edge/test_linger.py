"""The bounded linger of ``edge/protocol.py``, on a live mock, on either of uvicorn's parsers
(``--http``): a request answered before its body was read (here a 401 to an upload without
a token) has the rest of its body discarded while it keeps the body pace, and the connection
then serves the next request; a rest that trickles ends the connection without another
word; once the rest has come, the next request's headers have their deadline again.

The header deadline is shorter than the at-pace body, so a linger that was not there would
show as a 408 written after the 401 (the deadline of a next request's headers)."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from nemo_mock.client_tests.live_mock import LiveMock
from tests.edge.parsers import PARSERS, mock_on_parser

pytestmark = pytest.mark.live

TIMEOUT_S = 0.5  # --header-timeout and --body-idle-timeout
MIN_RATE = 500  # --body-min-rate, bytes/s
HEALTH = b"GET /_mock/health HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.fixture(scope="module", params=PARSERS)
def mock(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[LiveMock]:
    yield from mock_on_parser(
        request,
        tmp_path_factory,
        "--header-timeout",
        str(TIMEOUT_S),
        "--body-idle-timeout",
        str(TIMEOUT_S),
        "--body-min-rate",
        str(MIN_RATE),
    )


def _refused_upload(mock: LiveMock, length: int) -> socket.socket:
    """A connection that sent the head of an upload without a token (answered 401 at once)."""
    address = urlsplit(mock.url)
    sock = socket.create_connection((address.hostname, address.port), timeout=10)
    sock.sendall(
        b"POST /api/upload-video/nemo_agent/me/s1 HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: multipart/form-data; boundary=XX\r\nContent-Length: %d\r\n\r\n" % length
    )
    return sock


def _send_paced(sock: socket.socket, total: int, chunk: int, every: float) -> tuple[float, bool]:
    """Send ``total`` bytes, ``chunk`` every ``every`` s: the longest gap between two sends
    (this process shares the cores with the rest of the suite and may itself stall), and
    whether the peer closed the connection meanwhile."""
    longest, last = 0.0, time.monotonic()
    for _ in range(total // chunk):
        try:
            sock.sendall(b"x" * chunk)
        except OSError:
            return longest, True
        now = time.monotonic()
        longest, last = max(longest, now - last), now
        time.sleep(every)
    return longest, False


def _read_until_closed(sock: socket.socket, seconds: float) -> tuple[bytes, bool]:
    """What came within ``seconds``, and whether the server closed the connection."""
    received, deadline = b"", time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except TimeoutError:
            return received, False
        except ConnectionResetError:
            return received, True
        if not data:
            return received, True
        received += data
    return received, False


def _one_response(sock: socket.socket) -> bytes:
    """One whole response (framed by its Content-Length), read as soon as it is there."""
    sock.settimeout(10)
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head, re.IGNORECASE)[1])  # type: ignore[index]
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def _statuses(received: bytes) -> list[bytes]:
    """The status lines of the responses in ``received`` (each body ends without a newline)."""
    return re.findall(rb"HTTP/1\.1 \d{3} [^\r]*", received)


def _trickle_until_closed(sock: socket.socket, seconds: float) -> tuple[bytes, bool]:
    """A byte every 0.1 s (10 bytes/s) until the server closes or ``seconds`` pass."""
    received, deadline = b"", time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            sock.sendall(b"x")
        except OSError:
            return received, True
        got, closed = _read_until_closed(sock, 0.1)
        received += got
        if closed:
            return received, True
    return received, False


def test_a_refused_body_at_pace_is_discarded_and_the_connection_serves_on(mock: LiveMock):
    """Tried again (at most twice) only when this process itself left a gap of over half the
    idle time-out between two sends: then a close would be the mock's right."""
    total = 3000  # 2000 bytes/s for 1.5 s: three header deadlines long
    for _attempt in range(3):
        with _refused_upload(mock, total) as sock:
            longest_gap, closed = _send_paced(sock, total, chunk=100, every=0.05)
            received = b""
            if not closed:
                sock.sendall(HEALTH)
                received, closed = _read_until_closed(sock, 2)
        if not (closed and longest_gap > TIMEOUT_S / 2):
            break
    assert not closed, f"closed; longest gap between sends {longest_gap:.2f} s: {received!r}"
    assert _statuses(received)[:2] == [b"HTTP/1.1 401 Unauthorized", b"HTTP/1.1 200 OK"], received
    assert b"408" not in received


def test_a_refused_body_that_trickles_is_cut_off_without_a_word(mock: LiveMock):
    with _refused_upload(mock, 100_000) as sock:
        started = time.monotonic()
        received, closed = _trickle_until_closed(sock, 10)
        took = time.monotonic() - started
    assert closed, received
    assert _statuses(received) == [b"HTTP/1.1 401 Unauthorized"], received
    assert took < 4 * TIMEOUT_S + 1, f"closed after {took:.1f} s"


def test_after_the_discarded_rest_a_next_request_has_its_header_deadline(mock: LiveMock):
    with _refused_upload(mock, 1000) as sock:
        answer = _one_response(sock)  # the 401 first: the rest comes in the linger
        sock.sendall(b"x" * 1000 + b"GET /_mock/health HTTP/1.1\r\n")  # no more of its headers
        received, closed = _read_until_closed(sock, 10)
        received = answer + received
    assert closed, received
    assert _statuses(received) == [b"HTTP/1.1 401 Unauthorized", b"HTTP/1.1 408 Request Timeout"]
    assert b"--header-timeout" in received
