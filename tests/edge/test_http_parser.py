"""``serve --http`` (``NEMO_MOCK_HTTP``): the parser asked for is the one that reads the
connections, ``auto`` is httptools when it is installed, and a wrong value is refused in
one line (exit 2).

Which parser reads a connection shows in what it accepts: h11 takes request lines and
headers ended by a bare LF, httptools (llhttp, strict) answers them 400."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from nemo_mock.client_tests.live_mock import start_mock
from nemo_mock.mock_server.edge import protocol
from nemo_mock.mock_server.edge.protocol import (
    GuardedH11Protocol,
    GuardedHttpToolsProtocol,
    guarded_protocol,
    parser_for,
)

BARE_LF = b"GET /_mock/health HTTP/1.1\nHost: x\n\n"


def _status_of(url: str, request: bytes) -> bytes:
    address = urlsplit(url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(request)
        return sock.recv(65536).split(b"\r\n", 1)[0]


@pytest.mark.live
@pytest.mark.parametrize(
    ("args", "env", "parser", "bare_lf"),
    [
        (["--http", "h11"], {}, "h11", b"HTTP/1.1 200 OK"),
        (["--http", "httptools"], {}, "httptools", b"HTTP/1.1 400 Bad Request"),
        ([], {"NEMO_MOCK_HTTP": "h11"}, "h11", b"HTTP/1.1 200 OK"),
    ],
    ids=["flag-h11", "flag-httptools", "env-h11"],
)
def test_serve_reads_with_the_parser_asked_for(
    tmp_path: Path, args: list[str], env: dict[str, str], parser: str, bare_lf: bytes
):
    mock = start_mock(*args, data_dir=tmp_path / "d", env=env)
    try:
        answered = _status_of(mock.url, BARE_LF)
        proper = _status_of(mock.url, BARE_LF.replace(b"\n", b"\r\n"))
    finally:
        mock.stop()
    assert mock.banner.rstrip().endswith(f", {parser} parser"), mock.banner
    assert answered == bare_lf
    assert proper == b"HTTP/1.1 200 OK"


@pytest.mark.parametrize(
    ("args", "env"), [(["--http", "h2"], {}), ([], {"NEMO_MOCK_HTTP": "h2"})], ids=["flag", "env"]
)
def test_an_unknown_parser_is_refused_in_one_line(args: list[str], env: dict[str, str]):
    result = subprocess.run(
        [sys.executable, "-m", "nemo_mock", "serve", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**{k: v for k, v in os.environ.items() if k != "NEMO_MOCK_HTTP"}, **env},
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "nemo-mock: --http: Input should be 'auto', 'httptools' or 'h11' (got 'h2')"
    ]
    assert result.stdout == ""  # refused before anything started


def test_auto_is_httptools_when_installed_else_h11(monkeypatch: pytest.MonkeyPatch):
    assert parser_for("auto") == "httptools"
    assert parser_for("h11") == "h11"
    monkeypatch.setattr(protocol, "HTTPTOOLS_INSTALLED", False)
    assert parser_for("auto") == "h11"
    with pytest.raises(ValueError, match="httptools is not installed.*--http h11"):
        parser_for("httptools")


def test_httptools_asked_for_and_missing_is_one_line_exit_2(monkeypatch: pytest.MonkeyPatch):
    from nemo_mock.mock_server.cli import app

    monkeypatch.setattr(protocol, "HTTPTOOLS_INSTALLED", False)
    result = CliRunner().invoke(app, ["serve", "--port", "0", "--http", "httptools"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "nemo-mock: --http: httptools is not installed: pip install httptools, or use --http h11"
    ]


@pytest.mark.parametrize(
    ("http", "base"),
    [("h11", GuardedH11Protocol), ("httptools", GuardedHttpToolsProtocol)],
)
def test_the_class_given_to_uvicorn_has_the_parser_and_the_limits(http, base):
    made = guarded_protocol(header_timeout=1.5, idle_timeout=2.5, min_rate=10, http=http)
    assert issubclass(made, base) and made.parser_name == http
    assert (made.header_timeout, made.idle_timeout, made.min_rate) == (1.5, 2.5, 10)
