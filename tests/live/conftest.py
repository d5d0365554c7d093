"""A real ``nemo-mock serve`` process on a free port, stopped by the fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nemo_mock.client_tests.live_mock import LiveMock
from nemo_mock.client_tests.live_mock import start_mock as _start


def start_mock(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> LiveMock:
    return _start(*args, data_dir=tmp_path / "data", env=env)


def stop_mock(mock: LiveMock) -> None:
    mock.stop()


@pytest.fixture
def live_mock(tmp_path: Path) -> Iterator[LiveMock]:
    mock = start_mock(tmp_path)
    yield mock
    mock.stop()
