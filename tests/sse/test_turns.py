"""Agent turns in-process: silent closes, determinism, charging, serialisation."""

import asyncio
import json

import pytest

from nemo_mock.mock_server.domain.errors import InsufficientCredits, SessionNotFound
from tests.helpers.turns import GENERATE, World

EDITS = [
    "put a title 'Take {i}' at the beginning",
    "add lo-fi background music",
    "make the music {louder}",
]


def edit_message(i: int) -> str:
    return EDITS[i % len(EDITS)].format(i=i, louder="louder" if i % 2 else "quieter")


def kinds(events: list[dict]) -> list[str]:
    return [e.get("type", "keepalive") for e in events]


@pytest.mark.ffmpeg
@pytest.mark.slow
def test_silent_closes_come_at_the_configured_rate_and_always_edit(tmp_path):
    world = World(tmp_path)

    async def scenario():
        await world.turn(GENERATE)
        silent = edits = 0
        for i in range(520):
            before = world.session.revision, world.session.state.draft
            events = await world.turn(edit_message(i))
            if "tool_result" not in kinds(events):
                continue  # not an edit turn
            edits += 1
            assert kinds(events)[-1] in ("tool_result", "text")
            if "text" not in kinds(events):
                silent += 1
                assert kinds(events)[-1] == "tool_result"
                assert world.session.revision > before[0]
                assert world.session.state.draft != before[1]
        return silent, edits

    silent, edits = asyncio.run(scenario())
    assert edits >= 500
    assert abs(silent / edits - 0.3) <= 0.05, f"{silent}/{edits} silent"


@pytest.mark.ffmpeg
def test_same_seed_same_messages_same_events(tmp_path):
    first = asyncio.run(play_with_seed(tmp_path / "a", 7))
    second = asyncio.run(play_with_seed(tmp_path / "b", 7))
    assert first == second
    assert asyncio.run(play_with_seed(tmp_path / "c", 8)) != first


async def play_with_seed(root, seed):
    world = World(root, seed=seed)
    return [await world.turn(m) for m in [GENERATE, *map(edit_message, range(12))]]


@pytest.mark.ffmpeg
def test_a_generation_is_charged_once_and_frozen_while_it_runs(tmp_path):
    world = World(tmp_path, credits=300, time_scale=0.01)

    async def scenario():
        turn = await world.runner.open(world.token, "me", world.session.session_id, GENERATE)
        during = world.balance()
        async for _ in turn.stream():
            pass
        return during, world.balance()

    during, after = asyncio.run(scenario())
    assert (during.available, during.frozen) == (200, 100)
    assert (after.available, after.frozen, after.total) == (200, 0, 200)
    assert world.session.state.draft.export_ready


@pytest.mark.ffmpeg
def test_a_message_resent_during_generation_runs_again_and_is_charged_again(tmp_path):
    world = World(tmp_path, credits=300, time_scale=0.01)

    async def scenario():
        sid = world.session.session_id
        first = await world.runner.open(world.token, "me", sid, GENERATE)
        second = await world.runner.open(world.token, "me", sid, GENERATE)
        frozen = world.balance().frozen
        streams = await asyncio.gather(_drain(first), _drain(second))
        return frozen, streams

    frozen, streams = asyncio.run(scenario())
    assert frozen == 200
    assert all("tool_result" in kinds(s) for s in streams)
    assert world.balance().available == 100
    assert len(world.session.state.generated_media) == 2


async def _drain(turn):
    return [json.loads(e.data()) if e.data() else {} async for e in turn.stream()]


def test_not_enough_credits_is_2001_before_any_stream_with_the_bind_link(tmp_path):
    world = World(tmp_path, credits=40)

    async def scenario():
        await world.runner.open(world.token, "me", world.session.session_id, GENERATE)

    with pytest.raises(InsufficientCredits) as caught:
        asyncio.run(scenario())
    assert "100 needed, 40 available" in caught.value.message
    bind = f"https://nemovideo.com/register?bind={world.token.user_id}"
    assert bind in caught.value.message and caught.value.data["bind_url"] == bind
    assert world.balance().available == 40 and world.balance().frozen == 0


def test_an_unknown_or_foreign_session_is_1002_before_any_stream(tmp_path):
    world = World(tmp_path)
    other, _ = world.backend.issue_anonymous_token("other", "127.0.0.1")
    foreign = world.backend.create_session(other, "me", "theirs", None)

    async def scenario(sid):
        await world.runner.open(world.token, "me", sid, "add a title 'x'")

    for sid in ("1234567890123456789", foreign.session_id):
        with pytest.raises(SessionNotFound):
            asyncio.run(scenario(sid))


def test_a_message_it_cannot_understand_gets_a_question_and_costs_nothing(tmp_path):
    world = World(tmp_path, credits=100)
    events = asyncio.run(world.turn("qwzx blorp"))
    assert kinds(events) == ["text"]
    assert world.balance().available == 100
    assert not world.session.state.draft.export_ready


def test_edits_cost_50_once_per_session(tmp_path):
    world = World(tmp_path, credits=120)

    async def scenario():
        for i in range(5):
            await world.turn(f"put a title 'Take {i}' at the beginning")

    asyncio.run(scenario())
    assert world.balance().available == 70


def test_turns_on_one_session_are_serialised_and_other_sessions_run_alongside(tmp_path):
    world = World(tmp_path, time_scale=0.05)
    other = world.backend.create_session(world.token, "me", "second", "en")

    async def timed(turn):
        loop = asyncio.get_running_loop()
        stamps = [loop.time() async for _ in turn.stream()]
        return stamps[0], loop.time()

    async def scenario():
        open_ = world.runner.open
        one = await open_(
            world.token, "me", world.session.session_id, "put a title 'A' at the beginning"
        )
        two = await open_(world.token, "me", world.session.session_id, "put a title 'B' at the end")
        three = await open_(world.token, "me", other.session_id, "put a title 'C' at the beginning")
        return await asyncio.gather(timed(one), timed(two), timed(three))

    (_, end1), (start2, _), (start3, _) = asyncio.run(scenario())
    assert start2 >= end1 - 0.01  # the second turn on the session waited for the first
    assert start3 < end1  # another session did not wait


@pytest.mark.ffmpeg
def test_every_data_line_of_real_turns_is_empty_or_a_contract_event(tmp_path):
    from tests.helpers.sse import SSE_EVENT

    world = World(tmp_path, time_scale=0.001)
    messages = [
        GENERATE,
        "add lo-fi background music",
        "put a title 'Golden Hour' at the beginning",
        "make it portrait",
        "加上标题「新年快乐」",
        "blorp",
        "export",
        "remove the music",
    ]

    async def scenario():
        lines = []
        for message in messages:
            turn = await world.runner.open(world.token, "me", world.session.session_id, message)
            lines += [event.data() async for event in turn.stream()]
        return lines

    lines = asyncio.run(scenario())
    assert len(lines) > len(messages)
    for line in lines:
        assert line == "" or SSE_EVENT.is_valid(json.loads(line)), line


@pytest.mark.ffmpeg
def test_a_generation_covers_the_sessions_editing(tmp_path):
    world = World(tmp_path, credits=100)

    async def scenario():
        await world.turn(GENERATE)
        for i in range(3):
            events = await world.turn(f"put a title 'Take {i}' at the beginning")
            assert "tool_result" in kinds(events)

    asyncio.run(scenario())
    assert world.balance().available == 0 and world.balance().frozen == 0
