"""The console access log: one line per journaled request, written as each entry is
recorded (``serve --access-log``, on by default). Tokens appear only as fingerprints, as
in the journal itself.

    POST /run_sse runSse → 200 (41 events) user fp_3f2a… 1204 ms fault f1 cut_after=3
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time

from nemo_mock.mock_server.domain.secrets import redact
from nemo_mock.mock_server.journal.entry import EntrySummary

LOGGER = "nemo_mock.access"
#: How an exchange ended when it did not end normally.
ENDINGS = {"dropped": "dropped", "client_disconnected": "client gone"}


def access_line(entry: EntrySummary) -> str:
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
    """A journal listener that logs each entry's line on the ``nemo_mock.access`` logger.

    When the logger's only destination is the console's ``BatchedStreamHandler``
    (``console_handler``), the line goes straight into it (``write_line``), redacted as
    the log filters would: no ``LogRecord``, no filter and formatter calls, the same text
    (a record per line was a tenth of a request's CPU, issue 18). Any other set-up (a test's
    handler, a propagating logger, a level) goes through ``logging`` as usual."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._logger = logger or logging.getLogger(LOGGER)

    def __call__(self, entry: EntrySummary) -> None:
        logger = self._logger
        direct = _direct_handler(logger)
        if direct is not None:
            direct.write_line(redact(access_line(entry)))
        elif logger.isEnabledFor(logging.INFO):  # made here: ``info`` would walk the stack
            line = access_line(entry)  # for the caller of every line (issue 18)
            logger.handle(logger.makeRecord(logger.name, logging.INFO, __file__, 0, line, (), None))


def _direct_handler(logger: logging.Logger) -> BatchedStreamHandler | None:
    """The console handler when it alone receives ``logger``'s INFO lines, else ``None``."""
    handlers = logger.handlers
    if len(handlers) != 1 or logger.propagate or logger.disabled:
        return None
    handler = handlers[0]
    if type(handler) is not BatchedStreamHandler or not getattr(handler, "nemo_access", False):
        return None
    if handler.level > logging.INFO or not logger.isEnabledFor(logging.INFO):
        return None
    return handler


#: The access line's time of day (``console_handler``'s ``datefmt``).
CLOCK = "%H:%M:%S"

#: The longest a written line waits in the stream's buffer before it is flushed.
FLUSH_EVERY = 0.1


class BatchedStreamHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A ``StreamHandler`` that keeps the lines it formats and writes them together at most
    ``FLUSH_EVERY`` seconds later on the event loop (at once off it): under load one write
    for many lines instead of one each (a write per line was a sixth of a request's CPU,
    issue 18; stdout is often unbuffered). ``close`` (``logging.shutdown`` at exit) writes
    what is left."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)
        self._lines: list[str] = []
        self._flush_pending = False
        self._second, self._stamp = -1, ""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._lines.append(self.format(record) + self.terminator)
            self._flush_soon()
        except Exception:
            self.handleError(record)

    def write_line(self, message: str) -> None:
        """``message`` as ``console_handler``'s format writes it (``%(asctime)s
        %(message)s``, ``%H:%M:%S``), without a ``LogRecord``."""
        now = int(time.time())
        if now != self._second:
            self._second, self._stamp = now, time.strftime(CLOCK, time.localtime(now))
        with self.lock:  # type: ignore[union-attr]
            self._lines.append(f"{self._stamp} {message}{self.terminator}")
        self._flush_soon()

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            lines, self._lines = self._lines, []
            if lines:
                self.stream.write("".join(lines))
        super().flush()

    def close(self) -> None:
        self.flush()
        super().close()

    def _flush_soon(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # off the loop (or after it ended, a flush still pending on it)
            self.flush()
            return
        if self._flush_pending:
            return
        self._flush_pending = True
        loop.call_later(FLUSH_EVERY, self._flush_now)

    def _flush_now(self) -> None:
        self._flush_pending = False
        self.flush()


def console_handler() -> None:
    """Send the access log to stdout, one plain line each (for ``nemo-mock serve``)."""
    logger = logging.getLogger(LOGGER)
    if not any(getattr(h, "nemo_access", False) for h in logger.handlers):
        handler = BatchedStreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", CLOCK))
        handler.nemo_access = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
