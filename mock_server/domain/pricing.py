"""What an agent turn costs (§4.6: generation about 100 per clip, editing about 50 per
session, export free). The mock's exact rule:

- each generation step (a montage of uploads, a text-to-video clip, a script video): 100;
- edits: 50 for the first turn with edits in a session, then free in that session; a
  session that paid for a generation has paid its editing too;
- post-production that a generation does on its own (music, title) is part of it: free;
- text replies and clarifying questions: free.
"""

from __future__ import annotations

GENERATION_COST = 100
EDIT_SESSION_COST = 50


def turn_cost(*, generations: int, edits: int, edits_paid: bool) -> int:
    cost = GENERATION_COST * generations
    if edits and not generations and not edits_paid:
        cost += EDIT_SESSION_COST
    return cost
