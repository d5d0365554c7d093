"""The one registry of fault kinds: everything else about a kind derives from this table.

A kind is one key of a fault action (``FaultAction``), with its parameter, the keys that
may go with it, its aliases in the one-line form, the operations it can apply to, where
it acts, and its words. From ``KINDS`` come: the action model's validation
(``faults.actions``), the one-line spec (``faults.spec``), the control contract's
``FaultAction`` branches (``contracts/control.yaml``, held equal by a test), the
explorer's vocabulary (``client_tests/explore/vocabulary.py``) and the README's table
(``python -m nemo_mock.mock_server.faults.table``, held equal by a test).

Where a kind acts:

* ``before``: before the app, instead of it (an error) or changing the world and then
  letting the request go on (a delay, an expired token, a clock moved);
* ``wire``: on the wire, between the app and the client (a dropped connection, a stream
  cut short, a malformed event);
* ``turn``: in the agent's turn, reaching it as ``sse.overrides.TurnOverrides``;
* ``render``: in the render job, reaching it as ``render.overrides.RenderOverrides``;
* ``mcp``: in the MCP surface (a tool, or the OAuth token endpoint), which reads the action
  from the scope (``mock_server/surfaces/mcp/faults.py``);
* ``socket``: on the gateway's chat socket (``gateway.chatSocket``), between the chat and the
  client (``faults.sockets.SocketTap``: frames held back, slowed, or the socket closed), or
  in the chat itself (``ask_question``).

On the MCP surface each tool is an operation (``mcp.save_v3_draft``): ``error`` on a tool
answers an MCP tool error with that status (the surface's own meanings: 402 insufficient
credits, 403 plan required, 409 conflict, 429, 5xx), not an HTTP error;
``expire_token`` expires the caller's OAuth access token (the request then gets 401).

To add a kind: add its field to ``FaultAction``, its entry here, its branch in
``contracts/control.yaml``, regenerate the README table, and act it out where it acts
(the middleware for ``before``/``wire``, the overrides for ``turn``/``render``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Acts = Literal["before", "wire", "turn", "render", "mcp", "socket"]
#: How a key's value is written: a whole number, any number, a flag (``true``), or text.
#: ``ms`` is a whole number of milliseconds that the one-line form also takes as ``1.5s``.
Value = Literal["whole", "number", "flag", "text", "ms"]

RUN_SSE = frozenset({"runSse"})
#: Every surface's render submission: the skill's two, the gateway's Lambda render, the
#: MCP tool (one job service behind them all).
START_RENDER = frozenset(
    {"startRender", "startRenderLegacy", "gateway.submitLambdaRender", "mcp.render_video"}
)
CHAT_SOCKET = frozenset({"gateway.chatSocket"})
#: Frames a socket sends before a ``socket_close`` by default: warming_up, status,
#: session_ready and message_accepted, so the close comes in the first turn.
DEFAULT_CLOSE_AFTER = 4
DEFAULT_RENDER_FAILURE = "render failed (fault injected by nemo-mock)"
ACTS_WORDS: dict[Acts, str] = {
    "before": "before the app",
    "wire": "on the wire",
    "turn": "in the turn",
    "render": "in the render",
    "mcp": "in the MCP surface",
    "socket": "on the socket",
}
SAVE_DRAFT = frozenset({"mcp.save_v3_draft"})
DELEGATE = frozenset({"mcp.delegate_to_nemo_agent"})
ISSUE_TOKEN = frozenset({"mcp.issueToken"})


@dataclass(frozen=True)
class Key:
    """One key of an action as written in JSON and in the one-line form."""

    name: str
    value: Value
    #: What the one-line form shows for the value (``CODE``, ``N``, ``SECONDS``…).
    parameter: str = ""
    aliases: tuple[str, ...] = ()
    #: What a bare key means in the one-line form (flags: ``True``).
    default: str | bool | None = None

    @property
    def bare_allowed(self) -> bool:
        return self.value == "flag" or self.default is not None


@dataclass(frozen=True)
class FaultKind:
    """One kind of fault. ``name`` is the kind (``FaultAction.kind``)."""

    name: str
    key: Key
    acts: Acts
    #: One sentence: the control contract's description (after the operations).
    summary: str
    #: What it does, for the README's table (after the operations).
    effect: str
    #: One-line forms that read as this kind (the README shows them; a test parses them).
    examples: tuple[str, ...]
    #: Keys that may go with this one (``message`` with ``error``, ``abort`` with a cut).
    companions: tuple[Key, ...] = ()
    #: The operations it can apply to; ``None`` for any.
    operations: frozenset[str] | None = None
    #: Whether it joins any other kind (a delay) instead of being the action's one kind.
    joins_any: bool = False
    #: A remark for the one-line form's list of valid forms.
    remark: str = ""

    @property
    def form(self) -> str:
        """The one-line syntax: ``cut=N [abort]``."""
        words = [_written(self.key, self.key.aliases[0] if self.key.aliases else None)]
        words += [f"[{_written(c, None)}]" for c in self.companions]
        return " ".join(words)

    @property
    def scope(self) -> str:
        """The operations as words: ``runSse``, ``startRender``, or ``any operation``."""
        if self.operations is None:
            return "any operation"
        return sorted(self.operations, key=len)[0]

    def valid_form(self) -> str:
        where = "" if self.operations is None else f"{self.scope}: "
        remark = f"; {self.remark}" if self.remark else ""
        return f"{self.form}  ({where}{_lower_first(self.summary.rstrip('.'))}{remark})"

    def description(self) -> str:
        """The control contract's description of the kind's branch."""
        return self.summary if self.operations is None else f"({self.scope}) {self.summary}"


def _written(key: Key, alias: str | None) -> str:
    shown = alias or key.name
    if key.value == "flag":
        return shown
    if key.default is not None:
        return f"{shown}[={key.parameter}]"
    return f"{shown}={key.parameter}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


KINDS: tuple[FaultKind, ...] = (
    FaultKind(
        "error",
        Key("error", "whole", "CODE"),
        "before",
        "Answer with a documented error (code and HTTP status per --error-style).",
        "answers the documented error: 1001, 1002, 2001 (with its `bind_url`), 4001, 4002, "
        "or any HTTP status 400–599; status per `--error-style`; `Retry-After` for 429 "
        "(default 30); the message ends `[nemo-mock fault f1]`",
        ("error=1001", "error=429 retry_after=30"),
        companions=(
            Key("message", "text", "TEXT"),
            Key("retry_after", "whole", "SECONDS", aliases=("retry-after",)),
        ),
        remark="CODE: 1001 1002 2001 4001 4002 or 400-599",
    ),
    FaultKind(
        "latency",
        Key("latency_ms", "ms", "MS", aliases=("latency",)),
        "before",
        "Wait this many milliseconds before handling the request.",
        "waits MS milliseconds before handling the request (alone or joining any other kind)",
        ("latency=1500", "latency=1.5s"),
        joins_any=True,
        remark="also 1.5s; may join any other form",
    ),
    FaultKind(
        "drop",
        Key("drop", "flag"),
        "wire",
        "A status line, then the connection closes without a body.",
        "sends a status line and headers, then closes the connection without a body",
        ("drop",),
    ),
    FaultKind(
        "cut_after",
        Key("cut_after", "whole", "N", aliases=("cut",)),
        "wire",
        "The stream ends after N events; with abort the connection breaks.",
        "the stream ends after N events (heartbeats and keep-alives count); with `abort` "
        "the connection breaks instead of closing; the agent's work goes on",
        ("cut=3", "cut=3 abort"),
        companions=(Key("abort", "flag"),),
        operations=RUN_SSE,
    ),
    FaultKind(
        "malformed",
        Key("malformed", "flag"),
        "wire",
        "One malformed event after the first.",
        "one unreadable event after the first",
        ("malformed",),
        operations=RUN_SSE,
    ),
    FaultKind(
        "silent",
        Key("silent", "flag"),
        "turn",
        "The agent works and says nothing.",
        "the agent works and says nothing (a silent close on demand)",
        ("silent",),
        operations=RUN_SSE,
    ),
    FaultKind(
        "text",
        Key("text", "flag"),
        "turn",
        "The agent replies, whatever the odds of a silent close.",
        "the agent replies, whatever `--silent-rate` says",
        ("text",),
        operations=RUN_SSE,
    ),
    FaultKind(
        "heartbeats_only",
        Key("heartbeats_only", "number", "SECONDS", aliases=("heartbeats",)),
        "turn",
        "Only heartbeats for this many seconds (times --time-scale), then the stream "
        "closes; the work goes on.",
        "only keep-alives for SECONDS times `--time-scale`, then the stream closes; the "
        "work lands in the state",
        ("heartbeats=660",),
        operations=RUN_SSE,
    ),
    FaultKind(
        "render_fail",
        Key("render_fail", "text", "REASON", default=DEFAULT_RENDER_FAILURE),
        "render",
        "The job fails with this reason.",
        "the job fails with REASON",
        ('render_fail="disk full"', "render_fail"),
        operations=START_RENDER,
    ),
    FaultKind(
        "render_pending",
        Key("render_pending", "flag"),
        "render",
        "The job stays pending until cancelled.",
        "the job stays pending until cancelled",
        ("render_pending",),
        operations=START_RENDER,
    ),
    FaultKind(
        "render_slow",
        Key("render_slow", "number", "SECONDS"),
        "render",
        "The job completes no sooner than this many seconds (mock clock) after it starts.",
        "the job completes no sooner than SECONDS after it starts, on the mock clock "
        "(advance the clock to finish it)",
        ("render_slow=90",),
        operations=START_RENDER,
    ),
    FaultKind(
        "expire_token",
        Key("expire_token", "flag"),
        "before",
        "The caller's token expires now; then the request goes on (and gets 1001).",
        "the caller's token really expires, then the request goes on (and gets 1001)",
        ("expire_token",),
    ),
    FaultKind(
        "advance_clock",
        Key("advance_clock", "number", "SECONDS"),
        "before",
        "The mock clock moves this many seconds; then the request goes on.",
        "the mock clock moves SECONDS, then the request goes on",
        ("advance_clock=604800",),
    ),
    FaultKind(
        "version_conflict",
        Key("version_conflict", "flag"),
        "mcp",
        "A background write moves the draft's version just before the save: a real 409.",
        "a background write lands on the project just before the save, so the save meets a "
        "real `version_conflict` carrying the current template and version",
        ("version_conflict",),
        operations=SAVE_DRAFT,
    ),
    FaultKind(
        "turn_stuck",
        Key("turn_stuck", "flag"),
        "mcp",
        "The delegated turn reports running until it is cancelled.",
        "the delegated turn reports `turn_state: running` (and its session a turn running) "
        "until `cancel_nemo_agent_turn`; its work still lands",
        ("turn_stuck",),
        operations=DELEGATE,
    ),
    FaultKind(
        "refresh_refused",
        Key("refresh_refused", "flag"),
        "mcp",
        "A refresh_token grant is refused (invalid_grant) and the grant revoked.",
        "a `refresh_token` grant is refused with `invalid_grant` and its grant revoked: the "
        "client must sign in again (an authorization_code grant goes through)",
        ("refresh_refused",),
        operations=ISSUE_TOKEN,
    ),
    FaultKind(
        "socket_close",
        Key("socket_close", "whole", "CODE", aliases=("close",)),
        "socket",
        "The socket closes with this code after N frames (default 4, in the first turn); "
        "the turn's work goes on.",
        "the chat socket closes with CODE after N frames (default 4: just after "
        "`message_accepted`): 4001 and 4002 are the CLI's auth and session failures, any other "
        "code (1011: a drop) its one reconnect; the turn's work goes on and a new socket gets "
        "the rest and `done`",
        ("close=4001 after=5", "close=1011 after=6", "close=1011"),
        companions=(Key("after", "whole", "N"),),
        operations=CHAT_SOCKET,
        remark="CODE: 1000-4999",
    ),
    FaultKind(
        "socket_abort",
        Key("socket_abort", "whole", "N", aliases=("abort_socket",)),
        "socket",
        "The socket's connection ends after N frames without a close frame (the client sees "
        "1006); the turn's work goes on.",
        "the chat socket's TCP connection ends after N frames with no WebSocket close frame "
        "(the client reads 1006, an abnormal closure: a broken link, not a server's close); "
        "the CLI reconnects once, the turn's work goes on and a new socket gets the rest and "
        "`done`",
        ("socket_abort=5", "abort_socket=0"),
        operations=CHAT_SOCKET,
    ),
    FaultKind(
        "no_ready",
        Key("no_ready", "flag", aliases=("no_session_ready",)),
        "socket",
        "The socket never sends session_ready.",
        "the chat socket opens but never sends `session_ready` (the CLI never sends its "
        "prompt and times out after 10 minutes)",
        ("no_ready",),
        operations=CHAT_SOCKET,
    ),
    FaultKind(
        "no_done",
        Key("no_done", "flag"),
        "socket",
        "The turns' frames come, never their done.",
        "every frame of the turns comes but `done` never does (the work finishes; the CLI "
        "waits for its 10-minute timeout)",
        ("no_done",),
        operations=CHAT_SOCKET,
    ),
    FaultKind(
        "slow_frames",
        Key("slow_frames_ms", "ms", "MS", aliases=("slow_frames",)),
        "socket",
        "Each frame the socket sends waits this many milliseconds first.",
        "each frame the chat socket sends waits MS milliseconds first (a slow link; pings "
        "and pongs too)",
        ("slow_frames=200", "slow_frames=0.5s"),
        operations=CHAT_SOCKET,
        remark="also 0.5s",
    ),
    FaultKind(
        "ask_question",
        Key("ask_question", "flag", aliases=("ask",)),
        "socket",
        "The agent asks a question (ask_question) before the first message's work; the "
        "answer joins the message.",
        "the agent answers the socket's first message with `ask_question` (a style, three "
        "options) and no `done`; the client's answer (a `message`) joins the first message "
        "and the turn runs on both",
        ("ask_question", "ask"),
        operations=CHAT_SOCKET,
    ),
)

BY_NAME: dict[str, FaultKind] = {kind.name: kind for kind in KINDS}
#: The kinds an action has exactly one of (a delay may join any of them).
EXCLUSIVE: tuple[FaultKind, ...] = tuple(kind for kind in KINDS if not kind.joins_any)
#: Every key an action can have, by name: the kinds' own keys and their companions.
ACTION_KEYS: dict[str, Key] = {
    key.name: key for kind in KINDS for key in (kind.key, *kind.companions)
}


def kind_named(name: str) -> FaultKind:
    return BY_NAME[name]


def kind_of_key(key: str) -> FaultKind | None:
    """The kind whose own key this is (``cut_after`` → the cut kind), if any."""
    return next((kind for kind in KINDS if kind.key.name == key), None)


def kinds_acting(acts: Acts) -> frozenset[str]:
    return frozenset(kind.name for kind in KINDS if kind.acts == acts)


def applies_to(kind: FaultKind, operation: str | None) -> bool:
    return kind.operations is None or operation in kind.operations
