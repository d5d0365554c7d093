"""Clients with one planted bug each, for ``check-client --explore`` to find.

Each is the reference client (``nemo_mock.client_tests.reference_client``) with a single defect,
chosen with ``NEMO_PLANTED_BUG`` (default ``render-poll-token``):

================================  =========================================================
``render-poll-token``             **After a 1001, it gets a new token and repeats the call
                                  everywhere except while polling a render** (``getRender``):
                                  there it does not refresh the token and stops with exit 1.
``upload-rate-limit``             An upload answered 429 is sent again at once, without
                                  waiting for Retry-After.
``render-retry-same-id``          A failed render is retried with the same render id.
``session-reuse``                 After 1002 on a state read, it reads the lost session again.
``drop-resend``                   After a dropped stream, it sends the message again at once
                                  instead of waiting and polling the state.
================================  =========================================================

No library scenario exposes ``render-poll-token`` (``token-expires-mid-session`` expires
the token on an upload); the others are defects a named scenario would also show, here to
prove that an exploration finds each kind of fault from nothing. An exploration aimed at
the bug's operation (``--explore-operation``) finds it and shrinks it to the one fault that
triggers it (``BUGS[name].kinds``). Run
``python -m nemo_mock.client_tests.planted_bug_client`` with the same options and variables as the
reference client.
"""

from __future__ import annotations

from dataclasses import dataclass

from nemo_mock.client_tests.planted_bug_client.client import (
    DropResendClient,
    PlantedBugClient,
    RenderRetrySameIdClient,
    SessionReuseClient,
    UploadRateLimitClient,
)
from nemo_mock.client_tests.reference_client.main import Client

ENV = "NEMO_PLANTED_BUG"
DEFAULT = "render-poll-token"


@dataclass(frozen=True)
class PlantedBug:
    name: str
    client: type[Client]
    #: Where an exploration should aim (``--explore-operation``).
    operation: str
    #: The vocabulary's fault kinds that trigger it (``nemo_mock.client_tests.explore.vocabulary``).
    kinds: frozenset[str]
    #: The rules and universal properties it breaks when triggered.
    broken: frozenset[str]


BUGS: dict[str, PlantedBug] = {
    bug.name: bug
    for bug in (
        PlantedBug(
            "render-poll-token",
            PlantedBugClient,
            "getRender",
            frozenset({"1001", "clock"}),
            frozenset({"token-refresh", "valid-outcome"}),
        ),
        PlantedBug(
            "upload-rate-limit",
            UploadRateLimitClient,
            "uploadFiles",
            frozenset({"429"}),
            frozenset({"rate-limit-retry"}),
        ),
        PlantedBug(
            "render-retry-same-id",
            RenderRetrySameIdClient,
            "startRender",
            frozenset({"render_fail"}),
            frozenset({"render-failure-retry", "duplicate-render-id"}),
        ),
        PlantedBug(
            "session-reuse",
            SessionReuseClient,
            "getSessionState",
            frozenset({"1002"}),
            frozenset({"session-recovery"}),
        ),
        PlantedBug(
            "drop-resend",
            DropResendClient,
            "runSse",
            frozenset({"drop", "cut"}),
            frozenset({"stream-drop-recovery"}),
        ),
    )
}
#: The default bug's rules and properties (kept for callers of the first version).
BROKEN = BUGS[DEFAULT].broken
