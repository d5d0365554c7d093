"""The credit history: grants and paid conversations, paged newest first."""

from datetime import date, timedelta

import pytest

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.errors import BadRequest
from nemo_mock.mock_server.domain.tokens import Scope
from nemo_mock.mock_server.domain.usage import UsageKind


def test_a_new_account_starts_with_a_welcome_grant(backend: NemoBackend):
    token, balance = backend.issue_anonymous_token("c", "ip")
    page = backend.usage_page(token, 1, 100)
    (entry,) = page.items
    assert (entry.kind, entry.amount_delta, entry.grant_source) == (
        UsageKind.GRANT,
        balance.available,
        "welcome",
    )
    assert (page.total, page.total_pages, page.has_next) == (1, 1, False)


def test_setting_a_balance_records_the_difference_as_an_admin_grant(backend: NemoBackend):
    token = backend.mint_token(scopes=frozenset({Scope.ALL}), credits=250)
    newest = backend.usage_page(token, 1, 100).items[0]
    assert (newest.grant_source, newest.amount_delta) == ("admin", 150)
    backend.set_credits(token=token.token, user_id=None, available=40)
    assert backend.usage_page(token, 1, 100).items[0].amount_delta == -210


def test_a_paid_conversation_is_a_negative_delta_with_its_details(backend: NemoBackend):
    token, _ = backend.issue_anonymous_token("c", "ip")
    session = backend.create_project(token, None).latest_session
    backend.record_conversation(session, 1, 100, "a coffee ad", ("generate_video",))
    entry = backend.usage_page(token, 1, 100).items[0]
    assert (entry.kind, entry.amount_delta) == (UsageKind.CONVERSATION, -100)
    assert entry.conversation is not None
    assert entry.conversation.project_id == session.task_id
    assert entry.conversation.tool_keys == ("generate_video",)


def test_a_free_conversation_leaves_no_entry(backend: NemoBackend):
    token, _ = backend.issue_anonymous_token("c", "ip")
    session = backend.create_project(token, None).latest_session
    backend.record_conversation(session, 1, 0, "hello", ())
    assert backend.usage_page(token, 1, 100).total == 1


def test_pages_and_dates(backend: NemoBackend):
    token = backend.mint_token(scopes=frozenset({Scope.ALL}))
    for credits in (10, 20, 30):
        backend.clock.advance(86400)
        backend.set_credits(token=token.token, user_id=None, available=credits)
    page = backend.usage_page(token, 2, 2)
    assert (page.total, page.total_pages, page.has_next, len(page.items)) == (4, 2, False, 2)
    today = backend.clock.now().date()
    assert backend.usage_page(token, 1, 100, start=today).total == 1
    assert backend.usage_page(token, 1, 100, end=today - timedelta(days=3)).total == 1


def test_users_never_see_each_others_history(backend: NemoBackend):
    mine, _ = backend.issue_anonymous_token("a", "ip")
    theirs, _ = backend.issue_anonymous_token("b", "ip")
    assert {e.user_id for e in backend.usage_page(mine, 1, 100).items} == {mine.user_id}
    assert backend.usage_page(theirs, 1, 100).total == 1


@pytest.mark.parametrize(("page_no", "page_size"), [(0, 10), (1, 0), (1, 101)])
def test_bad_paging_is_refused_naming_the_limits(backend: NemoBackend, page_no, page_size):
    token, _ = backend.issue_anonymous_token("c", "ip")
    with pytest.raises(BadRequest, match="page_size 1 to 100"):
        backend.usage_page(token, page_no, page_size)


def test_dates_the_wrong_way_round_are_refused(backend: NemoBackend):
    token, _ = backend.issue_anonymous_token("c", "ip")
    with pytest.raises(BadRequest, match="after end_date"):
        backend.usage_page(token, 1, 10, date(2026, 2, 1), date(2026, 1, 1))
