"""The careless client: the reference client with eight defects, each an override below
naming the rule it breaks (``BROKEN_RULES`` in ``__init__``)."""

from __future__ import annotations

from typing import Any

from nemo_mock.client_tests.reference_client import envelope
from nemo_mock.client_tests.reference_client.errors import GaveUp
from nemo_mock.client_tests.reference_client.http import Api, Budget, Reply
from nemo_mock.client_tests.reference_client.main import Client
from nemo_mock.client_tests.reference_client.render import Renderer
from nemo_mock.client_tests.reference_client.session import Session, read_state
from nemo_mock.client_tests.reference_client.sse import Turn

SKILL_SOURCE = "nemo-video-cli"
FOLLOW_UP = "What is the status of my video?"


class CarelessApi(Api):
    def headers(self, method: str, *, auth: bool) -> dict[str, str]:
        headers = super().headers(method, auth=auth)
        if method == "GET":
            # DEFECT (attribution-headers): X-Skill-Version is left out of GET requests.
            headers.pop("X-Skill-Version", None)
        return headers

    def recover(self, reply: Reply, budget: Budget, *, auth: bool) -> bool:
        code = reply.error
        if code == 429:
            # DEFECT (rate-limit-retry): retries at once, ignoring Retry-After, up to 3 times.
            budget.rate_limited += 1
            return budget.rate_limited <= 3
        if code == 2001:
            # DEFECT (no-retry-on-refusal): "no credits" is retried at once, up to 3 times.
            return _count(budget, "2001") <= 3
        if code == 1002:
            # DEFECT (session-recovery): the same call again, on the lost session.
            return _count(budget, "1002") <= 1
        return super().recover(reply, budget, auth=auth)


class CarelessRenderer(Renderer):
    # DEFECT (render-poll-cadence): polls every 1 s x time scale (at least every 0.05 s
    # real) instead of every 10-30 s, and up to 200 times instead of 30.
    poll_every_s = 1.0
    min_poll_interval_s = 0.05
    max_polls = 200


class CarelessClient(Client):
    api_class = CarelessApi
    renderer_class = CarelessRenderer
    # DEFECT (heartbeat-timeout): no time-out of its own on a stream of keep-alives only
    # (an hour instead of 10 minutes): it holds on until the server closes the stream.
    heartbeats_timeout_s = 3600.0

    def settle(self, session: Session, turn: Turn, baseline: dict[str, Any]) -> dict[str, Any]:
        if turn.ending != "closed":
            # DEFECT (stream-drop-recovery): no 30 s wait and no 60 s cadence: polls the
            # state at once, then every 5 s x time scale, with no limit on unchanged polls.
            return self._poll_at_once(session)
        if turn.silent:
            # DEFECT (state-after-silent-close): a stream without text (also one of only
            # keep-alives) is followed by a question to the agent, not by a state read.
            self.log("the agent said nothing; asking it")
            turn = self.converse(session, FOLLOW_UP)
        return super().settle(session, turn, baseline)

    def _poll_at_once(self, session: Session) -> dict[str, Any]:
        interval = max(self.task.wait(5.0), 0.05)
        for _ in range(100):
            state = read_state(self.api, session)
            if envelope.export_ready(state):
                return state
            self.api.sleep(interval)
        raise GaveUp(f"the draft of session {session.session_id} never became export-ready")


def _count(budget: Budget, key: str) -> int:
    budget.extra[key] = budget.extra.get(key, 0) + 1
    return budget.extra[key]
