"""One message to the agent and its stream (§4.4).

The message is sent once and never re-sent. The stream ends when the server closes it
(there is no end event), when the connection breaks (also before the stream began: the
message may have reached the agent, so it is a dropped stream too), or when only
keep-alives arrived for 10 minutes (times the time scale): then the client closes it itself.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import httpx

from nemo_mock.client_tests.reference_client.config import Task
from nemo_mock.client_tests.reference_client.errors import ConnectionLost
from nemo_mock.client_tests.reference_client.http import Api
from nemo_mock.client_tests.reference_client.session import Session
from nemo_mock.client_tests.reference_client.sse import (
    MALFORMED,
    Event,
    EventParser,
    Turn,
    for_the_user,
)

#: §4.4: clients treat 10 minutes of heartbeats only as a time-out.
HEARTBEATS_ONLY_TIMEOUT_S = 600.0
#: Export is done through the render API, never asked of the agent (§4.4).
EXPORT_CLAUSE = re.compile(
    r"[,;]?\s*(?:(?:and|then)\s+)*(?:please\s+)?(?:export|download)\w*\b[^.;!?\n]*"
    r"|[，；]?(?:然后|并且?|再)?(?:导出|下载)[^。；！？\n]*",
    re.IGNORECASE,
)
SENTENCES = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
PUNCTUATION = " ,;.!?，；。！？"
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|(?<!\w)'[^'\n]*'(?!\w)|「[^」]*」|『[^』]*』|《[^》]*》")


def message_for_agent(prompt: str) -> str:
    """The prompt without any request to export or download (quoted text is kept)."""
    quotes: list[str] = []

    def hide(match: re.Match[str]) -> str:
        quotes.append(match.group())
        return f"\x00{len(quotes) - 1}\x00"

    masked = QUOTED.sub(hide, prompt)
    kept = []
    for sentence in SENTENCES.split(masked):
        cleaned = EXPORT_CLAUSE.sub("", sentence).strip()
        if cleaned.strip(PUNCTUATION):
            kept.append(cleaned)
    text = re.sub(r"\s{2,}", " ", " ".join(kept))
    return re.sub(r"\x00(\d+)\x00", lambda m: quotes[int(m.group(1))], text).strip(" ,;，；")


def send_message(
    api: Api,
    session: Session,
    text: str,
    task: Task,
    *,
    clock: Callable[[], float] = time.monotonic,
    quiet_limit_s: float = HEARTBEATS_ONLY_TIMEOUT_S,
) -> Turn:
    """Send one message and read its stream; ``quiet_limit_s`` of keep-alives only (scaled)
    is a time-out (§4.4)."""
    body = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": session.session_id,
        "new_message": {"parts": [{"text": text}]},
    }
    quiet_limit = task.wait(quiet_limit_s)
    api.log(f"message: {text!r}")
    try:
        response = api.open_stream("runSse", "/run_sse", json=body, read_timeout=quiet_limit)
    except ConnectionLost as exc:
        turn = Turn("dropped", detail=f"before the stream began: {exc}")
    else:
        turn = read_turn(response, quiet_limit, clock=clock, on_event=lambda e: _tell(api, e))
    api.log(f"stream {turn.ending}{f' ({turn.detail})' if turn.detail else ''}")
    return turn


def read_turn(
    response: httpx.Response,
    quiet_limit: float,
    *,
    clock: Callable[[], float] = time.monotonic,
    on_event: Callable[[Event], None] | None = None,
) -> Turn:
    """Read a stream to its end; the response is closed afterwards."""
    parser = EventParser()
    turn = Turn("closed")
    last_news = clock()
    try:
        for line in response.iter_lines():
            event = parser.feed(line)
            if event is not None:
                turn.events.append(event)
                if not event.keeps_alive and event.type != MALFORMED:
                    last_news = clock()
                if on_event is not None:
                    on_event(event)
            if clock() - last_news >= quiet_limit:
                turn.ending, turn.detail = "timed_out", "only keep-alives: closing it"
                break
    except httpx.ReadTimeout:
        turn.ending, turn.detail = "timed_out", "nothing arrived: closing it"
    except (httpx.TransportError, httpx.StreamError) as exc:
        turn.ending, turn.detail = "dropped", type(exc).__name__
    finally:
        response.close()
    return turn


def _tell(api: Api, event: Event) -> None:
    if event.type == "tool_call":
        api.log(f"agent works: {event.name}")
    elif event.type == MALFORMED:
        api.log("an unreadable event was ignored")
    elif event.is_text and (words := for_the_user(event.content)):
        api.log(f"agent: {words}")
