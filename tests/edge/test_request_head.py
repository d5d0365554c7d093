"""A request head (request line and headers, or a chunked body's trailers) that keeps coming
is cut at h11's 16 KiB with a 400, on either of uvicorn's parsers (``--http``). h11 does it
itself; llhttp keeps whatever comes (a client sending headers at loopback speed grew the
mock by 1.2 GB in 6 s), so ``GuardedHttpToolsProtocol`` counts. The header deadline is long
here: a 408 cannot stand in for the cut."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import urlsplit

import pytest

from nemo_mock.client_tests.live_mock import LiveMock
from tests.edge.parsers import PARSERS, mock_on_parser

pytestmark = pytest.mark.live

PAD = b"X-Pad: " + b"a" * 1017 + b"\r\n"  # 1 KiB a header


@pytest.fixture(scope="module", params=PARSERS)
def mock(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[LiveMock]:
    yield from mock_on_parser(request, tmp_path_factory, "--header-timeout", "60")


def _connect(mock: LiveMock) -> socket.socket:
    address = urlsplit(mock.url)
    return socket.create_connection((address.hostname, address.port), timeout=10)


def _flood(sock: socket.socket, piece: bytes, most: int) -> tuple[int, bytes]:
    """Send ``piece`` again and again (``most`` bytes at most) until the server stops taking
    them; then what it answered (read for up to 5 s)."""
    sent = 0
    try:
        while sent < most:
            sock.sendall(piece)
            sent += len(piece)
    except OSError:  # closed by the server: reset, broken pipe
        pass
    sock.settimeout(5)
    received = b""
    try:
        while data := sock.recv(65536):
            received += data
    except OSError:
        pass
    return sent, received


def _status_line(reader: BinaryIO) -> bytes:
    """The status line of the next whole response (its body, by Content-Length, read too)."""
    status, length = reader.readline().rstrip(), 0
    while (line := reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    reader.read(length)
    return status


def _statuses(received: bytes) -> list[bytes]:
    return re.findall(rb"HTTP/1\.1 \d{3}", received)


def test_a_head_that_never_ends_is_cut_with_a_400(mock: LiveMock):
    with _connect(mock) as sock:
        sock.sendall(b"GET /_mock/health HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        sent, received = _flood(sock, PAD * 16, most=64 * 1024 * 1024)
    assert _statuses(received) == [b"HTTP/1.1 400"], received
    assert b"Invalid HTTP request received." in received
    assert sent < 64 * 1024 * 1024 and time.monotonic() - started < 30


def test_heads_within_the_limit_are_answered_even_when_they_come_in_pieces(mock: LiveMock):
    answers = []
    with _connect(mock) as sock, sock.makefile("rb") as reader:
        for _ in range(3):  # on one connection: each head is counted on its own
            sock.sendall(b"GET /_mock/health HTTP/1.1\r\nHost: x\r\n")
            for _ in range(14):  # 14 KiB of headers, a read each
                sock.sendall(PAD)
                time.sleep(0.005)
            sock.sendall(b"\r\n")
            answers.append(_status_line(reader))
    assert answers == [b"HTTP/1.1 200 OK"] * 3


def test_trailers_that_never_end_are_cut(mock: LiveMock):
    with _connect(mock) as sock:
        sock.sendall(
            b"POST /api/upload-video/nemo_agent/me/s1 HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: multipart/form-data; boundary=XX\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"
        )
        sent, received = _flood(sock, PAD * 16, most=64 * 1024 * 1024)
    assert sent < 64 * 1024 * 1024  # cut: the server stopped taking them
    # a 400, or the 401 to the upload alone when h11 had no way left to answer it
    assert set(_statuses(received)) <= {b"HTTP/1.1 401", b"HTTP/1.1 400"}, received
