import random

import pytest

from nemo_mock.mock_server.domain.backend import BackendConfig, NemoBackend
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.domain.tokens import TokenPolicy


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def backend(clock: ManualClock) -> NemoBackend:
    return NemoBackend(
        BackendConfig(initial_credits=100, tokens=TokenPolicy(ip_limit=10)),
        clock=clock,
        rng=random.Random(0),
    )
