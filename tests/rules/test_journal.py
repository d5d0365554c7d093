"""Reading journal entries: order, errors in both styles, render shapes, drafts, events."""

from __future__ import annotations

from nemo_mock.contracts.rules.journal import (
    error_of,
    export_ready,
    message_text,
    ordered,
    render_id,
    render_status,
    sse_events,
)
from tests.rules.factory import READY_DRAFT, JournalBuilder, text


def started() -> JournalBuilder:
    j = JournalBuilder()
    j.token()
    j.session()
    return j


def test_entries_are_ordered_by_start_not_by_completion():
    j = started()
    late = j.run_sse(at_s=10, duration_s=100)
    early = j.state(at_s=5)
    assert late.seq < early.seq
    assert ordered(j.entries)[-2:] == [early, late]


def test_an_error_is_the_code_or_else_the_http_status():
    j = started()
    assert error_of(j.state(error=1002)) == 1002
    assert error_of(j.state(error=1002, envelope=True)) == 1002
    assert error_of(j.call("getSessionState", "GET", "/x", status=500)) == 500
    assert error_of(j.state()) is None


def test_render_status_is_read_in_every_documented_shape():
    j = started()
    assert render_status(j.poll(status="failed")) == "failed"
    assert render_status(j.poll(status="completed", shape="top")) == "completed"
    assert render_status(j.state()) is None


def test_render_ids_come_from_the_body_or_the_path():
    j = started()
    assert render_id(j.render("render_7")) == "render_7"
    assert render_id(j.poll("render_7")) == "render_7"
    assert render_id(j.call("getRenderLegacy", "GET", "/api/render/proxy/render_8")) == "render_8"
    cancel = j.call("cancelRender", "POST", "/api/render/proxy/lambda/render_9/cancel")
    assert render_id(cancel) == "render_9"
    download = j.call("downloadRender", "GET", "/api/render/proxy/render_9/download")
    assert render_id(download) == "render_9"


def test_a_draft_is_export_ready_with_one_non_empty_track():
    assert export_ready({"draft": READY_DRAFT})
    assert not export_ready({"draft": {"t": [{"tt": 0, "sg": []}]}})
    assert not export_ready({"draft": {}})
    assert not export_ready(None)


def test_message_text_joins_the_parts():
    j = started()
    body = {"new_message": {"parts": [{"text": "one"}, {"text": "two"}, {"x": 1}]}}
    assert message_text(j.call("runSse", "POST", "/run_sse", body=body)) == "one\ntwo"


def test_sse_events_skip_keep_alives_and_malformed_data():
    j = started()
    turn = j.run_sse(events=["", "not json", "[1]", text("hi")])
    assert list(sse_events(turn)) == [text("hi")]
