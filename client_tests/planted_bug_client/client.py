"""The planted bugs: each one an override of the reference client, marked ``PLANTED BUG``."""

from __future__ import annotations

from typing import Any

from nemo_mock.client_tests.reference_client.http import Api, Budget, Reply
from nemo_mock.client_tests.reference_client.main import Client
from nemo_mock.client_tests.reference_client.render import Renderer
from nemo_mock.client_tests.reference_client.session import Session
from nemo_mock.client_tests.reference_client.sse import Turn

SKILL_SOURCE = "nemo-video-cli"


class PlantedBugApi(Api):
    def recover(self, reply: Reply, budget: Budget, *, auth: bool) -> bool:
        if reply.error == 1001 and reply.operation == "getRender":
            # PLANTED BUG: no new token while polling a render; the 1001 is raised (exit 1).
            return False
        return super().recover(reply, budget, auth=auth)


class PlantedBugClient(Client):
    """``render-poll-token``: no new token after a 1001 while polling a render."""

    api_class = PlantedBugApi


class UploadRateLimitApi(Api):
    def recover(self, reply: Reply, budget: Budget, *, auth: bool) -> bool:
        if reply.error == 429 and reply.operation == "uploadFiles" and not budget.rate_limited:
            # PLANTED BUG: an upload refused with 429 is sent again at once (no Retry-After).
            budget.rate_limited += 1
            return True
        return super().recover(reply, budget, auth=auth)


class UploadRateLimitClient(Client):
    """``upload-rate-limit``: an upload answered 429 is retried at once."""

    api_class = UploadRateLimitApi


class SameIdRenderer(Renderer):
    def next_id(self, failed_id: str | None) -> str:
        # PLANTED BUG: a failed render is retried with its own id.
        return failed_id or super().next_id(failed_id)


class RenderRetrySameIdClient(Client):
    """``render-retry-same-id``: a failed render is retried with the same id."""

    renderer_class = SameIdRenderer


class SessionReuseApi(Api):
    def recover(self, reply: Reply, budget: Budget, *, auth: bool) -> bool:
        if reply.error == 1002 and reply.operation == "getSessionState" and not budget.extra:
            # PLANTED BUG: a state read answered 1002 is read again from the lost session.
            budget.extra["1002"] = 1
            return True
        return super().recover(reply, budget, auth=auth)


class SessionReuseClient(Client):
    """``session-reuse``: after 1002 on a state read, the lost session is read again."""

    api_class = SessionReuseApi


class DropResendClient(Client):
    """``drop-resend``: after a dropped stream, the message is sent again at once."""

    message = ""

    def converse(self, session: Session, text: str) -> Turn:
        self.message = text
        return super().converse(session, text)

    def settle(self, session: Session, turn: Turn, baseline: dict[str, Any]) -> dict[str, Any]:
        if turn.ending == "dropped":
            # PLANTED BUG: no waiting, no state polls: the message again, at once.
            self.log("the stream dropped; sending the message again")
            turn = super().converse(session, self.message)
        return super().settle(session, turn, baseline)
