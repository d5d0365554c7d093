"""What becomes of work that was under way when the mock stopped (or died).

Turns, renders and MCP generations run in the mock's process; when it ends (a graceful
stop, or ``kill -9``) their work ends with it. At the next start, and after a state
document is imported, ``settle_interrupted`` makes the state say so, never leaving
anything half-way:

- every open hold is **released** (the work that froze it did not finish, so nothing is
  charged); a turn that was paying its session's editing leaves it unpaid again;
- a render that was ``pending`` or ``processing`` is **failed** with a reason saying the
  mock restarted and to submit it again (its id stays taken: ids are never reused);
- an MCP generation that was ``pending`` or ``running`` is failed the same way.

A graceful stop does the same before it closes the store, so a clean restart has nothing
to recover.
"""

from __future__ import annotations

from dataclasses import dataclass

from nemo_mock.mock_server.domain.clock import Clock
from nemo_mock.mock_server.domain.renders import RenderBook
from nemo_mock.mock_server.domain.store import Store

RENDER_INTERRUPTED = (
    "the mock stopped before this render finished (nothing was charged): "
    "submit the draft again with a new render id"
)
GENERATION_INTERRUPTED = (
    "the mock stopped before this generation finished; its credits were released: "
    "start it again with a new idempotency_key"
)


@dataclass(frozen=True)
class Interrupted:
    holds_released: int = 0
    renders_failed: int = 0
    generations_failed: int = 0


def settle_interrupted(store: Store, clock: Clock) -> Interrupted:
    """Release every open hold, fail every unfinished render and generation; what was done."""
    holds = 0
    for record in store.ledger.records():
        for hold in record.holds:
            store.ledger.release(hold.hold_id)
            holds += 1
    for hold_id, session_id in list(store.paying_turns.items()):
        session = store.sessions.get(session_id)
        if session is not None:
            session.edits_paid = False
        del store.paying_turns[hold_id]
    book = RenderBook(store.renders, clock)
    unfinished = [j for j in list(store.renders.values()) if not j.status.finished]
    for job in unfinished:
        job.cancel_requested.set()
        book.fail(job, RENDER_INTERRUPTED)
    generations = [g for g in store.mcp.generations.values() if g.status in ("pending", "running")]
    for generation in generations:
        generation.status, generation.error, generation.hold = (
            "failed",
            GENERATION_INTERRUPTED,
            None,
        )
    return Interrupted(holds, len(unfinished), len(generations))


__all__ = ["Interrupted", "settle_interrupted"]
