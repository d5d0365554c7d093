"""The console access log writes its lines in batches on the event loop (issue 18: a write per
request was a sixth of its CPU) and never loses one: each is written within ``FLUSH_EVERY``
seconds, at once off the loop, and what is left when the handler closes."""

from __future__ import annotations

import asyncio
import logging

from nemo_mock.mock_server.journal import access
from nemo_mock.mock_server.journal.access import BatchedStreamHandler


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
