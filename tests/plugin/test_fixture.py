"""The pytest plugin, used as a user would: the fixtures, the marker, the strategies."""

import uuid

import httpx
import pytest
from hypothesis import given, settings

from nemo_mock.client_tests.strategies import (
    chat_messages,
    drafts,
    edit_messages,
    generation_messages,
)
from nemo_mock.mock_server.domain.drafts import parse_draft

pytestmark = pytest.mark.live
ATTRIBUTION = {"X-Skill-Source": "t", "X-Skill-Version": "1", "X-Skill-Platform": "p"}


def _photo(number):
    from datetime import UTC, datetime

    from nemo_mock.mock_server.domain.media import MediaFile

    return MediaFile(
        file_id=f"f_{number:016x}",
        filename=f"photo-{number}.png",
        file_type="image",
        cdn_url="http://mock/cdn/x",
        duration=None,
        width=640,
        height=360,
        fps=None,
        hash="0" * 64,
        size=1000,
        uploaded_at=datetime(2026, 11, 1, tzinfo=UTC),
        storage_path="/nonexistent",
    )


UPLOADS = (_photo(1), _photo(2))


def token(url: str, client_id: str = "c-1", **headers) -> httpx.Response:
    return httpx.post(
        f"{url}/api/auth/anonymous-token",
        headers={**ATTRIBUTION, "X-Client-Id": client_id, **headers},
    )


def test_the_fixture_sets_faults_and_reads_the_journal(nemo_mock):
    nemo_mock.set_fault("operation=createAnonymousToken error=429 retry_after=3")
    assert token(nemo_mock.url).status_code == 429
    assert token(nemo_mock.url).status_code == 200
    entries = nemo_mock.journal(operation="createAnonymousToken")
    assert [e.status for e in entries] == [429, 200]
    assert entries[0].fault.rule == "f1"


def test_each_test_starts_from_a_reset_mock(nemo_mock):
    assert nemo_mock.journal() == []
    assert token(nemo_mock.url).status_code == 200  # the previous test's client id is gone


@pytest.mark.nemo_scenario("out-of-credits")
def test_the_marker_loads_a_scenario(nemo_mock):
    assert token(nemo_mock.url).json()["data"]["credits"] == 0


def test_the_clock_moves(nemo_mock):
    raw = token(nemo_mock.url).json()["data"]["token"]
    nemo_mock.advance_clock(7 * 86_400)
    balance = httpx.get(
        f"{nemo_mock.url}/api/credits/balance/simple",
        headers={**ATTRIBUTION, "Authorization": f"Bearer {raw}"},
    )
    assert balance.json()["code"] == 1001


def test_assert_rules_passes_a_polite_client_and_names_what_a_rude_one_broke(nemo_mock):
    token(nemo_mock.url, str(uuid.uuid4()))
    nemo_mock.assert_rules("attribution-headers", "stable-client-id")
    httpx.post(f"{nemo_mock.url}/api/auth/anonymous-token", headers={"X-Client-Id": "rude"})
    with pytest.raises(AssertionError) as failed:
        nemo_mock.assert_rules()
    assert "attribution-headers" in str(failed.value)
    assert "journal entries [2]" in str(failed.value)


def test_assert_rules_wants_named_rules_exercised(nemo_mock):
    token(nemo_mock.url)
    with pytest.raises(AssertionError, match="rate-limit-retry: never exercised"):
        nemo_mock.assert_rules("rate-limit-retry")
    with pytest.raises(ValueError, match="unknown rule"):
        nemo_mock.assert_rules("be-nice")


def test_a_private_mock_is_a_process_of_its_own(nemo_mock, nemo_mock_private):
    assert nemo_mock_private.url != nemo_mock.url
    token(nemo_mock_private.url)
    assert nemo_mock.journal() == [] and len(nemo_mock_private.journal()) == 1


@settings(max_examples=60, deadline=None)
@given(drafts(sources=["f_0123456789abcdef", "bgm_lofi"]))
def test_drawn_drafts_are_valid_and_export_ready(draft):
    assert parse_draft(draft).export_ready


@settings(max_examples=60, deadline=None)
@given(generation_messages())
def test_drawn_generation_messages_are_acted_on_in_a_session_with_uploads(message):
    assert _plan(message, {}).steps


@settings(max_examples=60, deadline=None)
@given(edit_messages())
def test_drawn_edit_messages_are_acted_on_once_there_is_a_timeline(message):
    video = {"tt": 0, "sg": [{"s": 0, "d": 4000, "src": UPLOADS[0].file_id}]}
    plan = _plan(message, {"t": [video], "d": 4000})
    assert plan.steps and all(step.kind == "edit" for step in plan.steps)


def test_chat_messages_draw_both_kinds_in_both_languages():
    from hypothesis import find

    assert "music" in find(chat_messages(), lambda m: m.startswith("add "))
    assert "视频" in find(chat_messages(), lambda m: m.startswith("做"))


def _plan(message, draft):
    import random

    from nemo_mock.mock_server.agent import SessionView, plan_turn

    view = SessionView(
        draft=parse_draft(draft), uploads=UPLOADS, canvas=(1920, 1080), language=None, generated=()
    )
    plan = plan_turn(message, view, random.Random(0))
    assert plan.steps, f"the agent only talked about {message!r}: {plan.reply}"
    return plan
