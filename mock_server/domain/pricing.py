"""What an agent turn costs (§4.6: generation about 100 per clip, editing about 50 per
session, export free). The mock's exact rule:

- each generation step (a montage of uploads, a text-to-video clip, a script video): 100;
- edits: 50 for the first turn with edits in a session, then free in that session; a
  session that paid for a generation has paid its editing too;
- post-production that a generation does on its own (music, title) is part of it: free;
- text replies and clarifying questions: free.

A turn that fails is refunded whole: its hold is released and, if it was the turn that
paid the session's editing, the session's editing is unpaid again.
"""

from __future__ import annotations

from dataclasses import dataclass

from nemo_mock.mock_server.domain.credits import Hold

GENERATION_COST = 100
EDIT_SESSION_COST = 50


@dataclass(frozen=True)
class TurnWork:
    """What a planned turn does, as far as money goes."""

    generations: int = 0
    edits: int = 0
    #: What the agent understood (``add_music``…), for the ledger's reason.
    intent: str = ""

    @property
    def reason(self) -> str:
        return "a video generation" if self.generations else f"editing ({self.intent})"


@dataclass(frozen=True)
class TurnPrice:
    cost: int
    #: Whether this turn pays the session's editing (later edits are then free).
    pays_editing: bool


@dataclass(frozen=True)
class TurnCharge:
    """What an opened turn froze, to settle when it is done or refund when it fails."""

    hold: Hold | None
    pays_editing: bool


def turn_cost(*, generations: int, edits: int, edits_paid: bool) -> int:
    cost = GENERATION_COST * generations
    if edits and not generations and not edits_paid:
        cost += EDIT_SESSION_COST
    return cost


def price_turn(work: TurnWork, *, edits_paid: bool) -> TurnPrice:
    cost = turn_cost(generations=work.generations, edits=work.edits, edits_paid=edits_paid)
    does_work = bool(work.edits or work.generations)
    return TurnPrice(cost, pays_editing=bool(cost) and not edits_paid and does_work)
