"""What a turn does differently this once, as the turn runner takes it.

A fault (``faults.overrides``) or anything else may set these; the turn never knows why.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TurnOverrides:
    #: ``True``: the agent works and says nothing; ``False``: it replies whatever the odds
    #: of a silent close; ``None``: the odds decide.
    silent: bool | None = None
    #: Only keep-alives for this many seconds (times the time scale), then the stream
    #: closes; the work goes on and lands in the state.
    heartbeats_only: float | None = None
