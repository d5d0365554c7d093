"""valid-requests: every request checked against contracts/skill/openapi.yaml."""

from __future__ import annotations

from nemo_mock.contracts.rules.validity import request_problems
from tests.rules.factory import JournalBuilder, verdict


def started() -> JournalBuilder:
    j = JournalBuilder()
    j.token()
    j.session()
    return j


def only_violation(j: JournalBuilder):
    result = verdict("valid-requests", j.entries)
    assert result.status == "fail"
    (v,) = result.violations
    return v


def test_a_well_formed_session_passes():
    j = started()
    j.upload()
    j.upload(
        content_type="application/json",
        body={"urls": ["https://example.com/a.jpg"], "source_type": "url"},
    )
    j.run_sse("make me a 10-second sunset timelapse video")
    j.state()
    j.credits()
    j.render("render_1790000000000")
    j.poll("render_1790000000000")
    assert verdict("valid-requests", j.entries).status == "pass"


def test_camel_case_session_id_on_run_sse_fails():
    j = started()
    body = {"app_name": "nemo_agent", "user_id": "me", "sessionId": j.session_id,
            "new_message": {"parts": [{"text": "hi"}]}}  # fmt: skip
    bad = j.call("runSse", "POST", "/run_sse", body=body, content_type="application/json")
    v = only_violation(j)
    assert v.evidence == (bad.seq,)
    assert "runSse does not conform to the contract" in v.message
    assert "'session_id' is a required property" in v.message


def test_snake_case_session_id_on_render_fails():
    j = started()
    body = {"id": "render_1", "session_id": j.session_id, "draft": {"t": []}}
    bad = j.call(
        "startRender", "POST", "/api/render/proxy/lambda", body=body,
        content_type="application/json",
    )  # fmt: skip
    v = only_violation(j)
    assert v.evidence == (bad.seq,)
    assert "'sessionId' is a required property" in v.message


def test_a_bad_nested_field_is_located_in_the_message():
    j = started()
    bad = j.run_sse("")
    v = only_violation(j)
    assert v.evidence == (bad.seq,)
    assert "body.new_message.parts[0].text: '' should be non-empty" in v.message


def test_token_call_without_client_id_fails():
    j = JournalBuilder()
    bad = j.token(client_id=None, error=400)
    v = only_violation(j)
    assert v.evidence == (bad.seq,)
    assert "the required header parameter X-Client-Id is missing" in v.message


def test_export_without_an_attribution_header_fails():
    j = started()
    j.render(drop_headers=("x-skill-platform",), error=402)
    v = only_violation(j)
    assert "the required header parameter X-Skill-Platform is missing" in v.message


def test_a_path_parameter_outside_its_pattern_fails():
    j = started()
    j.call("getSessionState", "GET", "/api/state/nemo_agent/bob/123/latest")
    v = only_violation(j)
    assert "path parameter user_id: 'bob' does not match" in v.message


def test_a_path_outside_the_contract_fails():
    j = started()
    j.call(None, "GET", "/api/v1/projects")
    v = only_violation(j)
    assert "GET /api/v1/projects is not an operation of the API" in v.message


def test_mock_paths_are_not_judged():
    j = started()
    j.call(None, "GET", "/cdn/renders/k/render_1.mp4")
    assert verdict("valid-requests", j.entries).status == "pass"


def test_an_unaccepted_content_type_fails():
    j = started()
    j.upload(content_type="text/plain", body=None)
    v = only_violation(j)
    assert "Content-Type 'text/plain' is not one of multipart/form-data, application/json" in (
        v.message
    )


def test_a_body_without_content_type_fails():
    j = started()
    j.call("runSse", "POST", "/run_sse", body={"app_name": "nemo_agent"})
    v = only_violation(j)
    assert "a body was sent without a Content-Type" in v.message


def test_a_missing_required_body_fails():
    j = started()
    j.call("runSse", "POST", "/run_sse", error=400)
    v = only_violation(j)
    assert "the request body is missing (send application/json)" in v.message


def test_a_body_the_mock_never_read_is_not_judged():
    j = started()
    j.call("runSse", "POST", "/run_sse", content_type="application/json", error=1001)
    assert verdict("valid-requests", j.entries).status == "pass"


def test_create_session_may_omit_its_body():
    j = started()
    j.call("createSession", "POST", "/api/tasks/me/with-session/nemo_agent")
    assert verdict("valid-requests", j.entries).status == "pass"


def test_a_body_that_is_not_json_fails():
    j = started()
    j.call("runSse", "POST", "/run_sse", content_type="application/json", body=None)
    j.entries[-1].request.bytes = 12
    j.entries[-1].request.body_omitted = "not json"
    v = only_violation(j)
    assert "the body is not valid JSON" in v.message


def test_many_problems_are_summed_up():
    j = started()
    j.call("runSse", "POST", "/run_sse", body={"x": 1}, content_type="application/json")
    v = only_violation(j)
    assert "(and 1 more)" in v.message


def test_request_problems_is_empty_for_a_valid_request():
    j = started()
    assert request_problems(j.run_sse("add music")) == []


def test_valid_requests_is_not_exercised_without_requests():
    assert verdict("valid-requests", []).status == "not_exercised"


def test_valid_requests_knows_every_operation_of_every_surface_by_its_journal_name():
    from nemo_mock.contracts.rules.validity import _contract
    from nemo_mock.mock_server.edge.surfaces import operation_ids

    assert set(_contract().operations) == operation_ids()
