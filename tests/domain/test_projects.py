"""Projects are tasks seen whole: one model for the skill, gateway and MCP surfaces."""

import pytest

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.errors import ProjectNotFound, SessionNotFound
from nemo_mock.mock_server.domain.tokens import AccessToken


def _user(backend: NemoBackend, client: str = "c") -> AccessToken:
    return backend.issue_anonymous_token(client, "ip")[0]


def test_a_project_is_a_task_with_its_first_session(backend: NemoBackend):
    token = _user(backend)
    project = backend.create_project(token, "coffee ad")
    session = project.latest_session
    assert project.project_id == session.task_id and project.name == "coffee ad"
    assert backend.session_for(token, "me", session.session_id) is session


def test_a_skill_session_is_a_project_the_gateway_lists(backend: NemoBackend):
    token = _user(backend)
    session = backend.create_session(token, "me", "wedding", None)
    (project,) = backend.user_projects(token)
    assert (project.project_id, project.name) == (session.task_id, "wedding")
    assert project.session_ids == {session.session_id}


def test_projects_are_listed_newest_first(backend: NemoBackend):
    token = _user(backend)
    first = backend.create_project(token, "one")
    backend.clock.advance(5)
    second = backend.create_project(token, "two")
    assert [p.project_id for p in backend.user_projects(token)] == [
        second.project_id,
        first.project_id,
    ]


def test_updated_at_follows_the_latest_state_change(backend: NemoBackend):
    token = _user(backend)
    project = backend.create_project(token, None)
    assert project.updated_at == project.created_at
    backend.clock.advance(180)
    session = project.latest_session
    backend.sessions.apply_edit(session, session.state.draft, (1080, 1920), [])
    assert backend.project(token, project.project_id).updated_at == backend.clock.now()


def test_another_users_project_is_not_found_like_a_missing_one(backend: NemoBackend):
    owner, other = _user(backend, "a"), _user(backend, "b")
    project = backend.create_project(owner, "mine")
    with pytest.raises(ProjectNotFound) as foreign:
        backend.project(other, project.project_id)
    with pytest.raises(ProjectNotFound) as missing:
        backend.project(other, "task_0000")
    assert foreign.value.code == missing.value.code == 404
    assert "not found" in foreign.value.message and "mine" not in foreign.value.message


def test_the_project_of_a_foreign_session_is_a_missing_session(backend: NemoBackend):
    owner, other = _user(backend, "a"), _user(backend, "b")
    session = backend.create_project(owner, None).latest_session
    with pytest.raises(SessionNotFound):
        backend.projects.of_session(other.user_id, session.session_id)


def test_latest_render_is_none_before_any_export(backend: NemoBackend):
    token = _user(backend)
    project = backend.create_project(token, None)
    assert backend.latest_render(token, project.project_id) is None
