"""``check-client --time-scale`` reads its default from ``NEMO_CHECK_TIME_SCALE``, the
variable it gives its clients, and ``--prompt`` from ``NEMO_CHECK_PROMPT`` (a CI job sets
them once for every run); the flags win."""

from __future__ import annotations

import sys
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from nemo_mock.client_tests.harness import check
from nemo_mock.client_tests.harness.cli import check_client_command


def _options(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, args: list[str], env: dict[str, str]
) -> Any:
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
    return options


def _time_scale(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, args: list[str], env: dict[str, str]
) -> float:
    return float(_options(monkeypatch, tmp_path, args, env).time_scale)


def test_the_default_comes_from_the_environment(monkeypatch, tmp_path):
    env = {"NEMO_CHECK_TIME_SCALE": "0.02"}
    assert _time_scale(monkeypatch, tmp_path, [], env) == 0.02


def test_the_flag_wins_over_the_environment(monkeypatch, tmp_path):
    env = {"NEMO_CHECK_TIME_SCALE": "0.02"}
    assert _time_scale(monkeypatch, tmp_path, ["--time-scale", "0.5"], env) == 0.5


def test_without_either_the_documented_default(monkeypatch, tmp_path):
    monkeypatch.delenv("NEMO_CHECK_TIME_SCALE", raising=False)
    assert _time_scale(monkeypatch, tmp_path, [], {}) == 0.1


def test_the_prompt_comes_from_the_flag_else_the_environment(monkeypatch, tmp_path):
    env = {"NEMO_CHECK_PROMPT": "a 2-second 480p video"}
    assert _options(monkeypatch, tmp_path, [], env).prompt == "a 2-second 480p video"
    flag = ["--prompt", "a 3-second video"]
    assert _options(monkeypatch, tmp_path, flag, env).prompt == "a 3-second video"
    monkeypatch.delenv("NEMO_CHECK_PROMPT", raising=False)
    assert _options(monkeypatch, tmp_path, [], {}).prompt is None  # each scenario's own
