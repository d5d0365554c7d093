"""Waiting for the work to land in the state (§4.4, §4.7).

After a stream that closed normally the work is done: read the state at once (a silent
close is about 30 % of edits). After a stream that broke, timed out, or carried nothing but
keep-alives, the work goes on server-side: wait 30 s, read the state, then every 60 s,
giving up after 5 polls that show no change.
"""

from __future__ import annotations

from typing import Any

from nemo_mock.client_tests.reference_client import envelope
from nemo_mock.client_tests.reference_client.config import Task
from nemo_mock.client_tests.reference_client.errors import GaveUp
from nemo_mock.client_tests.reference_client.http import Api
from nemo_mock.client_tests.reference_client.session import Session, read_state
from nemo_mock.client_tests.reference_client.sse import Turn

FIRST_POLL_S = 30.0
POLL_EVERY_S = 60.0
MAX_UNCHANGED = 5
#: A bound for a state that keeps changing without becoming export-ready.
MAX_POLLS = 15


def work_was_cut(turn: Turn) -> bool:
    """The stream ended before the work could report: broke, timed out, or said nothing."""
    return turn.ending != "closed" or turn.empty


def settle(
    api: Api, session: Session, turn: Turn, baseline: dict[str, Any] | None, task: Task
) -> dict[str, Any]:
    """The session's state once it is export-ready (``GaveUp`` if it never is)."""
    if work_was_cut(turn):
        api.log(f"the stream ended early; waiting {task.wait(FIRST_POLL_S):.2f} s, then polling")
        return poll_state(api, session, baseline, task)
    if turn.silent:
        api.log("the agent closed without a word; reading the state to see what changed")
    state = read_state(api, session)
    if envelope.export_ready(state):
        return state
    api.log("the draft is not export-ready yet; polling the state")
    return poll_state(api, session, state, task)


def poll_state(
    api: Api, session: Session, baseline: dict[str, Any] | None, task: Task
) -> dict[str, Any]:
    api.sleep(task.wait(FIRST_POLL_S))
    previous, unchanged = baseline, 0
    for polls in range(1, MAX_POLLS + 1):
        state = read_state(api, session)
        if envelope.export_ready(state):
            return state
        unchanged = unchanged + 1 if state == previous else 0
        previous = state
        if unchanged >= MAX_UNCHANGED:
            break
        if polls < MAX_POLLS:
            api.sleep(task.wait(POLL_EVERY_S))
    raise GaveUp(
        f"the draft of session {session.session_id} never became export-ready "
        f"({unchanged} unchanged poll(s) at the end)"
    )
