"""The era clients: overrides of the reference client, each naming the document it follows."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from nemo_mock.client_tests.era_clients import links
from nemo_mock.client_tests.reference_client.auth import TOKEN_PATH, Tokens
from nemo_mock.client_tests.reference_client.config import Settings, Task
from nemo_mock.client_tests.reference_client.errors import ApiError, ClientError
from nemo_mock.client_tests.reference_client.http import Log
from nemo_mock.client_tests.reference_client.main import Client
from nemo_mock.client_tests.reference_client.render import START_PATH, Renderer
from nemo_mock.client_tests.reference_client.session import Session

SKILL_SOURCE = "nemo-video"


class NoClientIdTokens(Tokens):
    """Skill 1.0: the anonymous token is asked for with no X-Client-Id, and it never
    expires, so it is asked for once."""

    def refresh(self) -> None:
        raise ClientError("the token was refused, but 1.0 tokens never expire")

    def _fetch(self) -> str:
        reply = self.api.call("createAnonymousToken", "POST", TOKEN_PATH, auth=False)
        data = reply.body.get("data") if isinstance(reply.body, dict) else None
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise ClientError("the anonymous-token answer has no data.token")
        self.api.log("got an anonymous token (1.0: no client id)")
        return token


class NeverExpiringTokens(Tokens):
    """Skill 1.1-1.7: one token per client id, valid for ever: never fetched again."""

    def refresh(self) -> None:
        raise ClientError("the token was refused, but tokens never expire (skill ≤1.7)")


class StrictRenderer(Renderer):
    """Reads the render job exactly where its documents put it (``read``), and hands the
    reference renderer a job in one normalised form."""

    start_path = START_PATH
    poll_operation = ("getRender", START_PATH)
    start_operation = "startRender"

    def start(self, session: Session, render_id: str, draft: Any) -> Any:
        body = {
            "id": render_id,
            "sessionId": session.session_id,
            "draft": draft,
            "output": {"format": "mp4", "quality": self.quality},
        }
        reply = self.api.call(self.start_operation, "POST", self.start_path, json=body)
        self.api.log(f"render {render_id} started")
        return self.read(reply.body)

    def poll(self, render_id: str) -> Any:
        operation, base = self.poll_operation
        return self.read(self.api.call(operation, "GET", f"{base}/{render_id}").body)

    def read(self, body: Any) -> dict[str, Any]:
        raise NotImplementedError


def _top_level(body: Any, id_key: str) -> dict[str, Any]:
    """Skill documents: top-level ``status``, the URL at ``output.url``."""
    if not isinstance(body, dict) or not isinstance(body.get("status"), str):
        raise ClientError(f"the render answer has no top-level status: {str(body)[:200]}")
    if not isinstance(body.get(id_key), str):
        raise ClientError(f"the render answer has no {id_key}")
    output = body.get("output")
    url = output.get("url") if isinstance(output, dict) else None
    return {"status": body["status"], "output": {"url": url}, "error": body.get("error")}


class LegacyRenderer(StrictRenderer):
    """Skill 1.0 (the earliest documents): ``/api/render/proxy/draft`` and
    ``/api/render/proxy/<id>``; ``taskId``, ``status``, ``output.url``."""

    start_path = "/api/render/proxy/draft"
    start_operation = "startRenderLegacy"
    poll_operation = ("getRenderLegacy", "/api/render/proxy")

    def read(self, body: Any) -> dict[str, Any]:
        return _top_level(body, "taskId")


class SkillRenderer(StrictRenderer):
    """Skill 1.1-1.9: top-level ``status`` and ``id``, the URL at ``output.url``."""

    def read(self, body: Any) -> dict[str, Any]:
        return _top_level(body, "id")


class ReferenceRenderer(StrictRenderer):
    """The API reference: ``{"success": true, "data": {"id", "status", "outputUrl", …}}``,
    "status and outputUrl are inside data"."""

    def read(self, body: Any) -> dict[str, Any]:
        data = body.get("data") if isinstance(body, dict) else None
        if body.get("success") is not True or not isinstance(data, dict):
            raise ClientError(f"the render answer has no success/data: {str(body)[:200]}")
        if not isinstance(data.get("status"), str):
            raise ClientError("the render answer has no data.status")
        return {
            "status": data["status"],
            "output": {"url": data.get("outputUrl")},
            "error": data.get("error"),
        }


def _platform(settings: Settings, platform: str) -> Settings:
    return replace(settings, attribution={**settings.attribution, "X-Skill-Platform": platform})


class EraClient(Client):
    """A client of one era's documents: after the export it gives the user the project link
    those documents show (``links``) and opens it as the user's browser would."""

    link = staticmethod(links.claim_link)
    #: How often the user opens the link (1.9's claim token "can be reused": twice).
    link_opens = 1

    def finish(self, session: Session) -> None:
        links.open_link(self.api, self.link(self.api, session), times=self.link_opens)


class V1_0Client(EraClient):
    renderer_class = LegacyRenderer
    link = staticmethod(links.task_link)

    def __init__(self, settings: Settings, task: Task, log: Log, **kw: Any) -> None:
        super().__init__(_platform(settings, "github"), task, log, **kw)
        self.tokens = NoClientIdTokens(self.api, self.settings.client_id, self.settings.token)


class V1_4Client(EraClient):
    renderer_class = SkillRenderer

    def __init__(self, settings: Settings, task: Task, log: Log, **kw: Any) -> None:
        super().__init__(_platform(settings, "clawhub"), task, log, **kw)
        self.tokens = NeverExpiringTokens(self.api, self.settings.client_id, self.settings.token)


class ApiReferenceClient(EraClient):
    renderer_class = ReferenceRenderer
    #: "more than 5 minutes without a response is an SSE time-out"
    heartbeats_timeout_s = 300.0


class V1_9Client(EraClient):
    """Skill 1.9: a claim token for the link (``?ct=``), reused; skill-shaped render jobs."""

    renderer_class = SkillRenderer
    link = staticmethod(links.ct_link)
    link_opens = 2

    def __init__(self, settings: Settings, task: Task, log: Log, **kw: Any) -> None:
        super().__init__(_platform(settings, "clawhub"), task, log, **kw)


CLIENTS: dict[str, type[Client]] = {
    "v1.0": V1_0Client,
    "v1.4": V1_4Client,
    "api-reference": ApiReferenceClient,
    "v1.9": V1_9Client,
}

__all__ = ["CLIENTS", "SKILL_SOURCE", "ApiError"]
