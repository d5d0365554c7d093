"""A turn's events as Google ADK's API server sends them (the ``adk`` stream style, §8).

``/run_sse``'s request body has the shape of the Agent Development Kit's ``RunAgentRequest``;
an ADK server answers with native ``Event`` objects, each serialised the way ADK's
``/run_sse`` does (``event.model_dump_json(exclude_none=True, by_alias=True)``, so camelCase)
on one ``data:`` line. The fields sent here are the ones a real ADK server fills for an
agent that calls tools, taken from adk-python's ``Event``, ``LlmResponse`` and
``EventActions`` models and its function-call flow:

* ``id`` (a UUID per event; the partial chunks of one text and the text itself share one,
  as one model response does in ADK), ``invocationId`` (``e-<uuid>``, one per turn),
  ``author`` (the agent's name), ``timestamp`` (epoch seconds, from the mock's clock),
  ``actions`` (the four default-valued dicts ADK serialises on every event);
* ``content``: ``{"role": "model", "parts": [{"text"}]}`` for the agent's text,
  ``{"role": "model", "parts": [{"functionCall": {"id", "name", "args"}}]}`` for a tool
  call, ``{"role": "user", "parts": [{"functionResponse": {"id", "name", "response"}}]}``
  for its result (ADK gives function responses the ``user`` role); a call and its response
  share an id (``adk-<uuid>``, ADK's form for ids it makes itself);
* ``partial``: with ``"streaming": true`` a text first arrives as ``partial: true`` chunks,
  then whole with ``partial: false`` (ADK's progressive SSE streaming); without streaming
  only the whole text is sent, with no ``partial`` field;
* ``turnComplete: true`` on the turn's last text, when the turn ends on a text.

Ids are derived from the mock's seed, the session and the turn's number (a replayed turn
sends the same ids; an id reveals nothing). Pure: no I/O, no clock of its own.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

#: The agent's name: ADK's ``author`` of every event the agent sends (the app's name).
AUTHOR = "nemo_agent"
#: What ADK serialises for an event's default ``EventActions`` (exclude_none, by alias).
DEFAULT_ACTIONS: dict[str, Any] = {
    "stateDelta": {},
    "artifactDelta": {},
    "requestedAuthConfigs": {},
    "requestedToolConfirmations": {},
}
#: Words per partial chunk of a streamed text.
CHUNK_WORDS = 4


@dataclass
class AdkIds:
    """The ids of one turn's events: a seeded UUID per use, never repeating within a turn."""

    seed: int
    session_id: str
    turn: int
    _count: int = field(default=0, init=False)

    def next(self) -> str:
        self._count += 1
        key = f"{self.seed}:{self.session_id}:{self.turn}:adk:{self._count}".encode()
        return str(uuid.UUID(bytes=hashlib.sha256(key).digest()[:16], version=4))

    @property
    def invocation_id(self) -> str:
        key = f"{self.seed}:{self.session_id}:{self.turn}:adk:invocation".encode()
        return "e-" + str(uuid.UUID(bytes=hashlib.sha256(key).digest()[:16], version=4))


@dataclass(frozen=True)
class AdkHeader:
    """What every event of one turn shares, and what each one has of its own."""

    invocation_id: str
    event_id: str
    timestamp: float
    author: str = AUTHOR


def event(header: AdkHeader, role: str, parts: list[dict[str, Any]], **flags: Any) -> str:
    """One ADK event as the JSON after ``data: `` (``None`` flags are left out, as ADK's
    ``exclude_none`` does)."""
    document: dict[str, Any] = {
        "content": {"parts": parts, "role": role},
        "invocationId": header.invocation_id,
        "author": header.author,
        "actions": DEFAULT_ACTIONS,
        "id": header.event_id,
        "timestamp": header.timestamp,
    }
    document.update({key: value for key, value in flags.items() if value is not None})
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def text_event(
    header: AdkHeader, text: str, *, partial: bool | None = None, complete: bool = False
) -> str:
    return event(
        header, "model", [{"text": text}], partial=partial, turnComplete=True if complete else None
    )


def call_event(header: AdkHeader, call_id: str, name: str, args: dict[str, Any]) -> str:
    call = {"id": call_id, "args": args, "name": name}
    return event(header, "model", [{"functionCall": call}])


def response_event(header: AdkHeader, call_id: str, name: str, result: dict[str, Any]) -> str:
    response = {"id": call_id, "name": name, "response": result}
    return event(header, "user", [{"functionResponse": response}])


def chunks(text: str, words: int = CHUNK_WORDS) -> list[str]:
    """A text cut into pieces of a few words (whitespace kept), which join back to it; a
    text without spaces (Chinese) is cut every ``words * 3`` characters."""
    pieces = text.split(" ")
    if len(pieces) > 1:
        groups = [" ".join(pieces[i : i + words]) for i in range(0, len(pieces), words)]
        return [g + (" " if i < len(groups) - 1 else "") for i, g in enumerate(groups)]
    size = words * 3
    return [text[i : i + size] for i in range(0, len(text), size)] or [text]
