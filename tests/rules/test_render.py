"""export-ready-before-render, render-poll-cadence."""

from __future__ import annotations

from tests.rules.factory import EMPTY_DRAFT, JournalBuilder, verdict


def started() -> JournalBuilder:
    j = JournalBuilder()
    j.token()
    j.session()
    return j


# --------------------------------------------------------------------------- export-ready


def test_export_ready_passes_after_reading_a_ready_state():
    j = started()
    j.run_sse()
    j.state()
    j.render()
    assert verdict("export-ready-before-render", j.entries).status == "pass"


def test_export_ready_fails_without_a_state_read():
    j = started()
    j.run_sse()
    start = j.render()
    (v,) = verdict("export-ready-before-render", j.entries).violations
    assert v.evidence == (start.seq,)
    assert "was rendered without reading its state first" in v.message


def test_export_ready_fails_on_an_empty_draft():
    j = started()
    read = j.state(EMPTY_DRAFT)
    start = j.render(draft=EMPTY_DRAFT)
    (v,) = verdict("export-ready-before-render", j.entries).violations
    assert v.evidence == (read.seq, start.seq)
    assert "its draft has no track with segments (not export-ready)" in v.message


def test_export_ready_counts_a_track_with_empty_segments_as_empty():
    j = started()
    j.state({"t": [{"tt": 0, "sg": []}, {"tt": 7, "sg": []}]})
    j.render()
    assert verdict("export-ready-before-render", j.entries).status == "fail"


def test_export_ready_fails_when_a_message_came_after_the_read():
    j = started()
    read = j.state()
    edit = j.run_sse("add music")
    start = j.render()
    (v,) = verdict("export-ready-before-render", j.entries).violations
    assert v.evidence == (read.seq, edit.seq, start.seq)
    assert "a message changed session" in v.message


def test_export_ready_needs_the_read_to_end_before_the_start():
    j = started()
    j.state(at_s=10, duration_s=2)
    j.render(at_s=11)
    assert verdict("export-ready-before-render", j.entries).status == "fail"


def test_export_ready_needs_a_read_of_the_rendered_session():
    j = started()
    j.state()
    other = j.session_id
    j.session()
    j.render(session=j.session_id)
    assert j.session_id != other
    assert verdict("export-ready-before-render", j.entries).status == "fail"


def test_export_ready_skips_a_start_naming_no_session():
    j = started()
    j.call("startRender", "POST", "/api/render/proxy/lambda", error=1001)
    assert verdict("export-ready-before-render", j.entries).status == "pass"


def test_export_ready_is_not_exercised_without_renders():
    assert verdict("export-ready-before-render", started().entries).status == "not_exercised"


# --------------------------------------------------------------------------- cadence


def rendering() -> JournalBuilder:
    j = started()
    j.state()
    j.render()
    return j


def test_cadence_passes_every_10_s():
    j = rendering()
    for _ in range(5):
        j.wait(10).poll()
    j.wait(10).poll(status="completed")
    assert verdict("render-poll-cadence", j.entries).status == "pass"


def test_cadence_scales_the_wait():
    j = rendering()
    for _ in range(5):
        j.wait(0.1).poll()
    assert verdict("render-poll-cadence", j.entries, time_scale=0.01).status == "pass"
    assert verdict("render-poll-cadence", j.entries).status == "fail"


def test_cadence_fails_on_polls_too_close():
    j = rendering()
    first = j.wait(10).poll()
    second = j.wait(2).poll()
    j.wait(10).poll()
    (v,) = verdict("render-poll-cadence", j.entries).violations
    assert v.evidence == (first.seq, second.seq)
    assert "render render_1 was polled 1 time(s) less than 10 s after the previous poll" in (
        v.message
    )
    assert "shortest gap 2.10 s" in v.message


def test_cadence_fails_past_30_polls():
    j = rendering()
    polls = [j.wait(10).poll() for _ in range(31)]
    (v,) = verdict("render-poll-cadence", j.entries).violations
    assert v.evidence == (polls[30].seq,)
    assert "render render_1 was polled 31 times" in v.message


def test_cadence_ignores_polls_answered_with_an_error():
    j = rendering()
    j.wait(10).poll(error=1001)
    j.token()
    j.poll()
    j.wait(10).poll(status="completed")
    assert verdict("render-poll-cadence", j.entries).status == "pass"


def test_cadence_is_per_render():
    j = rendering()
    j.render("render_2")
    j.wait(10).poll("render_1")
    j.poll("render_2")
    assert verdict("render-poll-cadence", j.entries).status == "pass"


def test_cadence_is_not_exercised_without_polls():
    assert verdict("render-poll-cadence", rendering().entries).status == "not_exercised"
