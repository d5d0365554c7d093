"""Stream styles: the same turn as §4.4's simple events or as Google ADK's native events."""

import asyncio
import json

import pytest

from nemo_mock.mock_server.sse.events import heartbeat, keepalive, text, tool_call, tool_result
from nemo_mock.mock_server.sse.stream import wire
from nemo_mock.mock_server.sse.styles import COMMENT_KEEPALIVE, SimpleEncoder, encoder_for
from nemo_mock.mock_server.sse.turns import Turn

NOW = 1_796_000_000.25


def adk(streaming=False, seed=0, session="s1", turn=1):
    return encoder_for(
        "adk", seed=seed, session_id=session, turn=turn, now=lambda: NOW, streaming=streaming
    )


def datas(chunks: list[bytes]) -> list[dict]:
    """The JSON of each ``data:`` event (comments skipped)."""
    found = []
    for chunk in chunks:
        line = chunk.decode()
        assert line.endswith("\n\n"), line
        if line.startswith("data: "):
            found.append(json.loads(line[6:]))
    return found


def play(encoder, events, complete=True) -> list[bytes]:
    sent = [chunk for event in events for chunk in encoder.encode(event)]
    return sent + encoder.finish(complete)


TURN = [
    tool_call("edit_multitrack", {"action": "add_title", "text": "Golden Hour"}),
    heartbeat(),
    keepalive(),
    tool_result("edit_multitrack", {"status": "success"}),
    text("I've added the title."),
]


def test_the_simple_style_is_the_events_own_wire_form():
    events = [*TURN]
    assert play(SimpleEncoder(), events) == [e.encode() for e in events]


def test_a_tool_call_and_its_result_are_a_function_call_and_a_function_response_with_one_id():
    call, response, final = datas(play(adk(), TURN))
    function_call = call["content"]["parts"][0]["functionCall"]
    function_response = response["content"]["parts"][0]["functionResponse"]
    assert call["content"]["role"] == "model" and response["content"]["role"] == "user"
    assert function_call["name"] == function_response["name"] == "edit_multitrack"
    assert function_call["args"] == {"action": "add_title", "text": "Golden Hour"}
    assert function_response["response"] == {"status": "success"}
    assert function_call["id"] == function_response["id"] and function_call["id"].startswith("adk-")
    assert final["content"] == {"parts": [{"text": "I've added the title."}], "role": "model"}


def test_every_adk_event_carries_the_invocation_author_actions_id_and_clock_time():
    events = datas(play(adk(), TURN))
    assert {e["invocationId"] for e in events} == {events[0]["invocationId"]}
    assert events[0]["invocationId"].startswith("e-")
    assert {e["author"] for e in events} == {"nemo_agent"}
    assert all(e["timestamp"] == NOW for e in events)
    assert len({e["id"] for e in events}) == len(events)
    assert all(e["actions"]["stateDelta"] == {} for e in events)
    assert all("type" not in e for e in events)


def test_keepalives_are_comment_lines_in_the_adk_style():
    sent = play(adk(), TURN)
    assert sent.count(COMMENT_KEEPALIVE) == 2
    assert COMMENT_KEEPALIVE.startswith(b":")


def test_without_streaming_a_text_is_sent_once_with_no_partial_field():
    final = datas(play(adk(), [text("Hello there, how are you today?")]))
    assert len(final) == 1 and "partial" not in final[0]


def test_with_streaming_a_text_comes_as_partial_chunks_then_whole():
    words = "Sure! Generating a 10-second sunset timelapse for you right now."
    events = datas(play(adk(streaming=True), [text(words)]))
    *chunks, whole = events
    assert len(chunks) >= 2 and all(c["partial"] is True for c in chunks)
    assert "".join(c["content"]["parts"][0]["text"] for c in chunks) == words
    assert whole["partial"] is False and whole["content"]["parts"][0]["text"] == words
    assert {e["id"] for e in events} == {whole["id"]}  # one model response, one id


def test_chinese_text_without_spaces_streams_in_chunks_too():
    words = "好的！我已经在开头加上了标题，现在可以预览时间线了。"
    *chunks, whole = datas(play(adk(streaming=True), [text(words)]))
    assert len(chunks) >= 2
    assert (
        "".join(c["content"]["parts"][0]["text"] for c in chunks)
        == whole["content"]["parts"][0]["text"]
        == words
    )


def test_the_turns_last_text_says_turn_complete_and_no_other_event_does():
    events = datas(play(adk(), [text("Working on it."), *TURN]))
    flagged = [e for e in events if e.get("turnComplete")]
    assert flagged == [events[-1]]
    assert events[0].get("turnComplete") is None


def test_a_turn_that_ends_on_a_tool_result_has_no_turn_complete():
    events = datas(play(adk(), TURN[:-1]))
    assert not any("turnComplete" in e for e in events)


def test_a_stream_cut_by_its_limit_sends_the_held_text_without_turn_complete():
    events = datas(play(adk(), [text("Half way.")], complete=False))
    assert len(events) == 1 and "turnComplete" not in events[0]


def test_adk_ids_replay_by_seed_and_differ_between_seeds_sessions_and_turns():
    def ids(**kw):
        return [(e["id"], e["invocationId"]) for e in datas(play(adk(**kw), TURN))]

    assert ids(seed=3) == ids(seed=3)
    assert ids(seed=3) != ids(seed=4)
    assert ids(session="a") != ids(session="b")
    assert ids(turn=1) != ids(turn=2)


@pytest.mark.parametrize("streaming", [False, True])
def test_the_wire_holds_a_text_only_until_the_next_event(streaming):
    async def scenario():
        turn = Turn("s", 1)

        async def work():
            await turn.emit(text("First, the plan."))
            await turn.emit(tool_call("edit_multitrack", {}))
            await asyncio.sleep(0.05)
            await turn.emit(tool_result("edit_multitrack", {}))
            await turn.emit(text("Done."))
            await turn.close()

        task = asyncio.create_task(work())
        sent = [c async for c in wire(turn, 60, 0.02, adk(streaming=streaming))]
        await task
        return datas(sent)

    events = asyncio.run(scenario())
    whole = [e for e in events if not e.get("partial")]
    kinds = [next(iter(e["content"]["parts"][0])) for e in whole]
    assert kinds == ["text", "functionCall", "functionResponse", "text"]
    assert [e.get("turnComplete") for e in whole] == [None, None, None, True]
