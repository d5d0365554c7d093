"""The credits ledger: available, frozen and total per user.

An operation in progress *freezes* credits (a hold); when it finishes the hold
is *settled* (spent, possibly partly, the rest returned) or *released* (all
returned). At every instant ``total == available + frozen`` and no figure is
negative; ``frozen`` is always the sum of the user's open holds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from nemo_mock.mock_server.domain.changes import ChangeLog, Table
from nemo_mock.mock_server.domain.errors import BadRequest, InsufficientCredits, NotFound


@dataclass(frozen=True)
class Balance:
    available: int
    frozen: int

    @property
    def total(self) -> int:
        return self.available + self.frozen

    def to_json(self) -> dict[str, int]:
        return {"available": self.available, "frozen": self.frozen, "total": self.total}


@dataclass(frozen=True)
class Hold:
    hold_id: str
    user_id: str
    amount: int
    reason: str


@dataclass(frozen=True)
class AccountRecord:
    """One account as it can be kept and restored (``CreditLedger.records``/``restore``)."""

    user_id: str
    available: int
    granted: int
    consumed: int
    holds: tuple[Hold, ...] = ()


@dataclass
class _Account:
    available: int
    holds: dict[str, Hold] = field(default_factory=dict)
    granted: int = 0  # every credit ever given (opening balance, top-ups)
    consumed: int = 0  # every credit ever spent (settled holds)

    @property
    def frozen(self) -> int:
        return sum(h.amount for h in self.holds.values())


class CreditLedger:
    def __init__(self) -> None:
        #: A table of the store once ``track`` is called: each account changed is marked.
        self._accounts: Table[str, _Account] = Table(ChangeLog(), "accounts")
        self._holds: dict[str, str] = {}  # hold id -> user id
        self._serial = 0
        self._lock = threading.RLock()

    def track(self, accounts: Table[str, _Account]) -> None:
        """Keep the accounts in ``accounts`` (a store's table) from now on."""
        with self._lock:
            accounts.update(self._accounts)
            self._accounts = accounts

    def open_account(self, user_id: str, initial: int) -> Balance:
        """Create the account if new (an existing one keeps its balance)."""
        _require_non_negative("initial credits", initial)
        with self._lock:
            self._accounts.setdefault(user_id, _Account(available=initial, granted=initial))
            return self.balance(user_id)

    def clear(self) -> None:
        with self._lock:
            self._accounts.clear()
            self._holds.clear()

    def balance(self, user_id: str) -> Balance:
        with self._lock:
            account = self._account(user_id)
            return Balance(available=account.available, frozen=account.frozen)

    def freeze(self, user_id: str, amount: int, reason: str) -> Hold:
        _require_non_negative("amount", amount)
        with self._lock:
            account = self._account(user_id)
            if amount > account.available:
                raise InsufficientCredits(
                    f"not enough credits for {reason}: {amount} needed, "
                    f"{account.available} available",
                    data={"user_id": user_id, "needed": amount, "available": account.available},
                )
            self._serial += 1
            hold = Hold(
                hold_id=f"hold_{self._serial}", user_id=user_id, amount=amount, reason=reason
            )
            account.available -= amount
            account.holds[hold.hold_id] = hold
            self._holds[hold.hold_id] = user_id
            self._accounts.touch(user_id)
            return hold

    def settle(self, hold_id: str, spent: int | None = None) -> int:
        """Spend ``spent`` of the hold (all of it by default), return the rest; the amount spent."""
        with self._lock:
            hold = self._pop_hold(hold_id)
            charge = hold.amount if spent is None else min(max(spent, 0), hold.amount)
            self._accounts[hold.user_id].available += hold.amount - charge
            self._accounts[hold.user_id].consumed += charge
            self._accounts.touch(hold.user_id)
            return charge

    def release(self, hold_id: str) -> int:
        """Return the whole hold to available; the amount returned."""
        with self._lock:
            hold = self._pop_hold(hold_id)
            self._accounts[hold.user_id].available += hold.amount
            self._accounts.touch(hold.user_id)
            return hold.amount

    def set_available(self, user_id: str, available: int) -> Balance:
        _require_non_negative("available", available)
        with self._lock:
            account = self._account(user_id)
            account.granted += available - account.available
            account.available = available
            self._accounts.touch(user_id)
            return self.balance(user_id)

    def history(self, user_id: str) -> tuple[int, int]:
        """Credits granted and consumed over the account's life."""
        with self._lock:
            account = self._account(user_id)
            return account.granted, account.consumed

    def open_holds(self, user_id: str) -> list[Hold]:
        with self._lock:
            return list(self._account(user_id).holds.values())

    # -- keeping and restoring ------------------------------------------------------------
    @property
    def serial(self) -> int:
        """How many holds were ever opened (hold ids are ``hold_<serial>``, never reused)."""
        return self._serial

    def record(self, user_id: str) -> AccountRecord | None:
        with self._lock:
            account = self._accounts.get(user_id)
            if account is None:
                return None
            return AccountRecord(
                user_id,
                account.available,
                account.granted,
                account.consumed,
                tuple(account.holds.values()),
            )

    def records(self) -> list[AccountRecord]:
        with self._lock:
            users = list(self._accounts)
        return [r for r in map(self.record, users) if r is not None]

    def restore(self, records: list[AccountRecord], serial: int) -> None:
        """Replace every account with ``records``; hold ids continue after ``serial``."""
        with self._lock:
            self.clear()
            for r in records:
                holds = {h.hold_id: h for h in r.holds}
                self._accounts[r.user_id] = _Account(r.available, holds, r.granted, r.consumed)
                self._holds.update(dict.fromkeys(holds, r.user_id))
            self._serial = max(serial, self._serial)

    def continue_after(self, serial: int) -> None:
        with self._lock:
            self._serial = max(serial, self._serial)

    def forget(self, user_id: str) -> None:
        with self._lock:
            account = self._accounts.pop(user_id, None)
            for hold_id in account.holds if account else ():
                self._holds.pop(hold_id, None)

    def _account(self, user_id: str) -> _Account:
        try:
            return self._accounts[user_id]
        except KeyError:
            raise NotFound(f"no credit account for user {user_id}") from None

    def _pop_hold(self, hold_id: str) -> Hold:
        user_id = self._holds.pop(hold_id, None)
        if user_id is None:
            raise NotFound(f"no open hold {hold_id} (already settled or released?)")
        return self._accounts[user_id].holds.pop(hold_id)


def _require_non_negative(what: str, value: int) -> None:
    if value < 0:
        raise BadRequest(f"{what} must be >= 0, got {value}")
