"""What an edit kind is: a name, how a clause asks for it, and how it changes the draft.

The kinds are listed, in order, in ``edits/registry.py``; each lives in its own module
(``edits/<name>.py``) exporting ``KIND``. ``intents.edit_ops`` runs the detectors over each
clause of a message in the registry's order, and ``plan_edits`` applies what they found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from nemo_mock.mock_server.agent.edit_types import Outcome, Work


@dataclass(frozen=True)
class EditOp:
    """One edit asked for in a clause of the message."""

    kind: str  # an EditKind's name
    clause: str  # the clause, quotes masked
    quotes: tuple[str, ...]  # quoted strings of this clause
    raw: str  # the clause with quotes restored
    intent: str = ""  # the turn intent it reports (the kind's ``intent``)


_REQUEST = re.compile(
    r"^\W*(?:please\s+)?(?:make|turn|set|play|give|add|put|apply|use|change|go|let|try)\b"
    r"|\b(?:can|could|would)\s+you\b|\bplease\b|\b(?:a\s+(?:bit|little)|slightly|much)\b"
    r"|[\u4e00-\u9fff]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Clause:
    """A clause being classified: its lowered, quote-masked text and the kinds found so far."""

    text: str
    found: tuple[str, ...] = field(default=())

    def has(self, pattern: re.Pattern[str]) -> bool:
        return pattern.search(self.text) is not None

    @property
    def has_quote(self) -> bool:
        return "\ue000" in self.text

    @property
    def asks(self) -> bool:
        """Worded as a request ("make it brighter", "can you …", "brighter please") rather
        than a statement that happens to hold a comparative ("it processes faster")."""
        return _REQUEST.search(self.text) is not None or len(self.text.split()) <= 3


@dataclass(frozen=True)
class EditKind:
    """One kind of edit.

    ``detect`` says whether a clause asks for it (given the kinds found before it in the
    registry's order). ``alone``: when detected, the clause is this edit and nothing else.
    ``on_removal``: detected even in a clause with a removal verb (others are skipped there).
    ``needs_content``: on an empty timeline the agent asks for media instead of applying it.
    ``intent``, ``examples`` and ``changes`` write the README's row.
    """

    name: str
    detect: Callable[[Clause], bool]
    apply: Callable[[EditOp, Work], Outcome]
    needs_content: bool
    intent: str
    examples: tuple[str, ...]
    changes: str
    alone: bool = False
    on_removal: bool = False


def words(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern (detectors read lowered text, but Chinese has no case)."""
    return re.compile(pattern, re.IGNORECASE)
