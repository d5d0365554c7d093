"""Loading a scenario into a running mock: its set-up, then its fault rules."""

from __future__ import annotations

from dataclasses import replace

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.faults.rules import ActiveRule, FaultBook
from nemo_mock.mock_server.scenarios.model import Scenario


def apply_scenario(scenario: Scenario, backend: NemoBackend, book: FaultBook) -> list[ActiveRule]:
    if scenario.setup.initial_credits is not None:
        backend.initial_credits = scenario.setup.initial_credits
    if scenario.setup.advance_clock:
        backend.clock.advance(scenario.setup.advance_clock)
    if scenario.setup.mcp_plan is not None:
        oauth = backend.store.mcp.oauth
        oauth.consent = replace(oauth.consent, plan=scenario.setup.mcp_plan)
    return [book.add(rule) for rule in scenario.faults]
