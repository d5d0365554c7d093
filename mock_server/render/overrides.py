"""What a render job does differently this once, as the render service takes it.

A fault (``faults.overrides``) or anything else may set these; the job never knows why.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderOverrides:
    #: The job fails with this reason (after seeming to get a little way).
    fail: str | None = None
    #: The job is never queued: it stays pending until cancelled.
    pending: bool = False
    #: The job completes no sooner than this many seconds (mock clock) after it starts.
    slow: float | None = None

    @property
    def any(self) -> bool:
        return self != RenderOverrides()
