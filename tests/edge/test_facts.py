"""RequestFacts: built once per request, the same for the journal and the fault book."""

from nemo_mock.mock_server.domain.secrets import fingerprint
from nemo_mock.mock_server.edge.facts import FACTS, facts_of, note_body_session, session_in


def scope(method="GET", path="/", headers=()):
    return {"type": "http", "method": method, "path": path, "headers": list(headers)}


def test_facts_name_the_surface_operation_params_token_and_client():
    request = scope(
        "GET",
        "/api/state/nemo_agent/me/sess_1/latest",
        [(b"authorization", b"Bearer nmv_usr_x"), (b"x-client-id", b"cli")],
    )
    facts = facts_of(request)
    assert facts.surface == "skill"
    assert facts.operation == "getSessionState"
    assert facts.params == {"user_id": "me", "session_id": "sess_1"}
    assert facts.session == "sess_1"
    assert facts.token == fingerprint("nmv_usr_x")
    assert facts.client_id == "cli"


def test_facts_are_built_once_and_kept_in_the_scope():
    request = scope("POST", "/run_sse")
    first = facts_of(request)
    assert request[FACTS] is first
    assert facts_of(request) is first


def test_an_unknown_path_is_on_the_skill_surface_without_an_operation():
    facts = facts_of(scope("GET", "/nowhere"))
    assert (facts.surface, facts.operation, facts.session) == ("skill", None, None)


def test_the_mocks_own_paths_are_on_no_surface():
    assert facts_of(scope("GET", "/_mock/journal")).surface is None
    assert facts_of(scope("GET", "/cdn/f/x.mp4")).surface is None


def test_a_body_session_is_added_once_and_never_overrides_the_paths():
    request = scope("POST", "/run_sse")
    assert note_body_session(request, {"session_id": "s1"}).session == "s1"
    assert facts_of(request).session == "s1"
    on_path = scope("GET", "/api/state/nemo_agent/me/p1/latest")
    assert note_body_session(on_path, {"session_id": "b1"}).session == "p1"


def test_session_in_reads_both_spellings_strings_and_whole_numbers():
    assert session_in({"session_id": "a"}) == "a"
    assert session_in({"sessionId": "b"}) == "b"
    assert session_in({"session_id": 7}) == "7"
    assert session_in({"session_id": True}) is None
    assert session_in({"session_id": 1.5}) is None
    assert session_in(["session_id"]) is None
    assert session_in(None) is None
