"""The connection tests run on both of uvicorn's HTTP parsers (``serve --http``): a
module-scoped mock per parser, with the module's own limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nemo_mock.client_tests.live_mock import LiveMock, start_mock

#: The parsers ``serve --http`` can be asked for by name.
PARSERS = ("h11", "httptools")


def mock_on_parser(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, *flags: str
) -> Iterator[LiveMock]:
    """A mock on the parser the fixture's ``request.param`` names, with ``flags``; stopped
    when the fixture ends (``yield from`` it in a fixture with ``params=PARSERS``)."""
    data = tmp_path_factory.mktemp(f"mock-{request.param}") / "d"
    live = start_mock("--http", request.param, *flags, data_dir=data)
    try:
        yield live
    finally:
        live.stop()
