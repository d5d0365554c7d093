"""A real headless Chromium (Debian's, driven by Playwright) for the pages the mock serves.

Skips, saying why, where Playwright or a Chromium is missing; CI installs both."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from nemo_mock.client_tests.live_mock import LiveMock, start_mock

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    """``NEMO_MOCK_CHROMIUM``, else the first Chromium on PATH."""
    configured = os.environ.get("NEMO_MOCK_CHROMIUM")
    if configured:
        return configured
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


# Module scope, not session: Playwright's sync API keeps an event loop running in this thread
# while it is open, so a later module on the same worker could not asyncio.run() its clients.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="browser tests need playwright (the test extras)"
    )
    executable = chromium_path()
    if executable is None:
        pytest.skip("browser tests need Chromium: apt-get install chromium (CI does)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveMock]:
    mock = start_mock(data_dir=tmp_path_factory.mktemp("ui-data"))
    yield mock
    mock.stop()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where screenshots go: ``NEMO_MOCK_SCREENSHOTS`` (to look at them) or a temp dir."""
    folder = Path(os.environ.get("NEMO_MOCK_SCREENSHOTS") or "/tmp/nemo-mock-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def offline(page: Any, served: LiveMock) -> Iterator[Any]:
    """A fresh mock (reset, no snapshots); the page may reach it and nothing else, and must
    raise no script error."""
    httpx.post(f"{served.url}/_mock/reset").raise_for_status()
    for snapshot in httpx.get(f"{served.url}/_mock/snapshots").json()["snapshots"]:
        httpx.delete(f"{served.url}/_mock/snapshots/{snapshot['name']}").raise_for_status()
    blocked: list[str] = []

    def route(r: Any) -> Any:
        if r.request.url.startswith(served.url):
            return r.continue_()
        blocked.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert blocked == [], f"the page tried to reach outside the mock: {blocked}"
    assert errors == [], f"script errors: {errors}"
