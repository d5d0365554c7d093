"""``check-client --time-scale`` reads its default from ``NEMO_CHECK_TIME_SCALE``, the
variable it gives its clients (a CI job sets it once for every run); the flag wins."""

from __future__ import annotations

import sys
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from nemo_mock.client_tests.harness import check
from nemo_mock.client_tests.harness.cli import check_client_command


def _time_scale(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, args: list[str], env: dict[str, str]
) -> float:
    seen: list[Any] = []

    def judged(scenarios: Any, options: Any, **_: Any) -> tuple[bool, None]:
        seen.append(options)
        return True, None

    monkeypatch.setattr(check, "check_client", judged)
    app = typer.Typer()
    app.command()(check_client_command)
    command = [*args, "--report", str(tmp_path / "report"), "--", sys.executable, "-c", "pass"]
    done = CliRunner().invoke(app, command, env=env)
    assert done.exit_code == 0, done.output
    (options,) = seen
    return float(options.time_scale)


def test_the_default_comes_from_the_environment(monkeypatch, tmp_path):
    env = {"NEMO_CHECK_TIME_SCALE": "0.02"}
    assert _time_scale(monkeypatch, tmp_path, [], env) == 0.02


def test_the_flag_wins_over_the_environment(monkeypatch, tmp_path):
    env = {"NEMO_CHECK_TIME_SCALE": "0.02"}
    assert _time_scale(monkeypatch, tmp_path, ["--time-scale", "0.5"], env) == 0.5


def test_without_either_the_documented_default(monkeypatch, tmp_path):
    monkeypatch.delenv("NEMO_CHECK_TIME_SCALE", raising=False)
    assert _time_scale(monkeypatch, tmp_path, [], {}) == 0.1
