"""Loading a scenario into a running mock: its set-up, then its fault rules."""

from __future__ import annotations

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.faults.rules import ActiveRule, FaultBook
from nemo_mock.mock_server.scenarios.model import Scenario


def apply_scenario(scenario: Scenario, backend: NemoBackend, book: FaultBook) -> list[ActiveRule]:
    if scenario.setup.initial_credits is not None:
        backend.initial_credits = scenario.setup.initial_credits
    if scenario.setup.advance_clock:
        backend.clock.advance(scenario.setup.advance_clock)
    return [book.add(rule) for rule in scenario.faults]
