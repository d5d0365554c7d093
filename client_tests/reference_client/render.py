"""Export (§4.7, §4.8): a fresh export-ready state, one render job, polls at the documented
cadence, one retry after a failure or a duplicate id, cancel after the poll budget, then the
download (the job's URL, or the bearer-token fallback)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from nemo_mock.client_tests.reference_client import envelope
from nemo_mock.client_tests.reference_client.config import Task
from nemo_mock.client_tests.reference_client.errors import ApiError, ClientError, GaveUp
from nemo_mock.client_tests.reference_client.http import Api
from nemo_mock.client_tests.reference_client.session import Session

START_PATH = "/api/render/proxy/lambda"
FINISHED = frozenset({"completed", "failed", "cancelled"})


def new_render_id() -> str:
    return f"render_{time.time_ns() // 1_000_000}_{uuid.uuid4().hex[:8]}"


class Renderer:
    #: §4.8: every 10 s, at most 30 polls (the other documented cadence: 30 s, 10 polls).
    poll_every_s = 10.0
    max_polls = 30
    #: Encoding takes real time that no time scale shrinks, so polls are never closer than
    #: this (real seconds): with a small time scale the budget still covers a real render.
    #: Polling less often than documented is always allowed; at time scale 1 it never binds.
    min_poll_interval_s = 1.0
    #: "low" is the fastest to encode.
    quality = "low"

    def __init__(self, api: Api, task: Task) -> None:
        self.api = api
        self.task = task

    def export(self, session: Session, ready_state: Callable[[], dict[str, Any]]) -> None:
        """Render the session's draft to ``task.output``. ``ready_state`` reads the state and
        checks it export-ready; it is called right before every render start."""
        failures = conflicts = 0
        failed_id: str | None = None
        while True:
            draft = ready_state()["draft"]
            render_id, failed_id = self.next_id(failed_id), None
            try:
                job = self.start(session, render_id, draft)
            except ApiError as exc:
                if exc.code == 409 and not conflicts:
                    conflicts += 1
                    self.api.log("render id already used (409); retrying once with a new id")
                    continue
                raise
            job = self.wait(render_id, job)
            status = envelope.render_status(job)
            if status == "completed":
                self.download(render_id, job)
                return
            failures += 1
            failed_id = render_id
            reason = envelope.render_error(job)
            if failures > 1:
                raise ClientError(f"the render failed again ({status}: {reason})")
            self.api.log(f"render {render_id} {status} ({reason}); retrying once with a new id")

    def next_id(self, failed_id: str | None) -> str:
        """The id of the next render start (``failed_id``: the render that just failed):
        always a new one (§4.8)."""
        return new_render_id()

    def start(self, session: Session, render_id: str, draft: Any) -> Any:
        body = {
            "id": render_id,
            "sessionId": session.session_id,
            "draft": draft,
            "output": {"format": "mp4", "quality": self.quality},
        }
        reply = self.api.call("startRender", "POST", START_PATH, json=body)
        self.api.log(f"render {render_id} started")
        return reply.body

    def wait(self, render_id: str, job: Any) -> Any:
        """Poll until the job finishes; after the poll budget cancel it and give up."""
        if envelope.render_status(job) in FINISHED:
            return job
        interval = max(self.task.wait(self.poll_every_s), self.min_poll_interval_s)
        for _ in range(self.max_polls):
            self.api.sleep(interval)
            job = self.poll(render_id)
            if envelope.render_status(job) in FINISHED:
                return job
        self.cancel(render_id)
        raise GaveUp(
            f"render {render_id} did not finish within {self.max_polls} polls "
            f"(last status {envelope.render_status(job)!r}); cancelled it"
        )

    def poll(self, render_id: str) -> Any:
        reply = self.api.call("getRender", "GET", f"{START_PATH}/{render_id}")
        return reply.body

    def cancel(self, render_id: str) -> None:
        try:
            self.api.call("cancelRender", "POST", f"{START_PATH}/{render_id}/cancel")
        except ApiError as exc:
            self.api.log(f"cancelling {render_id} answered {exc.code}")

    def download(self, render_id: str, job: Any) -> None:
        target = self.task.output
        url = envelope.render_url(job)
        if url:
            if url.startswith("/"):
                url = f"{self.api.settings.api_url}{url}"
            try:
                self.api.download(url, target, auth=False)
                self.api.log(f"downloaded {render_id} to {target}")
                return
            except ClientError as exc:
                self.api.log(f"the output URL failed ({exc}); using the download fallback")
        self.api.download(f"/api/render/proxy/{render_id}/download", target, auth=True)
        self.api.log(f"downloaded {render_id} (fallback) to {target}")
