"""The console access log: one line per journaled request, written as each entry is
recorded (``serve --access-log``, on by default). Tokens appear only as fingerprints, as
in the journal itself.

    POST /run_sse runSse → 200 (41 events) user fp_3f2a… 1204 ms fault f1 cut_after=3
"""

from __future__ import annotations

import logging

from nemo_mock.mock_server.journal.entry import JournalEntry

LOGGER = "nemo_mock.access"
#: How an exchange ended when it did not end normally.
ENDINGS = {"dropped": "dropped", "client_disconnected": "client gone"}


def access_line(entry: JournalEntry) -> str:
    status = f"{entry.status if entry.status is not None else '-'}"
    if entry.code:
        status += f" code {entry.code}"
    if entry.events is not None:
        status += f" ({len(entry.events) + entry.events_omitted} events)"
    if entry.outcome in ENDINGS:
        status += f" {ENDINGS[entry.outcome]}"
    parts = [
        f"{entry.method} {entry.path}",
        entry.operation or "-",
        f"→ {status}",
        f"user {entry.token[:11]}…" if entry.token else "user -",
        f"{entry.duration_ms:.0f} ms",
    ]
    if entry.fault is not None:
        action = " ".join(k if v is True else f"{k}={v}" for k, v in entry.fault.action.items())
        parts.append(f"fault {entry.fault.rule} {action}")
    return " ".join(parts)


class AccessLog:
    """A journal listener that logs each entry's line on the ``nemo_mock.access`` logger."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._logger = logger or logging.getLogger(LOGGER)

    def __call__(self, entry: JournalEntry) -> None:
        self._logger.info(access_line(entry))


def console_handler() -> None:
    """Send the access log to stdout, one plain line each (for ``nemo-mock serve``)."""
    logger = logging.getLogger(LOGGER)
    if not any(getattr(h, "nemo_access", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        handler.nemo_access = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
