"""heartbeat-timeout (§4.4): a heartbeats-only stream is closed by the client at 10 minutes."""

from nemo_mock.contracts.rules import RuleContext, judge
from tests.rules.factory import JournalBuilder

HEARTBEATS = {"heartbeats_only": 660}


def verdict(duration_s: float, outcome: str, *, fault=HEARTBEATS, scale: float = 1.0):
    j = JournalBuilder()
    j.token()
    j.session()
    j.run_sse("make a sunset video", events=[], fault=fault, duration_s=duration_s,
              outcome=outcome)  # fmt: skip
    return judge(j.entries, RuleContext(time_scale=scale))["heartbeat-timeout"]


def test_closing_at_ten_minutes_passes():
    assert verdict(600, "client_disconnected").status == "pass"


def test_closing_early_fails_and_says_how_long_to_wait():
    result = verdict(120, "client_disconnected")
    assert result.status == "fail"
    assert "after 120.0 s" in result.violations[0].message
    assert "wait 600 s" in result.violations[0].message


def test_holding_on_until_the_server_closes_fails():
    result = verdict(660, "completed")
    assert result.status == "fail"
    assert "until the server closed it" in result.violations[0].message


def test_a_server_close_before_ten_minutes_tells_nothing():
    assert verdict(300, "completed").status == "not_exercised"


def test_waits_are_scaled():
    assert verdict(6.0, "client_disconnected", scale=0.01).status == "pass"
    assert verdict(3.0, "client_disconnected", scale=0.01).status == "fail"
    assert verdict(6.6, "completed", scale=0.01).status == "fail"


def test_streams_without_the_fault_are_not_judged():
    assert verdict(120, "client_disconnected", fault={"silent": True}).status == "not_exercised"
