"""The stream side of a turn: keep-alives whenever the turn is quiet, never doubled, and
the hard limit."""

import asyncio

from nemo_mock.mock_server.sse.events import heartbeat, keepalive, text, tool_call, tool_result
from nemo_mock.mock_server.sse.overrides import TurnOverrides
from nemo_mock.mock_server.sse.stream import MIN_BEAT_SECONDS, beat_interval, turn_stream, wire
from nemo_mock.mock_server.sse.timing import Timing
from nemo_mock.mock_server.sse.turns import Turn

INTERVAL = 0.05
BEAT = heartbeat().encode()
EMPTY = keepalive().encode()


async def _collect(stream) -> list[bytes]:
    return [chunk async for chunk in stream]


def test_a_turn_quiet_for_several_intervals_is_kept_alive_by_the_stream():
    async def scenario():
        turn = Turn("s", 1)

        async def work():
            await turn.emit(tool_call("generate", {}))
            await asyncio.sleep(8 * INTERVAL)  # a synthesis that outlasts every wait
            await turn.emit(tool_result("generate", {}))
            await turn.close()

        task = asyncio.create_task(work())
        sent = await _collect(wire(turn, limit=60, interval=INTERVAL))
        await task
        return sent

    sent = asyncio.run(scenario())
    assert sent[0] == tool_call("generate", {}).encode()
    assert sent[-1] == tool_result("generate", {}).encode()
    beats = sent[1:-1]
    assert len(beats) >= 3, sent  # about 8: one per interval of quiet
    assert set(beats) <= {BEAT, EMPTY}
    assert beats[:2] == [BEAT, EMPTY]  # a heartbeat, then an empty line, alternately


def test_keepalives_of_the_work_and_of_the_stream_never_double_up():
    async def scenario():
        turn = Turn("s", 1)

        async def work():  # the work beats at the interval, as Timing.wait does
            for beat in range(10):
                await asyncio.sleep(INTERVAL)
                await turn.emit(heartbeat() if beat % 2 == 0 else keepalive())
            await turn.emit(text("done"))
            await turn.close()

        task = asyncio.create_task(work())
        sent = await _collect(wire(turn, limit=60, interval=INTERVAL))
        await task
        return sent

    sent = asyncio.run(scenario())
    assert sent[-1] == text("done").encode()
    assert 9 <= len(sent) - 1 <= 14, sent  # ten beats (a late one may add a few), not twenty


def test_the_stream_ends_at_its_limit_while_the_turn_still_works():
    async def scenario():
        turn = Turn("s", 1)
        await turn.emit(tool_call("generate", {}))
        sent = await _collect(wire(turn, limit=4 * INTERVAL, interval=INTERVAL))
        return turn, sent

    turn, sent = asyncio.run(scenario())
    assert sent[0] == tool_call("generate", {}).encode()
    assert len(sent) - 1 <= 5 and not turn.done.is_set()


def test_keepalives_only_when_the_turn_says_so():
    timing = Timing(time_scale=0.01, heartbeat_interval=5)  # 0.05 s between beats
    turn = Turn("s", 1, overrides=TurnOverrides(heartbeats_only=20))  # 0.2 s of beats

    async def scenario():
        await turn.emit(tool_call("generate", {}))  # never sent: only keep-alives
        return await _collect(turn_stream(turn, timing, limit=60))

    sent = asyncio.run(scenario())
    assert 2 <= len(sent) <= 5 and set(sent) <= {BEAT, EMPTY}


def test_the_beat_interval_is_the_scaled_one_with_a_floor_and_unscaled_without_waiting():
    assert beat_interval(Timing(time_scale=0.01, heartbeat_interval=10)) == 0.1
    assert beat_interval(Timing(time_scale=0.0001, heartbeat_interval=10)) == MIN_BEAT_SECONDS
    assert beat_interval(Timing(time_scale=0, heartbeat_interval=10)) == 10
