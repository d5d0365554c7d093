"""What a fault does: ``FaultAction``, exactly one kind per action (``latency_ms`` may join
any of them). The kinds, their parameters and words are the registry's
(``faults.kinds``); the model below holds each key's bounds and checks an action whole.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from nemo_mock.mock_server.domain.validation import WholeNumber, reject_nulls
from nemo_mock.mock_server.faults.kinds import CHAT_SOCKET, EXCLUSIVE, RUN_SSE, START_RENDER
from nemo_mock.mock_server.faults.kinds import KINDS as REGISTRY

#: The kinds an action has exactly one of, in the registry's order.
KINDS = tuple(kind.name for kind in EXCLUSIVE)
SSE_KINDS = frozenset(kind.name for kind in EXCLUSIVE if kind.operations == RUN_SSE)
RENDER_KINDS = frozenset(kind.name for kind in EXCLUSIVE if kind.operations == START_RENDER)
#: Kinds that change the request and then let it go on to the mock.
PASS_THROUGH_KINDS = frozenset(
    kind.name for kind in EXCLUSIVE if kind.acts == "before" and kind.name != "error"
)
SOCKET_KINDS = frozenset(kind.name for kind in EXCLUSIVE if kind.operations == CHAT_SOCKET)
#: The operations each family of kinds applies to; other kinds apply to any operation.
OPERATIONS_OF_KIND = {kind.name: kind.operations for kind in REGISTRY if kind.operations}
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
    version_conflict: Flag | None = None
    turn_stuck: Flag | None = None
    refresh_refused: Flag | None = None
    socket_close: WholeNumber | None = Field(default=None, ge=1000, le=4999)
    after: WholeNumber | None = Field(default=None, ge=0, le=100_000)
    socket_abort: WholeNumber | None = Field(default=None, ge=0, le=100_000)
    no_ready: Flag | None = None
    no_done: Flag | None = None
    slow_frames_ms: WholeNumber | None = Field(default=None, ge=0, le=600_000)
    ask_question: Flag | None = None

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
        _check_companions(self)
        return self

    def kinds(self) -> list[str]:
        return [kind.name for kind in EXCLUSIVE if getattr(self, kind.key.name) is not None]

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


def _check_companions(action: FaultAction) -> None:
    """Keys that go with a kind (``message`` with ``error``) only with that kind."""
    for kind in REGISTRY:
        if kind.companions and getattr(action, kind.key.name) is None:
            names = [c.name for c in kind.companions]
            if any(getattr(action, name) is not None for name in names):
                verb = "go" if len(names) > 1 else "goes"
                raise ValueError(f"{' and '.join(names)} {verb} with {kind.key.name}")


def _check_code(code: int) -> None:
    if code not in DOCUMENTED_CODES and not 400 <= code <= 599:
        raise ValueError(
            f"error {code} is not a documented code: use 1001, 1002, 2001, 4001, 4002 "
            "or an HTTP status from 400 to 599"
        )
