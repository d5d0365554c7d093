import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule

from nemo_mock.mock_server.domain.credits import CreditLedger
from nemo_mock.mock_server.domain.errors import BadRequest, InsufficientCredits, NotFound


@pytest.fixture
def ledger() -> CreditLedger:
    ledger = CreditLedger()
    ledger.open_account("u", 100)
    return ledger


def test_freeze_moves_available_to_frozen(ledger: CreditLedger):
    ledger.freeze("u", 30, "edit")
    b = ledger.balance("u")
    assert (b.available, b.frozen, b.total) == (70, 30, 100)


def test_settle_spends_the_hold(ledger: CreditLedger):
    hold = ledger.freeze("u", 30, "edit")
    assert ledger.settle(hold.hold_id) == 30
    assert ledger.balance("u").to_json() == {"available": 70, "frozen": 0, "total": 70}


def test_partial_settle_returns_the_rest(ledger: CreditLedger):
    hold = ledger.freeze("u", 50, "edit")
    assert ledger.settle(hold.hold_id, spent=20) == 20
    assert ledger.balance("u").available == 80


def test_release_returns_everything(ledger: CreditLedger):
    hold = ledger.freeze("u", 50, "edit")
    assert ledger.release(hold.hold_id) == 50
    assert ledger.balance("u").to_json() == {"available": 100, "frozen": 0, "total": 100}


def test_freeze_beyond_available_is_refused_with_figures(ledger: CreditLedger):
    ledger.freeze("u", 80, "a")
    with pytest.raises(InsufficientCredits, match="30 needed, 20 available") as caught:
        ledger.freeze("u", 30, "generation")
    assert caught.value.code == 2001
    assert caught.value.data == {"user_id": "u", "needed": 30, "available": 20}
    assert ledger.balance("u").available == 20  # nothing changed


def test_a_hold_closes_once(ledger: CreditLedger):
    hold = ledger.freeze("u", 10, "a")
    ledger.release(hold.hold_id)
    with pytest.raises(NotFound, match="already settled or released"):
        ledger.settle(hold.hold_id)


def test_negative_amounts_are_refused(ledger: CreditLedger):
    with pytest.raises(BadRequest, match="amount must be >= 0"):
        ledger.freeze("u", -1, "a")
    with pytest.raises(BadRequest, match="available must be >= 0"):
        ledger.set_available("u", -5)


def test_unknown_account(ledger: CreditLedger):
    with pytest.raises(NotFound, match="no credit account for user nobody"):
        ledger.balance("nobody")


def test_open_account_keeps_an_existing_balance(ledger: CreditLedger):
    ledger.freeze("u", 10, "a")
    assert ledger.open_account("u", 100).available == 90


class LedgerMachine(RuleBasedStateMachine):
    """Random freeze/settle/release/set sequences keep every invariant."""

    holds = Bundle("holds")

    def __init__(self) -> None:
        super().__init__()
        self.ledger = CreditLedger()
        self.users = ["a", "b"]
        for user in self.users:
            self.ledger.open_account(user, 100)
        self.spent = dict.fromkeys(self.users, 0)
        self.granted = dict.fromkeys(self.users, 100)
        self.open: dict[str, int] = {}

    @rule(target=holds, user=st.sampled_from(["a", "b"]), amount=st.integers(0, 150))
    def freeze(self, user, amount):
        before = self.ledger.balance(user)
        try:
            hold = self.ledger.freeze(user, amount, "op")
        except InsufficientCredits:
            assert amount > before.available
            assert self.ledger.balance(user) == before
            return None
        self.open[hold.hold_id] = amount
        return hold

    @rule(hold=consumes(holds), spent=st.one_of(st.none(), st.integers(-10, 200)))
    def settle(self, hold, spent):
        if hold is None:
            return
        charged = self.ledger.settle(hold.hold_id, spent)
        assert 0 <= charged <= hold.amount
        self.spent[hold.user_id] += charged
        del self.open[hold.hold_id]

    @rule(hold=consumes(holds))
    def release(self, hold):
        if hold is None:
            return
        assert self.ledger.release(hold.hold_id) == hold.amount
        del self.open[hold.hold_id]

    @rule(user=st.sampled_from(["a", "b"]), available=st.integers(0, 300))
    def set_available(self, user, available):
        before = self.ledger.balance(user)
        self.ledger.set_available(user, available)
        self.granted[user] += available - before.available

    @invariant()
    def balances_add_up(self):
        for user in self.users:
            b = self.ledger.balance(user)
            assert b.available >= 0 and b.frozen >= 0
            assert b.total == b.available + b.frozen
            assert b.frozen == sum(h.amount for h in self.ledger.open_holds(user))
            assert b.total == self.granted[user] - self.spent[user]


TestLedgerMachine = LedgerMachine.TestCase
TestLedgerMachine.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
