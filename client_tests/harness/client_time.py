"""Windows a client must time itself, given in the client's time.

The mock scales its waits by its own ``--time-scale`` (fast agents: 0.01) and the client
under test scales its documented waits by ``NEMO_CHECK_TIME_SCALE`` (0.1). A scenario's
heartbeats-only window (660 s: past the 10-minute time-out of §4.4) must outlast the
client's scaled time-out, so it is converted from the client's scale to the mock's before
the mock loads the scenario; otherwise the mock closes the stream first and a client with
no time-out at all would pass.
"""

from __future__ import annotations

from nemo_mock.mock_server.faults.rules import FaultRule
from nemo_mock.mock_server.scenarios.model import Scenario

#: Keys of a fault action that are windows the client times (seconds at real timing).
CLIENT_TIMED = ("heartbeats_only",)


def in_client_time(scenario: Scenario, client_scale: float, mock_scale: float) -> Scenario:
    """The scenario with each client-timed window multiplied by client ÷ mock scale."""
    if mock_scale <= 0 or client_scale <= 0:
        return scenario  # no waiting on either side: nothing to convert
    factor = client_scale / mock_scale
    faults = [_converted(rule, factor) for rule in scenario.faults]
    return scenario.model_copy(update={"faults": faults})


def _converted(rule: FaultRule, factor: float) -> FaultRule:
    update = {
        key: round(value * factor, 3)
        for key in CLIENT_TIMED
        if isinstance(value := getattr(rule.action, key, None), int | float)
    }
    if not update:
        return rule
    return rule.model_copy(update={"action": rule.action.model_copy(update=update)})
