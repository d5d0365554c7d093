"""The planted bug: an override of the reference client's 1001 recovery."""

from __future__ import annotations

from client_tests.reference_client.http import Api, Budget, Reply
from client_tests.reference_client.main import Client

SKILL_SOURCE = "nemo-video-cli"


class PlantedBugApi(Api):
    def recover(self, reply: Reply, budget: Budget, *, auth: bool) -> bool:
        if reply.error == 1001 and reply.operation == "getRender":
            # PLANTED BUG: no new token while polling a render; the 1001 is raised (exit 1).
            return False
        return super().recover(reply, budget, auth=auth)


class PlantedBugClient(Client):
    api_class = PlantedBugApi
