"""Projects of the MCP surface: one V3 template per project, locked by ``version``.

A project wraps a skill-surface session (same account, ledger and media), so a delegated
turn edits the same state. ``save`` replaces the whole template when ``base_version`` is the
current version, whatever the body holds; otherwise ``VersionConflict`` carries the current
template and version. Background writes (a finished generation, a turn's edit) move the
version too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from nemo_mock.mock_server.domain.changes import Watched
from nemo_mock.mock_server.domain.clock import Clock
from nemo_mock.mock_server.domain.draft_v3.model import V3Draft
from nemo_mock.mock_server.domain.drafts import Draft
from nemo_mock.mock_server.domain.errors import NotFound
from nemo_mock.mock_server.domain.mcp_errors import VersionConflict


@dataclass
class V3Project(Watched):
    project_id: str
    user_id: str
    session_id: str
    name: str
    template: str
    draft: V3Draft
    created_at: datetime
    updated_at: datetime
    version: int = 1
    history: list[str] = field(default_factory=list)  # what moved each version
    files: list[str] = field(default_factory=list)  # asset:// URLs the project owns
    render_draft: Draft | None = None  # what the session holds for the engine and agent
    seen_revision: int = 0  # the session revision last mirrored into the version

    def to_json(self) -> dict[str, object]:
        return {
            "project_id": self.project_id,
            "session_id": self.session_id,
            "name": self.name,
            "version": self.version,
            "main_template": self.template,
            "updated_at": self.updated_at.isoformat(),
        }


class ProjectBook:
    def __init__(self, projects: dict[str, V3Project], clock: Clock) -> None:
        self._projects = projects
        self._clock = clock
        self._lock = threading.RLock()

    def add(self, project: V3Project) -> V3Project:
        with self._lock:
            self._projects[project.project_id] = project
            return project

    def get(self, project_id: str, user_id: str) -> V3Project:
        project = self._projects.get(project_id)
        if project is None or project.user_id != user_id:
            shown = project_id if len(project_id) <= 64 else project_id[:64] + "…"
            raise NotFound(f"project {shown!r} not found: create one with create_video_project")
        return project

    def of_session(self, session_id: str) -> V3Project | None:
        return next((p for p in self._projects.values() if p.session_id == session_id), None)

    def save(self, project: V3Project, template: str, draft: V3Draft, base_version: int) -> int:
        with self._lock:
            if base_version != project.version:
                raise VersionConflict(
                    f"version conflict: base_version {base_version} but the project is at "
                    f"version {project.version}; apply your change to the returned "
                    "main_template and save again with base_version "
                    f"{project.version}",
                    data={"current_version": project.version, "main_template": project.template},
                )
            return self._write(project, template, draft, "save_v3_draft")

    def background_write(self, project: V3Project, template: str, draft: V3Draft, why: str) -> int:
        with self._lock:
            return self._write(project, template, draft, why)

    def touch(self, project: V3Project, why: str) -> int:
        """Background work on the project's files moves the version, template unchanged."""
        with self._lock:
            return self._write(project, project.template, project.draft, why)

    def _write(self, project: V3Project, template: str, draft: V3Draft, why: str) -> int:
        project.template = template
        project.draft = draft
        project.version += 1
        project.updated_at = self._clock.now()
        project.history.append(why)
        return project.version
