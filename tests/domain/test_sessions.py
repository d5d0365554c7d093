import re

import pytest

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.errors import BadRequest, SessionNotFound, UserMismatch


def _user(backend: NemoBackend, client: str = "c"):
    return backend.issue_anonymous_token(client, "ip")[0]


def test_create_session_has_documented_ids(backend: NemoBackend):
    token = _user(backend)
    session = backend.create_session(token, "me", "wedding", "zh-CN")
    assert re.fullmatch(r"[0-9]{19}", session.session_id)
    assert session.task_id.startswith("task_")
    assert (session.user_id, session.task_name, session.language) == (
        token.user_id,
        "wedding",
        "zh-CN",
    )


def test_state_starts_empty_with_a_1080p_canvas(backend: NemoBackend):
    session = backend.create_session(_user(backend), "me", None, None)
    state = session.to_state_json()
    assert state["task_name"] == "project"
    assert state["state"]["draft"] == {"t": [], "d": 0, "m": {"width": 1920, "height": 1080}}
    assert state["state"]["canvas_config"] == {
        "width": 1920,
        "height": 1080,
        "aspect_ratio": "16:9",
    }
    assert state["state"]["video_infos"] == []
    assert state["state"]["generated_media"] == [] and state["state"]["video_analyses"] == []


def test_path_user_may_be_me_or_the_real_id(backend: NemoBackend):
    token = _user(backend)
    session = backend.create_session(token, token.user_id, "p", None)
    assert backend.session_for(token, "me", session.session_id) is session
    assert backend.session_for(token, token.user_id, session.session_id) is session


def test_path_naming_another_user_is_refused(backend: NemoBackend):
    token = _user(backend)
    with pytest.raises(UserMismatch, match="use 'me'") as caught:
        backend.create_session(token, "anon_someoneelse", "p", None)
    assert caught.value.code == 1001


def test_foreign_session_looks_exactly_like_a_missing_one(backend: NemoBackend):
    alice, bob = _user(backend, "a"), _user(backend, "b")
    session = backend.create_session(alice, "me", "secret project", None)
    with pytest.raises(SessionNotFound) as foreign:
        backend.session_for(bob, "me", session.session_id)
    with pytest.raises(SessionNotFound) as missing:
        backend.session_for(bob, "me", "1234567890123456789")
    assert foreign.value.code == missing.value.code == 1002
    assert "secret project" not in foreign.value.message
    assert foreign.value.message.replace(session.session_id, "X") == missing.value.message.replace(
        "1234567890123456789", "X"
    )


def test_claim_needs_matching_task_and_session(backend: NemoBackend):
    token = _user(backend)
    session = backend.create_session(token, "me", "p", None)
    with pytest.raises(SessionNotFound, match="does not belong to task"):
        backend.create_claim_token(token, "task_other", session.session_id)


@pytest.mark.parametrize(
    ("name", "language", "message"),
    [
        ("", None, "task_name must be 1 to 200"),
        ("x" * 201, None, "task_name must be 1 to 200"),
        ("p", "english please", "is not a language code"),
        ("p", "EN", "is not a language code"),
    ],
)
def test_bad_session_fields_are_refused(backend: NemoBackend, name, language, message):
    with pytest.raises(BadRequest, match=message):
        backend.create_session(_user(backend), "me", name, language)
    assert backend.store.sessions == {}


def test_state_shows_generated_media_by_id_never_by_server_path(backend: NemoBackend):
    session = backend.create_session(_user(backend), "me", None, None)
    entry = {"id": "gen_ab12", "kind": "clip", "src": "gen_ab12", "path": "/srv/data/gen_ab12.mp4"}
    backend.sessions.apply_edit(session, session.state.draft, (1920, 1080), [entry])
    shown = session.to_state_json()["state"]["generated_media"]
    assert shown == [{"id": "gen_ab12", "kind": "clip", "src": "gen_ab12"}]
    assert "/srv/data" not in repr(session.to_state_json())
    assert session.state.generated_media[0]["path"] == "/srv/data/gen_ab12.mp4"  # kept inside
