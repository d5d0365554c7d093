"""An agent-turn world in-process: a backend on a manual clock, a turn runner, one session."""

import json
import random

from nemo_mock.mock_server.domain.backend import BackendConfig, NemoBackend
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.sse.timing import Timing
from nemo_mock.mock_server.sse.turns import TurnRunner, TurnSettings

GENERATE = "make me a 10-second sunset timelapse video"


class World:
    def __init__(self, tmp_path, *, credits=100_000, seed=0, time_scale=0.0, silent_rate=0.3):
        self.backend = NemoBackend(
            BackendConfig(initial_credits=credits), clock=ManualClock(), rng=random.Random(seed)
        )
        settings = TurnSettings(
            timing=Timing(time_scale=time_scale, heartbeat_interval=10),
            silent_rate=silent_rate,
            seed=seed,
        )
        self.runner = TurnRunner(self.backend, tmp_path, settings)
        self.token, _ = self.backend.issue_anonymous_token("client", "127.0.0.1")
        self.session = self.backend.create_session(self.token, "me", "p", "en")

    async def turn(self, message: str, session=None) -> list[dict]:
        sid = (session or self.session).session_id
        turn = await self.runner.open(self.token, "me", sid, message)
        return [json.loads(e.data()) if e.data() else {} async for e in turn.stream()]

    def balance(self):
        return self.backend.ledger.balance(self.token.user_id)
