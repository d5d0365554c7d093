"""The Swagger pages in a real browser: every served contract renders its operations
(Swagger UI 5 reads OpenAPI 3.1), offline, with no "Unable to render this definition"."""

from __future__ import annotations

import pytest

from nemo_mock.contracts.loader import load_contract, load_control
from nemo_mock.mock_server.edge.surfaces import SURFACES, surface_named
from tests.ui.pixels import ink

pytestmark = pytest.mark.live

PAGES = {
    "/docs": lambda: load_contract(surface_named("skill").contracts[0]),
    "/_mock/docs": load_control,
    **{
        f"/_mock/surfaces/{s.name}/docs": (lambda s=s: load_contract(s.contracts[0]))
        for s in SURFACES
        if "openapi" in s.contracts[0]
    },
}
METHODS = {"get", "post", "put", "patch", "delete"}


def operation_count(contract: dict) -> int:
    return sum(1 for item in contract["paths"].values() for method in item if method in METHODS)


@pytest.mark.parametrize("path", sorted(PAGES))
def test_the_page_shows_every_operation(served, page, screenshots, path):
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(served.url) else None,
    )
    page.goto(served.url + path)
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock").count() == operation_count(PAGES[path]())
    assert page.locator(".errors-wrapper").count() == 0
    assert "Unable to render" not in page.content()
    assert page.locator(".info .title").inner_text().strip()
    assert outside == [], f"the page fetched from outside the mock: {outside}"
    shot = screenshots / f"swagger{path.replace('/', '_')}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert ink(shot) > 0.02, "the screenshot is nearly blank"
