"""The universal properties, each on hand-made journals: one that holds, one that breaks."""

from __future__ import annotations

from nemo_mock.client_tests.explore.excuses import give_up_excuse
from nemo_mock.client_tests.explore.properties import (
    MAX_REQUESTS,
    MAX_SAME_FAILURES,
    PROPERTIES,
    RunFacts,
    check_properties,
)
from nemo_mock.client_tests.harness.outcome import Mp4Facts
from nemo_mock.mock_server.domain.secrets import fingerprint
from tests.rules.factory import JournalBuilder, generation_events

MP4 = Mp4Facts("h264", 2.0)
PROMPT = "turn my photos into a 2-second 480p video slideshow with transitions and music"
GENERATION = {"turn": 1, "kind": "generation", "busy_with": None}


def facts(exit_code=0, mp4=MP4, log="", wanted=2.0, time_scale=0.02):
    return RunFacts(exit_code, 12.0, 60.0, log, mp4, wanted, time_scale)


def verdict(prop, entries, run):
    return check_properties(entries, run)[prop]


def happy() -> JournalBuilder:
    j = JournalBuilder()
    j.token()
    j.session()
    j.upload()
    j.state()
    j.run_sse(PROMPT, events=generation_events(), notes=GENERATION)
    j.state()
    j.render("render_1")
    j.wait(10).poll("render_1", "completed")
    return j


def test_every_property_holds_on_a_happy_run():
    results = check_properties(happy().entries, facts())
    assert list(results) == [p.id for p in PROPERTIES]
    assert all(r.status == "pass" for r in results.values()), results


# ------------------------------------------------------------------ ends-within-budget


def test_a_client_killed_at_the_time_out_did_not_end_within_its_budget():
    result = verdict("ends-within-budget", happy().entries, facts(exit_code=None, mp4=None))
    assert result.status == "fail"
    assert "still running after 60 s" in result.violations[0].message


# ------------------------------------------------------------------ valid-outcome


def test_an_mp4_of_the_wrong_length_or_codec_is_not_the_asked_video():
    j = happy()
    wrong = verdict("valid-outcome", j.entries, facts(mp4=Mp4Facts("h264", 5.0)))
    assert (
        wrong.status == "fail"
        and "lasts 5.00 s; the task asks for 2 s" in wrong.violations[0].message
    )
    hevc = verdict("valid-outcome", j.entries, facts(mp4=Mp4Facts("hevc", 2.0)))
    assert hevc.status == "fail" and "hevc" in hevc.violations[0].message


def test_exit_zero_without_an_mp4_and_an_mp4_with_a_failing_exit_both_fail():
    j = happy()
    assert verdict("valid-outcome", j.entries, facts(mp4=None)).status == "fail"
    mixed = verdict("valid-outcome", j.entries, facts(exit_code=1))
    assert mixed.status == "fail" and "wrote an MP4 but exited 1" in mixed.violations[0].message


def test_stopping_on_a_documented_refusal_the_mock_answered_is_valid():
    j = JournalBuilder()
    j.token()
    j.session()
    j.run_sse(PROMPT, error=2001, events=None)
    result = verdict("valid-outcome", j.entries, facts(exit_code=2, mp4=None))
    assert result.status == "pass" and result.note == "stopped on 2001 (exit 2)"


def test_giving_up_after_a_fault_with_a_documented_recovery_fails():
    j = JournalBuilder()
    j.token()
    j.session()
    j.state(error=1001, fault={"expire_token": True})
    result = verdict("valid-outcome", j.entries, facts(exit_code=1, mp4=None))
    assert result.status == "fail"
    assert "the last fault has a documented recovery" in result.violations[0].message
    assert result.violations[0].evidence == (3,)


def test_giving_up_without_any_fault_or_refusal_fails():
    result = verdict("valid-outcome", happy().entries, facts(exit_code=3, mp4=None))
    assert result.status == "fail" and "no fault fired" in result.violations[0].message


def test_giving_up_after_a_fault_with_no_documented_recovery_is_valid():
    for fault, answer in (
        ({"error": 503}, {"error": 503}),
        ({"drop": True}, {"status": 200, "outcome": "dropped"}),
    ):
        j = JournalBuilder()
        j.token()
        j.session()
        j.upload(fault=fault, **answer)
        result = verdict("valid-outcome", j.entries, facts(exit_code=1, mp4=None))
        assert result.status == "pass", (fault, result)
        assert result.note.startswith("gave up (exit 1)")


def test_giving_up_on_a_stuck_or_too_slow_render_is_valid_a_short_slow_one_is_not():
    def with_render(fault):
        j = happy()
        j.render("render_2", fault=fault)
        return j.entries

    stuck = give_up_excuse(with_render({"render_pending": True}))
    assert stuck is not None and "never finishes" in stuck.reason
    too_slow = give_up_excuse(with_render({"render_slow": 90.0}), time_scale=0.02)  # > 6 s
    assert too_slow is not None and "outlasts the documented polls" in too_slow.reason
    assert give_up_excuse(with_render({"render_slow": 3.0}), time_scale=0.02) is None


def test_giving_up_when_the_documented_retry_meets_the_fault_again_is_valid():
    j = JournalBuilder()
    j.token()
    j.session()
    j.state(error=429, fault={"error": 429, "retry_after": 2})
    j.wait(1).state(error=429, fault={"error": 429, "retry_after": 2})
    excuse = give_up_excuse(j.entries)
    assert excuse is not None and "met a fault again" in excuse.reason
    assert excuse.evidence == (3, 4)


