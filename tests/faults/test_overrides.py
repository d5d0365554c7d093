"""Faults reach turns and renders as typed overrides, made from the action that fired."""

import pytest

from nemo_mock.mock_server.faults.overrides import render_overrides, turn_overrides
from nemo_mock.mock_server.faults.spec import parse_action
from nemo_mock.mock_server.render.overrides import RenderOverrides
from nemo_mock.mock_server.sse.overrides import TurnOverrides


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("silent", TurnOverrides(silent=True)),
        ("text", TurnOverrides(silent=False)),
        ("heartbeats=660", TurnOverrides(heartbeats_only=660.0)),
        ("heartbeats=5 latency=10", TurnOverrides(heartbeats_only=5.0)),
    ],
)
def test_turn_faults_become_turn_overrides(spec, expected):
    assert turn_overrides(parse_action(spec)) == expected
    assert render_overrides(parse_action(spec)) is None


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ('render_fail="disk full"', RenderOverrides(fail="disk full")),
        ("render_pending", RenderOverrides(pending=True)),
        ("render_slow=90", RenderOverrides(slow=90.0)),
    ],
)
def test_render_faults_become_render_overrides(spec, expected):
    overrides = render_overrides(parse_action(spec))
    assert overrides == expected and overrides.any
    assert turn_overrides(parse_action(spec)) is None


@pytest.mark.parametrize("spec", ["error=1001", "latency=5", "drop", "cut=2", "expire_token"])
def test_other_faults_override_nothing(spec):
    action = parse_action(spec)
    assert turn_overrides(action) is None and render_overrides(action) is None


def test_no_fault_no_overrides():
    assert turn_overrides(None) is None and render_overrides(None) is None
    assert not RenderOverrides().any
