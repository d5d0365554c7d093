"""The vocabulary of the client rules: a rule, the context it is judged in, its verdict."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from nemo_mock.mock_server.domain.eras import DEFAULT_ERA, Era, era_named
from nemo_mock.mock_server.journal.entry import JournalEntry

#: ``not_applicable``: the rule does not come from the documents of the era judged.
Status = Literal["pass", "fail", "not_exercised", "not_applicable"]


@dataclass(frozen=True)
class Violation:
    """One thing a client did wrong, with the journal entries (``seq``) that prove it."""

    rule: str
    message: str
    evidence: tuple[int, ...]


@dataclass(frozen=True)
class RuleResult:
    """``pass``, ``fail`` (with violations) or ``not_exercised`` (the situation never arose)."""

    status: Status
    violations: tuple[Violation, ...] = ()

    @classmethod
    def of(cls, violations: Iterable[Violation], *, exercised: bool = True) -> RuleResult:
        """``fail`` when there are violations, else ``pass`` or ``not_exercised``."""
        found = tuple(violations)
        if found:
            return cls("fail", found)
        return cls("pass" if exercised else "not_exercised")


@dataclass(frozen=True)
class RuleContext:
    """How to judge: documented waits are multiplied by ``time_scale`` (cooperating clients
    under test scale their waits the same way) and timing comparisons forgive ``tolerance``
    (a fraction of the wait)."""

    time_scale: float = 1.0
    tolerance: float = 0.1
    #: The era the client was run in (``nemo_mock.mock_server.domain.eras``): rules read its
    #: documented values, and rules of other eras are ``not_applicable``.
    era: str = DEFAULT_ERA
    #: The client told its user the video is exported (under ``check-client``: it exited
    #: 0); ``False`` when it did not, or when nobody knows (a journal judged on its own).
    claimed_export: bool = False

    @property
    def profile(self) -> Era:
        return era_named(self.era)

    def scaled_ms(self, seconds: float) -> float:
        """A documented wait of ``seconds``, in milliseconds on the scaled clock."""
        return seconds * 1000.0 * self.time_scale

    def earliest_ms(self, seconds: float) -> float:
        """The shortest gap accepted for a documented wait of ``seconds`` (tolerance off)."""
        return self.scaled_ms(seconds) * (1.0 - self.tolerance)


Check = Callable[[Sequence[JournalEntry], RuleContext], RuleResult]
#: The surfaces a rule judges unless it says otherwise: the skill surface's rules (and the
#: vendor CLI's gateway, which shares their conditions); the MCP surface has rules of its own.
SKILL_AND_GATEWAY: frozenset[str] = frozenset({"skill", "gateway"})


def on_surfaces(
    entries: Sequence[JournalEntry], surfaces: frozenset[str] | None
) -> Sequence[JournalEntry]:
    """The entries of requests on ``surfaces`` (all of them for ``None``)."""
    if surfaces is None:
        return entries
    from nemo_mock.mock_server.edge.surfaces import surface_of

    kept = []
    for entry in entries:
        surface = surface_of(entry.path)
        if surface is not None and surface.name in surfaces:
            kept.append(entry)
    return kept


@dataclass(frozen=True)
class Rule:
    """A named, documented behaviour of a correct client, checked over the journal."""

    #: Short, stable, kebab-case.
    id: str
    title: str
    #: The section of ``nemovideo-api.md`` the rule comes from, e.g. ``"§4.4"``.
    section: str
    #: What a correct client does, and how the harness judges it.
    description: str
    check: Check
    #: The surfaces whose requests it judges (``None``: every surface).
    surfaces: frozenset[str] | None = SKILL_AND_GATEWAY
    #: The eras whose documents ask for this behaviour; ``None``: every era.
    eras: frozenset[str] | None = None

    def applies_to(self, era: str) -> bool:
        return self.eras is None or era in self.eras

    def __call__(self, entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
        return self.check(on_surfaces(entries, self.surfaces), ctx)


def violation(rule: str, message: str, *entries: JournalEntry | None) -> Violation:
    """A violation whose evidence is the (sorted, distinct) seqs of ``entries``."""
    seqs = sorted({entry.seq for entry in entries if entry is not None})
    return Violation(rule, message, tuple(seqs))