def test_a_second_lost_session_and_a_second_refused_client_id_excuse_giving_up():
    j = JournalBuilder()
    j.token()
    j.session()
    j.state(error=1002, fault={"error": 1002})
    j.session()
    j.state(error=1002, fault={"error": 1002})
    assert "second session" in give_up_excuse(j.entries).reason
    k = JournalBuilder()
    k.token(error=400, fault={"error": 400})
    k.token()
    k.session()
    k.state(error=1001, fault={"expire_token": True})
    k.token(error=400, fault={"error": 400})
    assert "a second time" in give_up_excuse(k.entries).reason


def test_the_last_fault_decides_not_an_earlier_one():
    j = JournalBuilder()
    j.token()
    j.session(error=500, fault={"error": 500})
    j.session()
    j.state(error=1001, fault={"expire_token": True})  # recoverable: the client stopped here
    assert give_up_excuse(j.entries) is None


# ------------------------------------------------------------------ charged-once


def test_the_same_generation_accepted_twice_is_charged_twice():
    j = happy()
    again = j.run_sse(PROMPT, events=generation_events(), notes={**GENERATION, "turn": 2})
    result = verdict("charged-once", j.entries, facts())
    assert result.status == "fail"
    assert result.violations[0].evidence == (5, again.seq)


def test_a_refused_resend_or_another_message_is_not_a_second_charge():
    j = happy()
    j.run_sse(PROMPT, error=2001, events=None)
    j.run_sse(
        "make me a 10-second sunset timelapse video",
        events=generation_events(),
        notes={**GENERATION, "turn": 2},
    )
    assert verdict("charged-once", j.entries, facts()).status == "pass"


def test_starting_over_in_a_new_session_after_1002_is_not_a_second_charge():
    j = happy()
    lost = j.session_id
    j.state(error=1002, fault={"error": 1002}, session=lost)
    j.session()
    j.upload()
    j.run_sse(PROMPT, events=generation_events(), notes=GENERATION)
    assert verdict("charged-once", j.entries, facts()).status == "pass"


def test_no_generation_means_charged_once_was_not_exercised():
    j = JournalBuilder()
    j.token()
    assert verdict("charged-once", j.entries, facts()).status == "not_exercised"


# ------------------------------------------------------------------ no-token-leak


def test_a_token_in_a_url_leaks():
    j = happy()
    j.state(secrets_in_url=(j.token_fp,), query=f"token=<{j.token_fp}>")
    result = verdict("no-token-leak", j.entries, facts())
    assert (
        result.status == "fail" and "in the URL of getSessionState" in result.violations[0].message
    )


def test_the_gateway_chat_sockets_url_token_is_the_vendors_design_not_a_leak():
    """The vendor CLI opens ``/ws/chat?token=…`` (no Authorization header on the upgrade):
    as ``no-token-in-url`` does, the property lets that one URL carry the token."""
    j = happy()
    j.call(
        "gateway.chatSocket",
        "GET",
        "/ws/chat",
        secrets_in_url=(j.token_fp,),
        query=f"token=<{j.token_fp}>",
    )
    assert verdict("no-token-leak", j.entries, facts()).status == "pass"
    j.state(secrets_in_url=(j.token_fp,), query=f"token=<{j.token_fp}>")
    assert verdict("no-token-leak", j.entries, facts()).status == "fail"


def test_printing_the_runs_token_leaks_a_truncated_one_in_an_error_message_does_not():
    raw = "nmv_usr_9f8e7d6c5b4a39281706"
    j = JournalBuilder()
    j.call("getCreditBalance", "GET", "/api/credits/balance/simple", token=fingerprint(raw))
    printed = verdict("no-token-leak", j.entries, facts(log=f"[client] using {raw}\n"))
    assert printed.status == "fail"
    assert printed.violations[0].message == "the client printed its access token (log line 1)"
    quoted = "[client] error: unknown token nmv_usr_9f8e…: request a new anonymous token\n"
    assert verdict("no-token-leak", j.entries, facts(log=quoted)).status == "pass"


def test_a_claim_token_may_be_shown_in_its_claim_link_only():
    claim = "clm_4b3a29181706f5e4d3c2"
    j = happy()
    j.claim(claim_fp=fingerprint(claim))
    link = f"open https://nemovideo.com/workspace/claim?ct={claim} to edit it\n"
    assert verdict("no-token-leak", j.entries, facts(log=link)).status == "pass"
    bare = verdict("no-token-leak", j.entries, facts(log=f"claim token: {claim}\n"))
    assert bare.status == "fail" and "a claim token" in bare.violations[0].message


# ------------------------------------------------------------------ no-endless-retry


def test_the_same_failing_call_repeated_too_often_is_an_endless_retry():
    j = JournalBuilder()
    j.token()
    j.session()
    for _ in range(MAX_SAME_FAILURES):
        j.wait(1).state(error=503)
    assert verdict("no-endless-retry", j.entries, facts()).status == "pass"
    j.wait(1).state(error=503)
    result = verdict("no-endless-retry", j.entries, facts())
    assert result.status == "fail"
    assert f"answered error 503 {MAX_SAME_FAILURES + 1} times" in result.violations[0].message
    assert len(result.violations[0].evidence) == MAX_SAME_FAILURES + 1


def test_too_many_requests_for_one_task_is_an_endless_retry():
    j = happy()
    for _ in range(MAX_REQUESTS):
        j.poll("render_1", "processing")
    result = verdict("no-endless-retry", j.entries, facts())
    assert result.status == "fail" and "requests for one task" in result.violations[0].message
