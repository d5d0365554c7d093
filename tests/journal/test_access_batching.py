"""The console access log writes its lines in batches on the event loop (issue 18: a write per
request was a sixth of its CPU) and never loses one: each is written within ``FLUSH_EVERY``
seconds, at once off the loop, and what is left when the handler closes."""

from __future__ import annotations

import asyncio
import logging
import re

from nemo_mock.mock_server.journal import access
from nemo_mock.mock_server.journal.access import AccessLog, BatchedStreamHandler
from nemo_mock.mock_server.journal.deferred import Summary
from nemo_mock.mock_server.journal.logfilter import RedactTokens


class CountingStream:
    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> None:
        self.writes.append(text)

    def flush(self) -> None:
        pass


def handler() -> tuple[BatchedStreamHandler, CountingStream]:
    made = BatchedStreamHandler()
    stream = CountingStream()
    made.setStream(stream)  # type: ignore[arg-type]
    made.setFormatter(logging.Formatter("%(message)s"))
    return made, stream


def record(n: int) -> logging.LogRecord:
    return logging.LogRecord("nemo_mock.access", logging.INFO, __file__, 1, f"line {n}", None, None)


def test_lines_on_the_loop_go_out_together_within_the_flush_interval(monkeypatch):
    monkeypatch.setattr(access, "FLUSH_EVERY", 0.05)
    made, stream = handler()

    async def burst() -> list[str]:
        for n in range(200):
            made.handle(record(n))
        before = list(stream.writes)
        await asyncio.sleep(0.2)
        return before

    assert asyncio.run(burst()) == []
    assert len(stream.writes) == 1
    assert stream.writes[0].splitlines() == [f"line {n}" for n in range(200)]


def test_off_the_loop_each_line_is_written_at_once():
    made, stream = handler()
    made.handle(record(1))
    made.handle(record(2))
    assert stream.writes == ["line 1\n", "line 2\n"]


def test_closing_writes_what_is_left(monkeypatch):
    monkeypatch.setattr(access, "FLUSH_EVERY", 60)
    made, stream = handler()

    async def some() -> None:
        for n in range(3):
            made.handle(record(n))

    asyncio.run(some())
    assert stream.writes == []
    made.close()
    assert "".join(stream.writes) == "line 0\nline 1\nline 2\n"


def test_after_the_loop_ended_with_a_flush_pending_lines_still_go_out(monkeypatch):
    monkeypatch.setattr(access, "FLUSH_EVERY", 60)
    made, stream = handler()

    async def one() -> None:
        made.handle(record(1))

    asyncio.run(one())
    made.handle(record(2))
    assert "".join(stream.writes) == "line 1\nline 2\n"


def summary(path: str) -> Summary:
    return Summary(
        method="GET",
        path=path,
        operation="getCreditBalance",
        token="fp_0123456789abcdef",
        status=200,
        code=0,
        duration_ms=1.4,
        outcome="completed",
    )


def console_logger(name: str) -> tuple[logging.Logger, CountingStream]:
    logger = logging.getLogger(name)
    logger.handlers.clear()
    made = BatchedStreamHandler()
    stream = CountingStream()
    made.setStream(stream)  # type: ignore[arg-type]
    made.setFormatter(logging.Formatter("%(asctime)s %(message)s", access.CLOCK))
    made.nemo_access = True  # type: ignore[attr-defined]
    made.addFilter(RedactTokens())
    logger.addHandler(made)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger, stream


def test_the_direct_line_is_the_line_logging_writes():
    """The console's handler gets its line without a LogRecord (issue 18); another handler
    on the logger sends it through ``logging``: both write the same text, redacted."""
    token = "nmv_usr_" + "a1B2" * 8
    path = f"/api/credits/balance/simple?token={token}"
    direct_logger, direct = console_logger("nemo_mock.access.test_direct")
    assert access._direct_handler(direct_logger) is not None
    logged_logger, logged = console_logger("nemo_mock.access.test_logged")
    logged_logger.addHandler(logging.NullHandler())  # a second handler: through logging
    assert access._direct_handler(logged_logger) is None
    for _ in range(3):
        AccessLog(direct_logger)(summary(path))
        AccessLog(logged_logger)(summary(path))
    lines, expected = ("".join(s.writes).splitlines() for s in (direct, logged))
    assert len(lines) == len(expected) == 3
    # the same text after the time of day (the two may straddle a second)
    assert [line[9:] for line in lines] == [line[9:] for line in expected]
    assert all(re.fullmatch(r"\d\d:\d\d:\d\d ", line[:9]) for line in lines + expected)
    assert token not in lines[0]
    assert lines[0].endswith("getCreditBalance → 200 user fp_01234567… 1 ms")


def test_a_quieter_logger_gets_no_direct_line():
    logger, stream = console_logger("nemo_mock.access.test_quiet")
    logger.setLevel(logging.WARNING)
    assert access._direct_handler(logger) is None
    AccessLog(logger)(summary("/api/credits/balance/simple"))
    assert stream.writes == []
