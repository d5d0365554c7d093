"""The domain owns a turn's money: numbering, pricing, freezing, settling and refunding."""

import pytest

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.errors import InsufficientCredits, SessionNotFound
from nemo_mock.mock_server.domain.pricing import TurnWork, price_turn

GENERATION = TurnWork(generations=1, intent="generate")
EDIT = TurnWork(edits=1, intent="add_title")
TEXT = TurnWork(intent="chat")


@pytest.fixture
def user(backend: NemoBackend):
    token, _ = backend.issue_anonymous_token("client", "127.0.0.1")
    return token, backend.create_session(token, "me", "p", "en")


@pytest.mark.parametrize(
    ("work", "edits_paid", "cost", "pays_editing"),
    [
        (GENERATION, False, 100, True),
        (GENERATION, True, 100, False),
        (TurnWork(generations=2), False, 200, True),
        (EDIT, False, 50, True),
        (EDIT, True, 0, False),
        (TEXT, False, 0, False),
    ],
)
def test_a_turn_is_priced_by_its_work_and_the_sessions_editing(
    work, edits_paid, cost, pays_editing
):
    price = price_turn(work, edits_paid=edits_paid)
    assert (price.cost, price.pays_editing) == (cost, pays_editing)


def test_the_ledger_reason_names_the_work():
    assert GENERATION.reason == "a video generation"
    assert EDIT.reason == "editing (add_title)"


def test_turns_are_numbered_per_session_even_when_refused(backend: NemoBackend, user):
    token, session = user
    backend.ledger.set_available(token.user_id, 0)
    assert backend.next_turn(token, "me", session.session_id)[1] == 1
    _, number = backend.next_turn(token, "me", session.session_id)
    with pytest.raises(InsufficientCredits):
        backend.open_turn(token, session, GENERATION)
    assert number == 2 and backend.next_turn(token, "me", session.session_id)[1] == 3


def test_a_foreign_session_has_no_turn(backend: NemoBackend, user):
    _, session = user
    other, _ = backend.issue_anonymous_token("other", "127.0.0.1")
    with pytest.raises(SessionNotFound):
        backend.next_turn(other, "me", session.session_id)
    assert session.turns == 0


def test_an_opened_turn_freezes_its_cost_and_settling_spends_it(backend: NemoBackend, user):
    token, session = user
    charge = backend.open_turn(token, session, GENERATION)
    assert backend.credit_balance(token).frozen == 100
    assert session.edits_paid  # a generation pays the session's editing
    backend.settle_turn(session, charge, 1, "make a video", ("generate",))
    balance = backend.credit_balance(token)
    assert (balance.available, balance.frozen, balance.total) == (0, 0, 0)


def test_a_refunded_turn_gives_back_its_credits_and_unpays_the_editing(backend: NemoBackend, user):
    token, session = user
    charge = backend.open_turn(token, session, EDIT)
    assert session.edits_paid and backend.credit_balance(token).available == 50
    backend.refund_turn(session, charge)
    assert not session.edits_paid
    assert backend.credit_balance(token).available == 100
    again = backend.open_turn(token, session, EDIT)
    assert again.pays_editing and backend.credit_balance(token).frozen == 50


def test_refunding_a_free_turn_leaves_a_paid_editing_paid(backend: NemoBackend, user):
    token, session = user
    backend.settle_turn(session, backend.open_turn(token, session, EDIT), 1, "a title", ())
    free = backend.open_turn(token, session, EDIT)
    assert free.hold is None and not free.pays_editing
    backend.refund_turn(session, free)
    assert session.edits_paid and backend.credit_balance(token).available == 50
