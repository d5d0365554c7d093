"""The gateway's client rules (§6): handshake retries, pings, render poll backoff, usage
paging, on hand-made journals of gateway entries."""

from __future__ import annotations

import json
from typing import Any

from nemo_mock.contracts.rules import RuleContext, judge
from nemo_mock.contracts.rules.gateway_rest import check_render_poll_backoff, check_usage_paging
from nemo_mock.contracts.rules.gateway_socket import check_handshake_retry, check_pings
from nemo_mock.contracts.rules.identity import check_attribution_headers
from nemo_mock.mock_server.journal.entry import JournalEntry, Message

CTX = RuleContext()  # time scale 1: the vendor CLI's own waits


def _entry(seq: int, at_s: float, operation: str, path: str, **fields: Any) -> JournalEntry:
    doc: dict[str, Any] = {
        "seq": seq, "at": "2026-01-01T00:00:00Z", "at_ms": int(at_s * 1000),
        "duration_ms": fields.pop("duration_ms", 5.0), "method": "GET", "path": path,
        "operation": f"gateway.{operation}", "session_id": "s1", "status": 200, **fields,
    }  # fmt: skip
    return JournalEntry.model_validate(doc)


def _handshake(seq: int, at_s: float, status: int, reason: str = "") -> JournalEntry:
    response = {"body": {"code": status, "message": reason, "reason": reason}}
    return _entry(seq, at_s, "chatSocket", "/ws/chat", status=status, response=response)


def _socket(seq: int, at_s: float, seconds: float, pings_at: list[float]) -> JournalEntry:
    frames = [{"at_ms": t * 1000, "data": json.dumps({"type": "ping"})} for t in pings_at]
    notes = {"close_code": 1000, "client_frames": frames}
    return _entry(seq, at_s, "chatSocket", "/ws/chat", status=101, duration_ms=seconds * 1000,
                  notes=notes)  # fmt: skip


def _poll(seq: int, at_s: float, rid: str = "r1") -> JournalEntry:
    path = f"/services/v1/render-proxy/lambda/{rid}"
    return _entry(seq, at_s, "getLambdaRender", path, response={"body": {"code": 0}})


def _usage(seq: int, at_s: float, page: int, size: int, pages: int) -> JournalEntry:
    data = {"items": [], "page_no": page, "total_pages": pages, "has_next": page < pages}
    return _entry(seq, at_s, "listUsageConversations", "/billing/usage/conversations",
                  query=f"page_no={page}&page_size={size}",
                  response={"body": {"code": 0, "data": data}})  # fmt: skip


# --------------------------------------------------------------------------- handshakes


def test_retries_after_two_then_three_seconds_pass():
    series = [_handshake(1, 0, 503), _handshake(2, 2.1, 503), _handshake(3, 5.2, 101)]
    assert check_handshake_retry(series, CTX).status == "pass"


def test_a_retry_at_once_fails_and_says_how_long_to_wait():
    result = check_handshake_retry([_handshake(1, 0, 502), _handshake(2, 0.3, 101)], CTX)
    assert result.status == "fail"
    assert "retried 0.29 s after it failed; wait at least 2 s" in result.violations[0].message
    assert result.violations[0].evidence == (1, 2)


def test_shrinking_waits_fail():
    series = [_handshake(1, 0, 503), _handshake(2, 5, 503), _handshake(3, 7.1, 101)]
    result = check_handshake_retry(series, CTX)
    assert result.status == "fail" and "shrank" in result.violations[0].message


def test_an_eleventh_retry_in_a_row_fails():
    series = [_handshake(i + 1, i * 5.0, 504) for i in range(12)]
    result = check_handshake_retry(series, CTX)
    assert result.status == "fail"
    assert "more than 10 times in a row" in result.violations[0].message


def test_a_revoked_token_is_not_retried():
    series = [_handshake(1, 0, 403, "token has been revoked"), _handshake(2, 3, 403)]
    result = check_handshake_retry(series, CTX)
    assert result.status == "fail" and "auth failure is final" in result.violations[0].message
    alone = check_handshake_retry([_handshake(1, 0, 403, "Token has been revoked")], CTX)
    assert alone.status == "pass"


def test_a_403_without_an_auth_reason_is_retried_like_a_503():
    series = [_handshake(1, 0, 403, "sandbox busy"), _handshake(2, 2.5, 101)]
    assert check_handshake_retry(series, CTX).status == "pass"


