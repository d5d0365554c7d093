"""render-failure-retry, duplicate-render-id."""

from __future__ import annotations

from tests.rules.factory import JournalBuilder, verdict


def rendering(render_id: str = "render_1") -> JournalBuilder:
    j = JournalBuilder()
    j.token()
    j.session()
    j.state()
    j.render(render_id)
    return j


# --------------------------------------------------------------------------- failure retry


def test_failure_retry_passes_with_one_retry_and_a_new_id():
    j = rendering()
    j.wait(10).poll(status="failed")
    j.state()
    j.render("render_2")
    j.wait(10).poll("render_2", status="completed")
    assert verdict("render-failure-retry", j.entries).status == "pass"


def test_failure_retry_passes_when_the_client_reports_the_failure():
    j = rendering()
    j.wait(10).poll(status="failed")
    assert verdict("render-failure-retry", j.entries).status == "pass"


def test_failure_retry_fails_on_a_second_retry():
    j = rendering()
    failed = j.wait(10).poll(status="failed")
    second = j.render("render_2")
    j.wait(10).poll("render_2", status="failed")
    third = j.render("render_3")
    (v,) = verdict("render-failure-retry", j.entries).violations
    assert v.evidence == (failed.seq, second.seq, third.seq)
    assert "render render_1 failed and the export was started 2 more times" in v.message


def test_failure_retry_fails_on_the_same_id():
    j = rendering()
    failed = j.wait(10).poll(status="failed")
    same = j.render("render_1", error=409)
    (v,) = verdict("render-failure-retry", j.entries).violations
    assert v.evidence == (failed.seq, same.seq)
    assert "retried with the same id" in v.message


def test_failure_retry_reads_a_top_level_status():
    j = rendering()
    j.wait(10).poll(status="failed", shape="top")
    j.render("render_2")
    j.render("render_3")
    assert verdict("render-failure-retry", j.entries).status == "fail"


def test_failure_retry_window_ends_with_the_next_message():
    j = rendering()
    j.wait(10).poll(status="failed")
    j.render("render_2")
    j.run_sse("shorten it to 5 seconds")
    j.state()
    j.render("render_3")
    assert verdict("render-failure-retry", j.entries).status == "pass"


def test_failure_retry_is_not_exercised_without_a_failure():
    j = rendering()
    j.wait(10).poll(status="completed")
    assert verdict("render-failure-retry", j.entries).status == "not_exercised"


# --------------------------------------------------------------------------- unique ids


def test_render_ids_pass_when_all_new():
    j = rendering("render_1")
    j.render("render_2")
    assert verdict("duplicate-render-id", j.entries).status == "pass"


def test_render_ids_fail_on_reuse():
    j = rendering("render_1")
    first = j.entries[-1]
    again = j.render("render_1", error=409)
    (v,) = verdict("duplicate-render-id", j.entries).violations
    assert v.evidence == (first.seq, again.seq)
    assert "render id 'render_1' was sent again (first used by request 4)" in v.message


def test_render_ids_allow_one_retry_after_a_409():
    j = JournalBuilder()
    j.token()
    j.session()
    j.render("render_1", error=409)
    j.render("render_2")
    assert verdict("duplicate-render-id", j.entries).status == "pass"


def test_render_ids_fail_on_a_409_loop():
    j = JournalBuilder()
    j.token()
    j.session()
    calls = [j.render(f"render_{n}", error=409) for n in range(3)]
    (v,) = verdict("duplicate-render-id", j.entries).violations
    assert v.evidence == tuple(c.seq for c in calls)
    assert "answered 409 (duplicate id) was retried 2 times" in v.message


def test_render_ids_are_not_exercised_without_renders():
    j = JournalBuilder()
    j.token()
    assert verdict("duplicate-render-id", j.entries).status == "not_exercised"


def test_render_ids_allow_repeating_a_refused_start_with_its_id():
    j = JournalBuilder()
    j.token()
    j.session()
    j.render("render_1", error=429)
    j.wait(30).render("render_1", error=1001)
    j.token()
    j.render("render_1", outcome="dropped")
    j.render("render_1")
    assert verdict("duplicate-render-id", j.entries).status == "pass"


def test_render_ids_fail_on_reuse_after_an_accepted_start_even_when_refused_first():
    j = JournalBuilder()
    j.token()
    j.session()
    j.render("render_1", error=429)
    accepted = j.wait(30).render("render_1")
    again = j.render("render_1", error=409)
    (v,) = verdict("duplicate-render-id", j.entries).violations
    assert v.evidence == (accepted.seq, again.seq)
