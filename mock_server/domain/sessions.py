"""Sessions (one task, one timeline) and the state the agent edits.

A session belongs to exactly one user. Looking up a session with any other
user's token is indistinguishable from looking up one that does not exist:
the same ``SessionNotFound``, the same message, none of its data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from nemo_mock.mock_server.domain.changes import Watched
from nemo_mock.mock_server.domain.clock import Clock
from nemo_mock.mock_server.domain.drafts import Draft, DraftMeta
from nemo_mock.mock_server.domain.errors import BadRequest, SessionNotFound
from nemo_mock.mock_server.domain.ids import IdFactory
from nemo_mock.mock_server.domain.media import MediaFile

LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
DEFAULT_TASK_NAME = "project"
MAX_TASK_NAME = 200


@dataclass(frozen=True)
class CanvasConfig:
    width: int = 1920
    height: int = 1080

    @property
    def aspect_ratio(self) -> str:
        g = math.gcd(self.width, self.height)
        return f"{self.width // g}:{self.height // g}"

    def to_json(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "aspect_ratio": self.aspect_ratio}


@dataclass
class SessionState(Watched):
    draft: Draft = field(default_factory=lambda: Draft(m=DraftMeta(width=1920, height=1080)))
    video_infos: list[MediaFile] = field(default_factory=list)
    canvas: CanvasConfig = field(default_factory=CanvasConfig)
    video_analyses: list[dict[str, Any]] = field(default_factory=list)
    generated_media: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "draft": self.draft.to_wire(),
            "video_infos": [f.to_state_json() for f in self.video_infos],
            "canvas_config": self.canvas.to_json(),
            "video_analyses": list(self.video_analyses),
            "generated_media": [_shown_media(entry) for entry in self.generated_media],
        }


#: What the mock keeps of generated media for itself: where it lies on the server.
_INTERNAL_KEYS = frozenset({"path"})


def _shown_media(entry: dict[str, Any]) -> dict[str, Any]:
    """A generated media entry as clients see it: its id (a draft's ``src``), never a
    server path."""
    return {key: value for key, value in entry.items() if key not in _INTERNAL_KEYS}


@dataclass
class Session(Watched):
    session_id: str
    task_id: str
    user_id: str
    task_name: str
    language: str | None
    created_at: datetime
    state: SessionState = field(default_factory=SessionState)
    revision: int = 0
    #: When its state last changed (``None``: never since it was created).
    updated_at: datetime | None = None
    turns: int = 0
    edits_paid: bool = False

    def touch(self) -> None:
        self.revision += 1

    def to_state_json(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "task_id": self.task_id,
            "task_name": self.task_name,
            "state": self.state.to_json(),
        }


class SessionService:
    def __init__(self, sessions: dict[str, Session], ids: IdFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._ids = ids
        self._clock = clock

    def create(self, user_id: str, task_name: str | None, language: str | None) -> Session:
        name = DEFAULT_TASK_NAME if task_name is None else task_name
        if not name or len(name) > MAX_TASK_NAME:
            raise BadRequest(f"task_name must be 1 to {MAX_TASK_NAME} characters")
        if language is not None and not LANGUAGE_PATTERN.match(language):
            raise BadRequest(
                f"language {language!r} is not a language code (examples: en, zh-CN, ja, es)"
            )
        session = Session(
            session_id=self._ids.session(),
            task_id=self._ids.task(),
            user_id=user_id,
            task_name=name,
            language=language,
            created_at=self._clock.now(),
        )
        self._sessions[session.session_id] = session
        return session

    def get(self, session_id: str, user_id: str) -> Session:
        session = self._sessions.get(session_id)
        if session is None or session.user_id != user_id:
            raise SessionNotFound(f"session {_shown(session_id)} not found: create a new session")
        return session

    def get_by_task(self, task_id: str, session_id: str, user_id: str) -> Session:
        session = self.get(session_id, user_id)
        if session.task_id != task_id:
            raise SessionNotFound(
                f"session {_shown(session_id)} does not belong to task {_shown(task_id)}"
            )
        return session

    def apply_edit(
        self,
        session: Session,
        draft: Draft,
        canvas: tuple[int, int],
        generated: list[dict[str, Any]],
    ) -> None:
        """The agent's edit lands: new draft, canvas, and any media it generated."""
        session.state.draft = draft
        session.state.canvas = CanvasConfig(width=canvas[0], height=canvas[1])
        session.state.generated_media.extend(generated)
        session.touch()
        session.updated_at = self._clock.now()

    def add_media(self, session: Session, files: list[MediaFile]) -> None:
        session.state.video_infos.extend(files)
        session.touch()
        session.updated_at = self._clock.now()

    def of_user(self, user_id: str) -> list[Session]:
        return [s for s in self._sessions.values() if s.user_id == user_id]


def _shown(value: str) -> str:
    return repr(value if len(value) <= 64 else value[:64] + "…")
