"""Projects: the gateway's and the MCP server's name for a task and its editing sessions.

There is one model underneath every surface: a *task* owns one or more *sessions*, and
each session owns a timeline (``SessionState``). The skill surface names both ids; the
gateway and MCP surfaces call the task a *project* (``project_id`` is the task id). So
a project made through the CLI is a session the skill surface can read, and a session
made by a skill is a project the CLI lists.

A project belongs to one user; another user's project is indistinguishable from one that
does not exist (``ProjectNotFound``, the same message, none of its data).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nemo_mock.mock_server.domain.errors import ProjectNotFound
from nemo_mock.mock_server.domain.sessions import DEFAULT_TASK_NAME, Session, SessionService

MAX_SHOWN_ID = 64


@dataclass(frozen=True)
class Project:
    """A task seen whole: its sessions (oldest first) and when it last changed."""

    project_id: str
    user_id: str
    name: str
    created_at: datetime
    sessions: tuple[Session, ...]

    @property
    def updated_at(self) -> datetime:
        return max((s.updated_at or s.created_at) for s in self.sessions)

    @property
    def latest_session(self) -> Session:
        """The session a client continues in: the most recently created."""
        return self.sessions[-1]

    @property
    def session_ids(self) -> frozenset[str]:
        return frozenset(s.session_id for s in self.sessions)


class ProjectService:
    """Projects over the sessions table: nothing is stored twice."""

    def __init__(self, sessions: SessionService) -> None:
        self._sessions = sessions

    def create(self, user_id: str, name: str | None, language: str | None = None) -> Project:
        """A new project with its first session."""
        session = self._sessions.create(user_id, name or DEFAULT_TASK_NAME, language)
        return _project_of([session])

    def of_user(self, user_id: str) -> list[Project]:
        """The user's projects, newest first."""
        by_task: dict[str, list[Session]] = {}
        for session in self._sessions.of_user(user_id):
            by_task.setdefault(session.task_id, []).append(session)
        projects = [_project_of(sessions) for sessions in by_task.values()]
        return sorted(projects, key=lambda p: (p.created_at, p.project_id), reverse=True)

    def get(self, user_id: str, project_id: str) -> Project:
        sessions = [s for s in self._sessions.of_user(user_id) if s.task_id == project_id]
        if not sessions:
            shown = project_id if len(project_id) <= MAX_SHOWN_ID else project_id[:64] + "…"
            raise ProjectNotFound(
                f"project {shown!r} not found: list your projects with GET /projects"
            )
        return _project_of(sessions)

    def of_session(self, user_id: str, session_id: str) -> Project:
        """The project a session belongs to (1002 if the session is not the user's)."""
        return self.get(user_id, self._sessions.get(session_id, user_id).task_id)


def _project_of(sessions: list[Session]) -> Project:
    ordered = tuple(sorted(sessions, key=lambda s: (s.created_at, s.session_id)))
    first = ordered[0]
    return Project(
        project_id=first.task_id,
        user_id=first.user_id,
        name=first.task_name,
        created_at=first.created_at,
        sessions=ordered,
    )
