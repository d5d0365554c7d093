"""What a fault does. Exactly one kind per action; ``latency_ms`` may join any of them.

========================  ==============================================================
``error: CODE``           answer with a documented error (1001, 1002, 2001, 4001, 4002, or
                          an HTTP status 400-599), ``message`` and, for 429, ``retry_after``
``latency_ms: N``         wait N ms before handling the request (alone or with any kind)
``drop: true``            send a status line, then close the connection without a body
``cut_after: N``          (runSse) close the stream after N events; ``abort: true`` breaks
                          the connection instead of closing it cleanly
``malformed: true``       (runSse) send one malformed event after the first event
``silent: true``          (runSse) the agent does the work and says nothing
``text: true``            (runSse) the agent is not silent this turn (overrides the odds)
``heartbeats_only: S``    (runSse) only heartbeats for S seconds, then the stream closes;
                          the work goes on server-side
``render_fail: REASON``   (startRender) the job fails with this reason
``render_pending: true``  (startRender) the job stays pending until cancelled
``render_slow: S``        (startRender) the job completes no sooner than S seconds (mock
                          clock) after it starts
``expire_token: true``    the caller's token expires now, then the request goes on (→ 1001)
``advance_clock: S``      the mock clock moves S seconds, then the request goes on
========================  ==============================================================
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mock_server.domain.validation import WholeNumber, reject_nulls

KINDS = (
    "error",
    "drop",
    "cut_after",
    "malformed",
    "silent",
    "text",
    "heartbeats_only",
    "render_fail",
    "render_pending",
    "render_slow",
    "expire_token",
    "advance_clock",
)
SSE_KINDS = frozenset({"cut_after", "malformed", "silent", "text", "heartbeats_only"})
RENDER_KINDS = frozenset({"render_fail", "render_pending", "render_slow"})
#: Kinds that change the request and then let it go on to the mock.
PASS_THROUGH_KINDS = frozenset({"expire_token", "advance_clock"})
#: The operations each family of kinds applies to; other kinds apply to any operation.
OPERATIONS_OF_KIND = {
    **dict.fromkeys(SSE_KINDS, frozenset({"runSse"})),
    **dict.fromkeys(RENDER_KINDS, frozenset({"startRender", "startRenderLegacy"})),
}
DOCUMENTED_CODES = frozenset({1001, 1002, 2001, 4001, 4002})
MAX_SECONDS = 86_400.0

Flag = Literal[True]


class FaultAction(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    error: WholeNumber | None = None
    message: str | None = Field(default=None, max_length=2000)
    retry_after: WholeNumber | None = Field(default=None, ge=0, le=int(MAX_SECONDS))
    latency_ms: WholeNumber | None = Field(default=None, ge=0, le=600_000)
    drop: Flag | None = None
    cut_after: WholeNumber | None = Field(default=None, ge=0, le=100_000)
    abort: bool | None = None
    malformed: Flag | None = None
    silent: Flag | None = None
    text: Flag | None = None
    heartbeats_only: float | None = Field(default=None, gt=0, le=MAX_SECONDS)
    render_fail: str | None = Field(default=None, min_length=1, max_length=2000)
    render_pending: Flag | None = None
    render_slow: float | None = Field(default=None, gt=0, le=MAX_SECONDS)
    expire_token: Flag | None = None
    advance_clock: float | None = Field(default=None, gt=0, le=365 * MAX_SECONDS)

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, value: Any) -> Any:
        return reject_nulls(value)

    @model_validator(mode="after")
    def _one_kind(self) -> FaultAction:
        kinds = self.kinds()
        if len(kinds) > 1:
            raise ValueError(f"an action has one kind, got {', '.join(kinds)}")
        if not kinds and self.latency_ms is None:
            raise ValueError(f"an action needs one of: {', '.join(KINDS)}, or latency_ms")
        if self.error is not None:
            _check_code(self.error)
        elif self.message is not None or self.retry_after is not None:
            raise ValueError("message and retry_after go with error")
        if self.abort is not None and self.cut_after is None:
            raise ValueError("abort goes with cut_after")
        return self

    def kinds(self) -> list[str]:
        return [kind for kind in KINDS if getattr(self, kind) is not None]

    @property
    def kind(self) -> str:
        """The action's kind, or ``"latency"`` for a pure delay."""
        kinds = self.kinds()
        return kinds[0] if kinds else "latency"

    @property
    def operations(self) -> frozenset[str] | None:
        """The only operations this action can apply to, or ``None`` for any."""
        return OPERATIONS_OF_KIND.get(self.kind)

    def summary(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


def _check_code(code: int) -> None:
    if code not in DOCUMENTED_CODES and not 400 <= code <= 599:
        raise ValueError(
            f"error {code} is not a documented code: use 1001, 1002, 2001, 4001, 4002 "
            "or an HTTP status from 400 to 599"
        )
