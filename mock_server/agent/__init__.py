"""The mock's AI agent: a deterministic, rule-based planner of generation and edit steps.

``plan_turn(message, view, rng)`` reads an English or Chinese message and returns a
``Plan``: the steps (tool calls, each with the whole draft after it and any media to
synthesise) and the agent's texts, worded for the GUI the real backend assumes. The package
is pure logic over ``nemo_mock.mock_server.domain``; streaming, timing and credits live elsewhere.
"""

from nemo_mock.mock_server.agent.engine import plan_turn
from nemo_mock.mock_server.agent.plan import (
    EDIT_TOOL,
    GENERATION_TOOL,
    MediaSpec,
    Plan,
    SessionView,
    Step,
)

__all__ = [
    "EDIT_TOOL",
    "GENERATION_TOOL",
    "MediaSpec",
    "Plan",
    "SessionView",
    "Step",
    "plan_turn",
]
