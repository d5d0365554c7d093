"""Faults that act in a turn or in a render reach them as typed overrides.

The turn runner (``sse``) and the render service (``render``) never see a fault action:
the route hands them ``TurnOverrides`` / ``RenderOverrides`` made here from the action
that fired. Which keys act where is the registry's (``faults.kinds``, ``acts``).
"""

from __future__ import annotations

from nemo_mock.mock_server.faults.actions import FaultAction
from nemo_mock.mock_server.faults.kinds import kind_named
from nemo_mock.mock_server.render.overrides import RenderOverrides
from nemo_mock.mock_server.sse.overrides import TurnOverrides


def turn_overrides(action: FaultAction | None) -> TurnOverrides | None:
    """The overrides of a turn fault (silent, text, heartbeats only); ``None`` otherwise."""
    if action is None or kind_named(action.kind).acts != "turn":
        return None
    silent = True if action.silent else False if action.text else None
    return TurnOverrides(silent=silent, heartbeats_only=action.heartbeats_only)


def render_overrides(action: FaultAction | None) -> RenderOverrides | None:
    """The overrides of a render fault (fail, pending, slow); ``None`` otherwise."""
    if action is None or kind_named(action.kind).acts != "render":
        return None
    return RenderOverrides(
        fail=action.render_fail, pending=bool(action.render_pending), slow=action.render_slow
    )
