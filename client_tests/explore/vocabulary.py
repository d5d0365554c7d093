"""The fault vocabulary of ``--explore``: every fault the control plane can inject, named,
with the operations it makes sense on, the words that describe it and what a correct client
does about it.

Each kind is listed simplest first; the strategy draws from these lists in this order, so
hypothesis shrinks a fault toward the front of its operation's list. Parameters (how many
events before a cut, how long a latency) are small lists too, simplest first.

Two deliberate readings of "every documented error":

* **1001 is armed as** ``expire_token``: the caller's token really expires and the mock
  answers 1001. An ``error: 1001`` rule would leave the token valid, so the documented
  recovery (a new anonymous token with the same ``X-Client-Id``, §3) would be refused with
  429 for the rest of the token's 7 days: no client could survive it.
* **Errors go where the API can answer them**: 1002 on calls that name a session, 2001 on a
  message, 402 on a render start, 4001/4002 on an upload, 400 (missing client id) on the
  token call. 429, a server error (500 or 503: one kind, as a client cannot tell them
  apart), latency and dropped connections go anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nemo_mock.mock_server.faults.actions import FaultAction
from nemo_mock.mock_server.faults.kinds import BY_NAME as FAULT_KINDS
from nemo_mock.mock_server.faults.kinds import kind_of_key

#: Operations of a typical client's flow (§4.1-§4.8), the default targets, in flow order.
DEFAULT_OPERATIONS = (
    "createAnonymousToken",
    "createSession",
    "uploadFiles",
    "getSessionState",
    "runSse",
    "startRender",
    "getRender",
)
#: What a gateway client (the vendor CLI's create, chat, export, download, usage history)
#: calls on its way to an MP4, the default targets with ``--surface gateway``.
GATEWAY_OPERATIONS = (
    "gateway.createProject",
    "gateway.chatSocket",
    "gateway.submitLambdaRender",
    "gateway.getLambdaRender",
    "gateway.getProjectDownload",
    "gateway.listUsageConversations",
)
#: The tools of an MCP agent's flow (§7), the default targets with ``--surface mcp``.
MCP_OPERATIONS = (
    "mcp.create_video_project",
    "mcp.upload_asset",
    "mcp.get_video_project",
    "mcp.save_v3_draft",
    "mcp.delegate_to_nemo_agent",
    "mcp.generate_audio",
    "mcp.render_video",
    "mcp.get_render_status",
)
RENDER_FAILURE = "the encoder crashed"
#: One week on the mock clock: every token issued before has expired.
A_WEEK_S = 604_800.0


@dataclass(frozen=True)
class Kind:
    """One kind of fault: its action (with small parameter lists), words and advice."""

    name: str
    #: The action; values that are tuples are parameters drawn from that list.
    action: dict[str, Any]
    words: str
    advice: str


def _error(code: int, words: str, advice: str, **extra: Any) -> Kind:
    return Kind(str(code), {"error": code, **extra}, words, advice)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "1001",
            {"expire_token": True},
            "1001: the token expires",
            "get one new anonymous token with the same X-Client-Id and repeat the call (§3)",
        ),
        _error(1002, "1002: session not found", "create a new session, leave the lost one (§3)"),
        _error(2001, "2001: no credits", "stop and show the register link or 'top up' (§3)"),
        _error(402, "402: free plan export blocked", "stop: register or upgrade (§2)"),
        _error(4001, "4001: unsupported file type", "show the supported formats and stop (§3)"),
        _error(4002, "4002: file too large", "suggest compressing or trimming; no retry (§3)"),
        _error(400, "400: missing X-Client-Id", "generate a client id, retry, keep it (§3)"),
        _error(
            429,
            "429: rate limited",
            "wait Retry-After (times the time scale), then retry once (§3)",
            retry_after=(2, 10),
        ),
        Kind(
            "5xx",
            {"error": (500, 503)},
            "a server error (5xx)",
            "no documented recovery: bounded retry or stop",
        ),
        Kind("latency", {"latency_ms": (300, 1500)}, "a slow answer", "wait for the answer"),
        Kind(
            "drop",
            {"drop": True},
            "the connection drops",
            "no documented recovery: bounded retry or stop",
        ),
        Kind(
            "cut",
            {"cut_after": (0, 1, 2, 3, 4), "abort": (False, True)},
            "the stream ends early",
            "no re-send: wait 30 s, read the state, then every 60 s, up to 5 unchanged polls "
            "(§4.4)",
        ),
        Kind("silent", {"silent": True}, "a silent close", "read the state (§4.4)"),
        Kind(
            "heartbeats",
            {"heartbeats_only": (660.0,)},
            "only keep-alives for 11 minutes",
            "time out after 10 minutes of keep-alives, then poll the state (§4.4)",
        ),
        Kind("text", {"text": True}, "a reply with text", "carry on"),
        Kind("malformed", {"malformed": True}, "an unreadable event", "ignore it, carry on"),
        Kind(
            "render_fail",
            {"render_fail": RENDER_FAILURE},
            "the render job fails",
            "retry once with a new render id (§4.8)",
        ),
        Kind(
            "render_pending",
            {"render_pending": True},
            "the render job is stuck",
            "poll at the documented cadence, then give up (§4.8)",
        ),
        Kind(
            "render_slow",
            {"render_slow": (3.0,)},
            "a slow render",
            "keep polling at the documented cadence (§4.8)",
        ),
        Kind(
            "socket_close",
            {"socket_close": (1011, 4001, 4002), "after": (4, 6)},
            "the chat socket closes mid-turn",
            "1011: reconnect once after 1 s without re-sending the message and wait for done; "
            "4001: stop, the key is refused; 4002: stop, the session is missing (§6)",
        ),
        Kind(
            "socket_abort",
            {"socket_abort": (4, 6)},
            "the chat socket's connection breaks mid-turn (no close frame)",
            "read 1006 as a drop: reconnect once after 1 s without re-sending the message and "
            "wait for done (§6)",
        ),
        Kind(
            "no_ready",
            {"no_ready": True},
            "the chat socket never says session_ready",
            "send nothing before session_ready; give up at the turn timeout (§6)",
        ),
        Kind(
            "no_done",
            {"no_done": True},
            "the chat never sends done",
            "keep pinging every 30 s; give up at the 10-minute turn timeout (§6)",
        ),
        Kind(
            "slow_frames",
            {"slow_frames_ms": (200, 1000)},
            "the chat's frames come slowly",
            "wait for done (§6)",
        ),
        Kind(
            "ask_question",
            {"ask_question": True},
            "the agent asks a question first",
            "answer it with a message (the first option without a user) and wait for done (§6)",
        ),
        Kind(
            "clock",
            {"advance_clock": (A_WEEK_S,)},
            "a week passes: the token expires",
            "get one new anonymous token with the same X-Client-Id and repeat the call (§3)",
        ),
        Kind(
            "version_conflict",
            {"version_conflict": True},
            "the draft moved before the save: a version conflict",
            "apply the change to the returned main_template, save with its version (§7)",
        ),
        Kind(
            "turn_stuck",
            {"turn_stuck": True},
            "the delegated turn stays running",
            "poll by turn_state with a bound, then cancel; never save meanwhile (§7)",
        ),
        Kind(
            "refresh_refused",
            {"refresh_refused": True},
            "the refresh is refused",
            "sign in again; never reuse the refused refresh token (§7)",
        ),
    )
}


def fault_kind(kind: Kind) -> str:
    """The registry's kind (``faults.kinds``) of an entry's action: ``error`` for every code."""
    found = next(k for key in kind.action if (k := kind_of_key(key)) is not None)
    return found.name


def _specific_to(operation: str) -> tuple[str, ...]:
    """The entries whose kind the registry confines to a few operations, this one among
    them (the stream kinds for ``runSse``, the render kinds for ``startRender``)."""
    return tuple(
        name
        for name, kind in KINDS.items()
        if operation in (FAULT_KINDS[fault_kind(kind)].operations or ())
    )


_ANYWHERE = ("429", "5xx", "latency", "drop")
_AUTHENTICATED = ("1001", *_ANYWHERE, "clock")
#: The kinds each operation can get, simplest first; other operations get ``_AUTHENTICATED``.
KINDS_BY_OPERATION: dict[str, tuple[str, ...]] = {
    "createAnonymousToken": ("400", *_ANYWHERE),
    "createSession": _AUTHENTICATED,
    "uploadFiles": ("1001", "1002", "4001", "4002", *_ANYWHERE, "clock"),
    "getSessionState": ("1001", "1002", *_ANYWHERE, "clock"),
    "runSse": ("1001", "1002", "2001", *_ANYWHERE, *_specific_to("runSse"), "clock"),
    "startRender": ("1001", "1002", "402", *_ANYWHERE, *_specific_to("startRender"), "clock"),
    "getRender": _AUTHENTICATED,
    "gateway.chatSocket": ("1001", *_ANYWHERE, *_specific_to("gateway.chatSocket")),
    # the gateway's REST: what any call can get, and a failed export (a key minted on the
    # mock does not expire on the mock clock: no "clock"; a pending render would hold the
    # vendor CLI, which does not scale its waits, for its whole 5-minute poll)
    "gateway.createProject": _ANYWHERE,
    "gateway.submitLambdaRender": (*_ANYWHERE, "render_fail"),
    "gateway.getLambdaRender": _ANYWHERE,
    "gateway.getProjectDownload": _ANYWHERE,
    "gateway.listUsageConversations": _ANYWHERE,
}


#: An MCP tool can get what any call can, an expired access token, and its own kinds.
_MCP_TOOL = ("1001", *_ANYWHERE)
KINDS_BY_OPERATION.update(
    {
        "mcp.save_v3_draft": (*_MCP_TOOL, *_specific_to("mcp.save_v3_draft")),
        "mcp.delegate_to_nemo_agent": (*_MCP_TOOL, *_specific_to("mcp.delegate_to_nemo_agent")),
        "mcp.issueToken": ("429", "5xx", "latency", "drop", *_specific_to("mcp.issueToken")),
        # a failed, stuck or slow export, as on the skill surface's startRender
        "mcp.render_video": (*_MCP_TOOL, *_specific_to("mcp.render_video")),
        "mcp.generate_video": ("402", *_MCP_TOOL),
        "mcp.generate_audio": ("402", *_MCP_TOOL),
    }
)


def default_operations(surface: str = "skill") -> tuple[str, ...]:
    """The operations ``--explore`` puts faults on for a client of ``surface``."""
    by_surface = {"mcp": MCP_OPERATIONS, "gateway": GATEWAY_OPERATIONS}
    return by_surface.get(surface, DEFAULT_OPERATIONS)


def kinds_for(operation: str) -> tuple[str, ...]:
    if operation.startswith("mcp.") and operation not in KINDS_BY_OPERATION:
        return _MCP_TOOL
    return KINDS_BY_OPERATION.get(operation, _AUTHENTICATED)


#: ``FaultAction.kind`` -> the vocabulary's name, for the kinds that are not errors.
_BY_ACTION_KIND = {
    fault_kind(kind): name for name, kind in KINDS.items() if fault_kind(kind) != "error"
}


def kind_of(action: FaultAction) -> Kind | None:
    """The vocabulary entry an action belongs to (``None`` for one from elsewhere)."""
    if action.error is not None:
        return KINDS.get("5xx" if 500 <= action.error <= 599 else str(action.error))
    name = _BY_ACTION_KIND.get(action.kind)
    return KINDS[name] if name is not None else None


def describe_action(action: FaultAction) -> str:
    """Words for an action, with its parameters: ``"the stream ends after 2 event(s)"``."""
    if action.cut_after is not None:
        broken = " (the connection breaks)" if action.abort else ""
        return f"the stream ends after {action.cut_after} event(s){broken}"
    if action.socket_close is not None:
        return f"the chat socket closes with {action.socket_close} after {action.after} frame(s)"
    if action.socket_abort is not None:
        return f"the chat socket's connection breaks after {action.socket_abort} frame(s)"
    if action.kind == "latency":
        return f"a slow answer ({action.latency_ms} ms)"
    if action.error == 429:
        return f"429: rate limited (Retry-After {action.retry_after or 30} s)"
    if action.error is not None and 500 <= action.error <= 599:
        return f"{action.error}: a server error"
    kind = kind_of(action)
    if kind is not None:
        return kind.words
    return ", ".join(f"{key}={value}" for key, value in action.summary().items())


def unknown_operations(operations: Sequence[str]) -> list[str]:
    """The operations that are not operationIds of the contract (to refuse them early)."""
    from nemo_mock.mock_server.edge.surfaces import operation_ids

    known = operation_ids()
    return [op for op in operations if op not in known]