def test_no_refused_handshake_leaves_the_rule_not_exercised():
    assert check_handshake_retry([_handshake(1, 0, 101)], CTX).status == "not_exercised"


# --------------------------------------------------------------------------- pings


def test_a_long_socket_pinged_every_30_seconds_passes():
    assert check_pings([_socket(1, 0, 95, [30, 60, 90])], CTX).status == "pass"


def test_a_long_socket_without_pings_fails():
    result = check_pings([_socket(1, 0, 95, [30])], CTX)
    assert result.status == "fail"
    assert "no ping for 65.0 s (from 30.0 s)" in result.violations[0].message


def test_short_sockets_leave_pings_not_exercised():
    assert check_pings([_socket(1, 0, 20, [])], CTX).status == "not_exercised"


def test_pings_are_judged_at_the_client_time_scale():
    scaled = RuleContext(time_scale=0.1)
    assert check_pings([_socket(1, 0, 9.5, [3, 6, 9])], scaled).status == "pass"
    assert check_pings([_socket(1, 0, 9.5, [])], scaled).status == "fail"


# --------------------------------------------------------------------------- render polls


def test_the_clis_backoff_passes():
    at = [0, 2, 5, 9.5, 16.25, 26.4, 41.4, 56.4]
    polls = [_poll(i + 1, t) for i, t in enumerate(at)]
    assert check_render_poll_backoff(polls, CTX).status == "pass"


def test_polls_every_half_second_fail():
    polls = [_poll(i + 1, i * 0.5) for i in range(4)]
    result = check_render_poll_backoff(polls, CTX)
    assert result.status == "fail" and "wait at least 2 s" in result.violations[0].message


def test_polls_that_speed_up_fail():
    polls = [_poll(1, 0), _poll(2, 6), _poll(3, 8.5)]
    result = check_render_poll_backoff(polls, CTX)
    assert result.status == "fail" and "shrank" in result.violations[0].message


def test_polling_past_five_minutes_fails():
    polls = [_poll(1, 0), *[_poll(i + 2, 2 + 15.0 * i) for i in range(25)]]
    result = check_render_poll_backoff(polls, CTX)
    assert result.status == "fail" and "give up after 300 s" in result.violations[-1].message


# --------------------------------------------------------------------------- usage paging


def test_reading_each_page_once_to_the_last_passes():
    reads = [_usage(1, 0, 1, 2, 3), _usage(2, 1, 2, 2, 3), _usage(3, 2, 3, 2, 3)]
    assert check_usage_paging(reads, CTX).status == "pass"


def test_reading_past_the_last_page_fails():
    reads = [_usage(1, 0, 1, 2, 2), _usage(2, 1, 2, 2, 2), _usage(3, 2, 3, 2, 2)]
    result = check_usage_paging(reads, CTX)
    assert result.status == "fail" and "there are 2 page(s)" in result.violations[0].message


def test_reading_a_page_twice_in_a_row_fails():
    reads = [_usage(1, 0, 1, 2, 3), _usage(2, 1, 1, 2, 3)]
    result = check_usage_paging(reads, CTX)
    assert result.status == "fail" and "read twice in a row" in result.violations[0].message


def test_a_page_size_over_100_fails():
    result = check_usage_paging([_usage(1, 0, 1, 500, 2)], CTX)
    assert result.status == "fail" and "page_size=500" in result.violations[0].message


def test_one_page_answers_leave_paging_not_exercised():
    assert check_usage_paging([_usage(1, 0, 1, 100, 1)], CTX).status == "not_exercised"


def test_a_skill_journal_leaves_every_gateway_rule_not_exercised():
    verdicts = judge([], CTX)
    for rule in ("gateway-handshake-retry", "gateway-pings", "gateway-render-poll-backoff",
                 "gateway-usage-paging"):  # fmt: skip
        assert verdicts[rule].status == "not_exercised"


def test_the_chat_socket_needs_no_platform_header_but_rest_calls_do():
    cli = {"x-skill-source": "nemovideo-tools", "x-skill-version": "0.0.0"}
    socket = _handshake(1, 0, 101).model_copy(update={"request": Message(headers=cli)})
    assert check_attribution_headers([socket], CTX).status == "pass"
    rest = _usage(2, 1, 1, 2, 1).model_copy(update={"request": Message(headers=cli)})
    result = check_attribution_headers([socket, rest], CTX)
    assert result.status == "fail" and result.violations[0].evidence == (2,)
