"""The command: read the task, make the video, export it; exit 0, 1, 2 or 3."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from nemo_mock.client_tests.reference_client import envelope
from nemo_mock.client_tests.reference_client.auth import Tokens
from nemo_mock.client_tests.reference_client.chat import (
    HEARTBEATS_ONLY_TIMEOUT_S,
    message_for_agent,
    send_message,
)
from nemo_mock.client_tests.reference_client.config import (
    SKILL_SOURCE,
    Settings,
    Task,
    environ,
    read_settings,
    read_task,
)
from nemo_mock.client_tests.reference_client.errors import (
    EXIT_OK,
    EXIT_UNEXPECTED,
    ApiError,
    ClientError,
    GaveUp,
    Refused,
    SessionLost,
)
from nemo_mock.client_tests.reference_client.http import Api, Log
from nemo_mock.client_tests.reference_client.polling import settle
from nemo_mock.client_tests.reference_client.render import Renderer
from nemo_mock.client_tests.reference_client.session import (
    Session,
    create_session,
    read_state,
    summarise,
    upload,
)
from nemo_mock.client_tests.reference_client.sse import Turn


class Client:
    """One run: token, session, uploads, one message, the state, the export."""

    api_class: type[Api] = Api
    renderer_class: type[Renderer] = Renderer
    #: How often a lost session (1002) is replaced by a new one before giving up.
    max_new_sessions = 3
    #: Seconds of keep-alives only after which a stream has timed out (§4.4).
    heartbeats_timeout_s = HEARTBEATS_ONLY_TIMEOUT_S

    def __init__(
        self,
        settings: Settings,
        task: Task,
        log: Log,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.task = task
        self.log = log
        self.api = self.api_class(settings, task, log, transport=transport)
        self.tokens = Tokens(self.api, settings.client_id, settings.token)
        self.renderer = self.renderer_class(self.api, task)

    def close(self) -> None:
        self.api.close()

    def run(self) -> None:
        new_sessions = 0
        while True:
            try:
                self.make_video()
                return
            except SessionLost as exc:
                if new_sessions >= self.max_new_sessions:
                    raise GaveUp(f"{new_sessions + 1} sessions were lost (1002)") from exc
                new_sessions += 1
                self.log(f"{exc.operation}: the session is lost (1002); starting a new one")

    def make_video(self) -> None:
        text = message_for_agent(self.task.prompt)
        if not text:
            raise ClientError("the prompt only asks for an export: there is nothing to make")
        session = create_session(self.api, text)
        upload(self.api, session, self.task.files)
        baseline = read_state(self.api, session)
        turn = self.converse(session, text)
        state = self.settle(session, turn, baseline)
        self.log(summarise(state))
        self.renderer.export(session, lambda: self.ready_state(session))
        self.finish(session)

    def finish(self, session: Session) -> None:
        """After the export: nothing more here (clients of other documents give the user a
        project link: ``client_tests.era_clients``)."""

    def converse(self, session: Session, text: str) -> Turn:
        return send_message(
            self.api, session, text, self.task, quiet_limit_s=self.heartbeats_timeout_s
        )

    def settle(self, session: Session, turn: Turn, baseline: dict[str, Any]) -> dict[str, Any]:
        return settle(self.api, session, turn, baseline, self.task)

    def ready_state(self, session: Session) -> dict[str, Any]:
        """The state right before a render: it must be export-ready (§4.7)."""
        state = read_state(self.api, session)
        if not envelope.export_ready(state):
            raise GaveUp(f"the draft of session {session.session_id} is not export-ready")
        return state


def advice(code: int, body: Any) -> str:
    """What to tell the user about a documented refusal (§3)."""
    if code == 2001:
        url = envelope.bind_url(body)
        if url:
            return f"out of credits: register at {url} to get more credits"
        return "out of credits: top up your credits, then try again"
    if code == 402:
        return (
            "export is blocked for the free plan (not a credit problem): register or upgrade "
            "your account, then export again"
        )
    if code == 4001:
        return f"unsupported file type. Supported formats: {envelope.SUPPORTED_FORMATS}"
    if code == 4002:
        return "a file is too large (over 500 MB): compress or trim it, then try again"
    return envelope.message_of(body) or f"refused with {code}"


def main(
    argv: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    *,
    client_class: type[Client] = Client,
    prog: str = "python -m nemo_mock.client_tests.reference_client",
    source: str = SKILL_SOURCE,
    log_name: str = "reference",
) -> int:
    log = Log(log_name)
    env = environ() if env is None else env
    try:
        task = read_task(sys.argv[1:] if argv is None else argv, env, prog)
        settings = read_settings(env, source=source)
        client = client_class(settings, task, log)
        try:
            client.run()
        finally:
            client.close()
    except ApiError as exc:
        if exc.code in envelope.REFUSALS:
            log(f"stopped: {advice(exc.code, exc.body)}")
            return Refused(exc.code, "").exit_code
        log(f"error: {exc}")
        return exc.exit_code
    except ClientError as exc:
        log(f"{'gave up' if isinstance(exc, GaveUp) else 'error'}: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        log("interrupted")
        return EXIT_UNEXPECTED
    except Exception as exc:  # anything else is unexpected, never a traceback-only exit
        log(f"unexpected error: {exc!r}")
        return EXIT_UNEXPECTED
    log(f"done: wrote {task.output}")
    return EXIT_OK
