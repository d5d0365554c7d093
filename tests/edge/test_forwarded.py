"""Forwarded headers are believed only from ``--forwarded-allow-ips`` (issue 13 item 9): by
default ``X-Forwarded-For`` cannot reset the per-IP token limit, even from 127.0.0.1 and even
with uvicorn's own ``FORWARDED_ALLOW_IPS`` in the environment."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from tests.conftest import ATTRIBUTION
from tests.live.conftest import start_mock


def mint(http: httpx.Client, forwarded_for: str | None = None) -> httpx.Response:
    headers = {"X-Client-Id": str(uuid.uuid4())}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    return http.post("/api/auth/anonymous-token", headers=headers)


@pytest.mark.live
def test_x_forwarded_for_does_not_reset_the_per_ip_limit_by_default(tmp_path: Path):
    server = start_mock(tmp_path, "--ip-token-limit", "2", env={"FORWARDED_ALLOW_IPS": "*"})
    try:
        with httpx.Client(base_url=server.url, headers=ATTRIBUTION, timeout=30) as http:
            assert [mint(http).status_code for _ in range(2)] == [200, 200]
            spoofed = [mint(http, f"198.51.100.{n}") for n in range(3)]
    finally:
        server.stop()
    assert [r.status_code for r in spoofed] == [429, 429, 429]
    assert "from 127.0.0.1" in spoofed[0].json()["message"]  # the socket's address, not the header


@pytest.mark.live
def test_a_configured_proxy_is_believed(tmp_path: Path):
    server = start_mock(tmp_path, "--ip-token-limit", "2", "--forwarded-allow-ips", "127.0.0.1,::1")
    try:
        with httpx.Client(base_url=server.url, headers=ATTRIBUTION, timeout=30) as http:
            behind_proxy = [mint(http, "198.51.100.7").status_code for _ in range(3)]
            another = mint(http, "198.51.100.8").status_code
    finally:
        server.stop()
    assert "forwarded headers:     from 127.0.0.1,::1" in server.banner
    assert behind_proxy == [200, 200, 429] and another == 200
