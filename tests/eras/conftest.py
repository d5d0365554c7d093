import random

import pytest

from mock_server.domain.backend import BackendConfig, NemoBackend
from mock_server.domain.clock import ManualClock
from mock_server.domain.tokens import TokenPolicy


@pytest.fixture
def backend(clock: ManualClock) -> NemoBackend:
    return NemoBackend(
        BackendConfig(initial_credits=100, tokens=TokenPolicy(ip_limit=10)),
        clock=clock,
        rng=random.Random(0),
    )
